// The ZFS sync pipeline into a NAS unit over ssh, through the CLI a technician uses: a real sshd on
// 127.0.0.1 (own keys, own known_hosts), whose "NAS" ZFS is this machine's zfs-fuse with a
// file-backed pool of this test's own. The source is the shared lab (read only). kill -9 mid-run,
// the NAS going off the network, and the manifest read back from the NAS alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { startSshd, type TestSshd } from '../../helpers/sshd.ts';
import { cli, cliSpawn, createTicket, fingerprint, labFingerprint, releaseGuards } from '../../helpers/units.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { jobDir } from '../../../electron/jobs/journal.ts';
import { nasUnitDataset, readNasManifest, runZfsNasSync } from '../../../electron/jobs/zfs/nas-sync.ts';
import { zfsSyncRequestFor } from '../../../electron/jobs/zfs/from-ticket.ts';
import { TicketStore } from '../../../electron/tickets/store.ts';
import { ensureZfs } from '../../../electron/system/zfs/daemon.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-nassync-home-'));
process.env.ROUNDTRIP_HOME = home;
const TICKETS = ['1000201', '1000202', '1000203', '1000204'];

describe('ZFS sync into a NAS unit (zfs-fuse behind a real sshd on 127.0.0.1)', () => {
  let lab: LabState;
  let s: Scratch;
  let sshd: TestSshd;
  let nasPool = '';
  let before: unknown;
  const sites = () => ['--source', lab.appliancePool, '--offsite', lab.offsitePool];
  const nasFlags = () => ['--nas', '127.0.0.1', '--nas-port', String(sshd.port), '--nas-identity', sshd.nas.identityFile, '--nas-known-hosts', sshd.nas.knownHostsFile];
  const nasUnit = { unit: { providedBy: 'datacenter', kind: 'nas-unit' } };
  const guid = async (name: string) => (await zfsCmd('zfs', ['get', '-Hp', '-o', 'value', 'guid', name])).stdout.trim();
  const pointLines = (ticket: string) => {
    const f = join(jobDir(`sync-${ticket}`), 'journal.jsonl');
    return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')) : [];
  };

  beforeAll(async () => {
    s = makeScratch('nassync');
    lab = await sharedLab();
    before = await labFingerprint(lab);
    sshd = await startSshd(s.dir);
    // The NAS's pool: a sparse file in our scratch (on the host's ext4), mounted under our scratch.
    await ensureZfs();
    nasPool = s.pool(s.uniqueName('rtnassync'));
    await zfsCmd('zpool', ['create', '-m', join(s.dir, 'nasmnt'), nasPool, await s.file('nas.vdev', '2G')]);
  }, 600_000);

  afterAll(async () => {
    if (lab) for (const t of TICKETS) await releaseGuards(lab, t);
    await sshd?.stop();
    await s?.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 180_000);

  it('syncs a ticket into the NAS over ssh: points arrive with the source GUIDs, the manifest reads back from the NAS alone, verify passes', async () => {
    createTicket(lab, '1000201', {
      ...nasUnit,
      systems: [
        { name: 'WIN-FS01', points: { kind: 'newer-than-lock' } },
        { name: 'ENC-SQL01', points: { kind: 'newer-than-lock' } },
        { name: 'NAS-SHARE01', points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } },
      ],
    });
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', '1000201', ...nasFlags(), '--nas-pool', nasPool, ...sites(), '--json']);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const res = JSON.parse(r.stdout);
    const ds = nasUnitDataset(nasPool, '1000201');
    expect(res.dataset).toBe(ds);
    const m = res.manifest;
    expect(m.layout).toBe('zfs');
    expect(m.ticketId).toBe('1000201');
    expect(m.applianceSerial).toBe(lab.applianceSerial);
    expect(m.nas.dataset).toBe(ds);
    expect(m.systems.map((x: any) => x.system).sort()).toEqual(['ENC-SQL01', 'NAS-SHARE01', 'WIN-FS01']);
    // The share has no offsite copy: its first stream is full; the agents start at their lock.
    expect(m.systems.find((x: any) => x.system === 'NAS-SHARE01').points[0].from).toBeNull();
    const win = m.systems.find((x: any) => x.system === 'WIN-FS01');
    expect(win.points.slice(1).every((p: any) => p.from !== null)).toBe(true);
    // Every point on the NAS has the source point's GUID; every stream has its size and SHA-256.
    let n = 0;
    for (const sys of m.systems) {
      const src = lab.systems.find((x) => x.name === sys.system)!.dataset;
      for (const p of sys.points) {
        expect(await guid(`${ds}/${sys.system}@${p.name}`)).toBe(await guid(`${src}@${p.name}`));
        expect(p.guid).toBe(await guid(`${src}@${p.name}`));
        n++;
      }
      for (const st of sys.streams) {
        expect(st.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(st.bytes).toBeGreaterThan(0);
      }
    }
    expect(res.pointsSent).toBe(n);
    // The manifest, from the NAS alone (over ssh, no database): the file next to the unit and the
    // checksum property agree with what the job returned.
    const back = await readNasManifest(sshd.nas, ds);
    expect(back.manifest.checksum).toBe(m.checksum);
    expect(back.path).toBe(join(s.dir, 'nasmnt', 'rt_1000201', '.roundtrip-manifest.json'));
    expect((await zfsCmd('zfs', ['get', '-H', '-o', 'value', 'roundtrip:manifest-sha256', ds])).stdout.trim()).toBe(m.checksum);

    const v = await cli(home, ['verify', ...nasFlags(), '--nas-dataset', ds, '--json']);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    const vr = JSON.parse(v.stdout);
    expect(vr.ok).toBe(true);
    expect(vr.sourceCompared).toBe(true);
    expect(vr.pointsChecked).toBe(n);
    expect(vr.checks.every((c: any) => c.checks.includes('unit-digest') && c.checks.includes('guid'))).toBe(true);
    expect(await labFingerprint(lab)).toEqual(before);
  }, 900_000);

  it('survives kill -9 of the CLI mid-run: sync --resume finishes without sending a proven point again; the unit verifies', async () => {
    createTicket(lab, '1000202', {
      ...nasUnit,
      systems: [
        { name: 'NAS-SHARE01', points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } },
        { name: 'WIN-FS01', points: { kind: 'newer-than-lock' } },
      ],
    });
    const killAfter = async (args: string[], more: number) => {
      const child = cliSpawn(home, args);
      const startAt = pointLines('1000202').length;
      for (let i = 0; i < 1200 && pointLines('1000202').length < startAt + more && child.exitCode === null; i++) await new Promise((res) => setTimeout(res, 100));
      child.kill('SIGKILL');
      await child;
    };
    await killAfter(['sync', '--unencrypted', '--ticket', '1000202', ...nasFlags(), '--nas-pool', nasPool, ...sites()], 3);
    const afterKill = pointLines('1000202').length;
    expect(afterKill).toBeGreaterThanOrEqual(3);
    // The resume finds the NAS in the journal: no --nas flags needed.
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', '1000202', '--resume', ...sites(), '--json']);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.resumed).toBe(true);
    expect(res.pointsSkipped).toBeGreaterThanOrEqual(afterKill);
    const total = res.manifest.systems.reduce((k: number, x: any) => k + x.points.length, 0);
    expect(res.pointsSent + res.pointsSkipped).toBe(total);
    // Each point was journaled once: nothing proven was sent again.
    const keys = pointLines('1000202').map((l) => JSON.parse(l)).map((x) => `${x.system}@${x.point}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(total);
    const v = await cli(home, ['verify', ...nasFlags(), '--nas-dataset', nasUnitDataset(nasPool, '1000202'), '--no-source', '--json']);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    expect(JSON.parse(v.stdout).ok).toBe(true);
    expect(await labFingerprint(lab)).toEqual(before);
  }, 900_000);

  it('says NAS_UNREACHABLE with the step when the NAS goes off the network (before and during the sync), then resumes', async () => {
    createTicket(lab, '1000203', { ...nasUnit, systems: [{ name: 'NAS-SHARE01', points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } }] });
    // Off before anything is sent: the technician hears it at prepare-target, nothing was written.
    await sshd.stop();
    try {
      const r = await cli(home, ['sync', '--unencrypted', '--ticket', '1000203', ...nasFlags(), '--nas-pool', nasPool, ...sites(), '--json']);
      expect(r.exitCode).toBe(2);
      const e = JSON.parse(r.stdout).error;
      expect(e.code, r.stdout).toBe('NAS_UNREACHABLE');
      expect(e.step).toBe('prepare-target');
      expect(r.stderr).toMatch(/NAS_UNREACHABLE: The NAS at 127\.0\.0\.1:\d+ does not answer over ssh/);
    } finally {
      await sshd.start();
    }
    // Off in the middle: the next point cannot go, the job names the system being sent.
    const ticket = new TicketStore().get('1000203');
    const req = await zfsSyncRequestFor('1000203', ticket.request, { appliance: lab.appliancePool, offsite: lab.offsitePool }, []);
    const { devices: _d, eject: _e, ...rest } = req;
    const err = await runZfsNasSync(
      { ...rest, nas: sshd.nas, nasPool },
      { hooks: { afterPoint: async (_s, _p, k) => (k === 2 ? sshd.stop() : undefined) } },
    ).catch((e) => e);
    await sshd.start();
    expect(err.code, `${err.message} ${err.detail}`).toBe('NAS_UNREACHABLE');
    expect(err.step).toBe('send NAS-SHARE01');
    expect(err.hint).toMatch(/--resume/);
    expect(err.message).not.toMatch(/\n\s+at /);
    expect(pointLines('1000203').length).toBe(2);
    // Back on the network: the resume sends only what was not proven.
    const done = await runZfsNasSync({ ...rest, resume: true });
    expect(done.resumed).toBe(true);
    expect(done.pointsSkipped).toBe(2);
    expect(done.pointsSent).toBe(done.manifest.systems[0].points.length - 2);
    expect(await labFingerprint(lab)).toEqual(before);
  }, 900_000);

  it('refuses a NAS unit whose manifest file was changed or swapped for another unit\'s: MANIFEST_INVALID', async () => {
    const ds = nasUnitDataset(nasPool, '1000201');
    const file = join(s.dir, 'nasmnt', 'rt_1000201', '.roundtrip-manifest.json');
    const other = join(s.dir, 'nasmnt', 'rt_1000202', '.roundtrip-manifest.json');
    const original = readFileSync(file, 'utf8');
    const verify = async () => {
      const v = await cli(home, ['verify', ...nasFlags(), '--nas-dataset', ds, '--no-source', '--json']);
      expect(v.exitCode).toBe(2);
      return JSON.parse(v.stdout).error;
    };
    try {
      writeFileSync(file, original.replace(lab.applianceSerial, 'SWAPPED-SERIAL'));
      expect((await verify()).code).toBe('MANIFEST_INVALID');
      // Whole and self-consistent, but not the manifest this unit's sync recorded on the dataset.
      writeFileSync(file, readFileSync(other, 'utf8'));
      const e = await verify();
      expect(e.code).toBe('MANIFEST_INVALID');
      expect(e.message).toMatch(/not the one the sync recorded/);
    } finally {
      writeFileSync(file, original);
    }
  }, 300_000);

  it('refuses to write over a dataset on the NAS that is not this ticket\'s unit', async () => {
    createTicket(lab, '1000204', { ...nasUnit, systems: [{ name: 'NAS-SHARE01', points: { kind: 'latest' } }] });
    const ds = nasUnitDataset(nasPool, '1000204');
    await zfsCmd('zfs', ['create', ds]);
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', '1000204', ...nasFlags(), '--nas-pool', nasPool, ...sites(), '--json']);
    expect(r.exitCode).toBe(2);
    const e = JSON.parse(r.stdout).error;
    expect(e.code).toBe('ZFS_EXISTS');
    expect(e.step).toBe('prepare-target');
    expect((await zfsCmd('zfs', ['list', '-H', '-o', 'name', '-r', ds])).stdout.trim()).toBe(ds);
  }, 300_000);
});
