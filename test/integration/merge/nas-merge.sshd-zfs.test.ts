// Merge-back of a NAS unit (R18) over ssh: the unit made by the real NAS sync (a real sshd on
// 127.0.0.1 whose "NAS" ZFS is this machine's zfs-fuse with a file-backed pool of this test's own),
// then merged into an offsite-like local pool of the test's own, through the CLI a technician uses.
// The source is the shared lab (read only). Refused newer points and an allowed rollback, the
// encrypted agent's passphrase checked on the NAS, an unreachable NAS, the NAS going away mid-merge,
// a cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { freePort, startSshd, type TestSshd } from '../../helpers/sshd.ts';
import { cli, createTicket, labFingerprint, releaseGuards } from '../../helpers/units.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { labAgentPassphrase } from '../../../electron/lab/passphrase.ts';
import { nasUnitDataset } from '../../../electron/jobs/zfs/nas-sync.ts';
import { runMerge } from '../../../electron/merge/merge.ts';
import { checkUnitPassphrase } from '../../../electron/engine/unit-methods.ts';
import { ensureZfs } from '../../../electron/system/zfs/daemon.ts';
import { datasetExists, getUserProps } from '../../../electron/system/zfs/index.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';
import { destPool, points, seed } from './helpers.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-nasmerge-home-'));
process.env.ROUNDTRIP_HOME = home;
const TICKET = '1000411';

describe('merge-back of a NAS unit (zfs-fuse behind a real sshd on 127.0.0.1, CLI)', () => {
  let lab: LabState;
  let s: Scratch;
  let sshd: TestSshd;
  let nasPool = '';
  let unit = '';
  let dest = '';
  let manifest: any;
  let labBefore: unknown;
  const nasFlags = (port = sshd.port) => ['--nas', '127.0.0.1', '--nas-port', String(port), '--nas-identity', sshd.nas.identityFile, '--nas-known-hosts', sshd.nas.knownHostsFile, '--nas-dataset', unit];
  const manifestPoints = (system: string): Array<[string, string]> => manifest.systems.find((x: any) => x.system === system).points.map((p: any) => [p.name, p.guid]);
  const tree = async (root: string) => (await zfsCmd('zfs', ['list', '-H', '-t', 'all', '-o', 'name,guid', '-r', root])).stdout;

  beforeAll(async () => {
    s = makeScratch('nasmerge');
    lab = await sharedLab();
    labBefore = await labFingerprint(lab);
    sshd = await startSshd(s.dir);
    await ensureZfs();
    // The NAS's pool: a sparse file in our scratch, mounted under our scratch.
    nasPool = s.pool(s.uniqueName('rtnasmg'));
    await zfsCmd('zpool', ['create', '-m', join(s.dir, 'nasmnt'), nasPool, await s.file('nas.vdev', '2G')]);
    createTicket(lab, TICKET, {
      unit: { providedBy: 'datacenter', kind: 'nas-unit' },
      systems: [
        { name: 'NAS-SHARE01', points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } },
        { name: 'ENC-SQL01', points: { kind: 'latest' } },
      ],
    });
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', TICKET, '--nas', '127.0.0.1', '--nas-port', String(sshd.port), '--nas-identity', sshd.nas.identityFile, '--nas-known-hosts', sshd.nas.knownHostsFile, '--nas-pool', nasPool, '--source', lab.appliancePool, '--offsite', lab.offsitePool, '--json']);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    manifest = JSON.parse(r.stdout).manifest;
    unit = nasUnitDataset(nasPool, TICKET);
    expect(manifestPoints('NAS-SHARE01').length).toBeGreaterThanOrEqual(2);
    dest = await destPool(s, 'rtnasmgd');
  }, 900_000);

  afterAll(async () => {
    if (lab) await releaseGuards(lab, TICKET);
    await sshd?.stop();
    await s?.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 180_000);

  it('merges the NAS unit into an offsite copy: newer destination points refused and named, merged after --allow-rollback, every GUID the unit\'s', async () => {
    const into = `${dest}/offsite`;
    await zfsCmd('zfs', ['create', into]);
    // The offsite copy holds the share's first unit point (same GUID, from the lab), then a point of its own.
    const share = lab.systems.find((x) => x.name === 'NAS-SHARE01')!.dataset;
    const [first] = manifestPoints('NAS-SHARE01')[0];
    await seed(share, [first], `${into}/NAS-SHARE01`);
    await zfsCmd('zfs', ['snapshot', `${into}/NAS-SHARE01@local-newer`]);
    const before = await tree(into);

    const dry = await cli(home, ['merge', ...nasFlags(), '--into', into, '--dry-run', '--json']);
    expect(dry.exitCode, dry.stdout + dry.stderr).toBe(1);
    const plan = Object.fromEntries(JSON.parse(dry.stdout).systems.map((x: any) => [x.system, x]));
    expect(plan['NAS-SHARE01'].outcome).toBe('refused');
    expect(plan['NAS-SHARE01'].code).toBe('MERGE_NEWER_POINTS');
    expect(plan['NAS-SHARE01'].newer.map((p: any) => p.name)).toEqual(['local-newer']);
    expect(plan['NAS-SHARE01'].message).toMatch(/local-newer/);
    expect(plan['ENC-SQL01'].outcome).toBe('new');
    expect(await tree(into)).toBe(before);

    // Without the rollback: the share is refused and untouched, the agent arrives (and is unlocked
    // with the passphrase given on stdin).
    const passphrase = labAgentPassphrase(lab.id);
    const r1 = await cli(home, ['merge', ...nasFlags(), '--into', into, '--by', 'Dana', '--passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(r1.exitCode, r1.stdout + r1.stderr).toBe(1);
    const res1 = JSON.parse(r1.stdout);
    expect(res1.nasDataset).toBe(unit);
    expect(res1.verified.pointsChecked).toBe(manifest.systems.reduce((n: number, x: any) => n + x.points.length, 0));
    const out1 = Object.fromEntries(res1.systems.map((x: any) => [x.system, x]));
    expect(out1['NAS-SHARE01'].outcome).toBe('refused');
    expect(out1['ENC-SQL01'].outcome).toBe('new');
    expect(out1['ENC-SQL01'].agentState, out1['ENC-SQL01'].message).toBe('unlocked');
    expect(await points(`${into}/ENC-SQL01`)).toEqual(manifestPoints('ENC-SQL01'));
    expect((await getUserProps(`${into}/ENC-SQL01`))['roundtrip:agent-state']).toBe('unlocked');
    expect((await points(`${into}/NAS-SHARE01`)).map(([n]) => n)).toEqual([first, 'local-newer']);
    expect(r1.stdout).not.toContain(passphrase);

    // The technician allows the share's rollback: its own point goes, the unit's points arrive.
    const r2 = await cli(home, ['merge', ...nasFlags(), '--into', into, '--allow-rollback', 'NAS-SHARE01', '--json']);
    expect(r2.exitCode, r2.stdout + r2.stderr).toBe(0);
    const out2 = Object.fromEntries(JSON.parse(r2.stdout).systems.map((x: any) => [x.system, x]));
    expect(out2['NAS-SHARE01'].outcome).toBe('merged');
    expect(out2['NAS-SHARE01'].rolledBack.map((p: any) => p.name)).toEqual(['local-newer']);
    expect(out2['ENC-SQL01'].outcome).toBe('up-to-date');
    expect(await points(`${into}/NAS-SHARE01`)).toEqual(manifestPoints('NAS-SHARE01'));
    expect(await labFingerprint(lab)).toEqual(labBefore);
  }, 900_000);

  it('checks the encrypted agent\'s passphrase against its key record on the NAS: a wrong one is PASSPHRASE_WRONG, nothing changes', async () => {
    const ref = { nas: sshd.nas, nasDataset: unit };
    const before = await tree(unit);
    const wrong = await checkUnitPassphrase(ref, 'ENC-SQL01', 'not-the-passphrase').catch((e) => e);
    expect(wrong.code, wrong.message).toBe('PASSPHRASE_WRONG');
    expect(await checkUnitPassphrase(ref, 'ENC-SQL01', labAgentPassphrase(lab.id))).toEqual({ system: 'ENC-SQL01', ok: true });
    const plain = await checkUnitPassphrase(ref, 'NAS-SHARE01', 'x').catch((e) => e);
    expect(plain.code).toBe('AGENT_NOT_ENCRYPTED');
    expect(await tree(unit)).toBe(before);
  }, 300_000);

  it('an unreachable NAS (wrong port) is NAS_UNREACHABLE at open-unit and changes nothing', async () => {
    const into = `${dest}/unreachable`;
    await zfsCmd('zfs', ['create', into]);
    const before = await tree(into);
    const r = await cli(home, ['merge', ...nasFlags(await freePort()), '--into', into, '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    const e = JSON.parse(r.stdout).error;
    expect(e.code).toBe('NAS_UNREACHABLE');
    expect(e.step).toBe('open-unit');
    expect(r.stderr).toMatch(/NAS_UNREACHABLE: The NAS at 127\.0\.0\.1:\d+ does not answer over ssh/);
    expect(await tree(into)).toBe(before);
  }, 300_000);

  it('the NAS going away mid-merge stops it naming the system, puts that system back, and a run again finishes', async () => {
    const into = `${dest}/dropped`;
    await zfsCmd('zfs', ['create', into]);
    const req = { nas: sshd.nas, nasDataset: unit, into, systems: ['NAS-SHARE01'] };
    let err: any;
    try {
      err = await runMerge(req, { hooks: { afterPoint: async () => sshd.stop() } }).catch((e) => e);
    } finally {
      await sshd.start();
    }
    expect(err?.code, `${err?.message} ${err?.detail}`).toBe('NAS_UNREACHABLE');
    expect(err.step).toBe('merge NAS-SHARE01');
    expect(err.hint).toMatch(/put back exactly as it was.*run the same merge again/);
    // The new system was being received: put back means it is not there at all.
    expect(await datasetExists(`${into}/NAS-SHARE01`)).toBe(false);
    const again = await runMerge(req);
    expect(again.ok).toBe(true);
    expect(await points(`${into}/NAS-SHARE01`)).toEqual(manifestPoints('NAS-SHARE01'));
  }, 600_000);

  it('a cancel mid-merge is CANCELLED, the system being received put back, and a run again finishes', async () => {
    const into = `${dest}/cancelled`;
    await zfsCmd('zfs', ['create', into]);
    const req = { nas: sshd.nas, nasDataset: unit, into, systems: ['NAS-SHARE01'] };
    const ctl = new AbortController();
    const err: any = await runMerge(req, { signal: ctl.signal, hooks: { afterPoint: () => ctl.abort() } }).catch((e) => e);
    expect(err?.code, `${err?.message} ${err?.detail}`).toBe('CANCELLED');
    expect(await datasetExists(`${into}/NAS-SHARE01`)).toBe(false);
    const again = await runMerge(req);
    expect(again.ok).toBe(true);
    expect(await points(`${into}/NAS-SHARE01`)).toEqual(manifestPoints('NAS-SHARE01'));
    expect(await labFingerprint(lab)).toEqual(labBefore);
  }, 600_000);
});
