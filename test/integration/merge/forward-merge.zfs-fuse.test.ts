// A forward RoundTrip end to end on the shared lab: appliance → unit (the real sync) → merged into an
// offsite copy (a pool of this test's own, seeded by send/receive from the lab's offsite pool with
// older points), then the encrypted agent unlocked with its passphrase, and a scan of every file the
// app wrote for that passphrase. Real zfs-fuse, loop devices, ext4 metadata partitions, the CLI.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, cli, createTicket, fingerprint, labFingerprint, plugBackIn, releaseGuards } from '../../helpers/units.ts';
import { runMerge } from '../../../electron/merge/merge.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { labAgentPassphrase } from '../../../electron/lab/passphrase.ts';
import { getDataset, getUserProps, listSnapshots } from '../../../electron/system/zfs/index.ts';
import { listAudit } from '../../../electron/tickets/audit.ts';
import { destPool, fileContains, filesUnder, points, seed } from './helpers.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-merge-fwd-home-'));
process.env.ROUNDTRIP_HOME = home;
const TICKET = '3000001';

describe('forward RoundTrip merged into the offsite copy (zfs-fuse, loop devices, CLI)', () => {
  let lab: LabState;
  let s: Scratch;
  let drive: string;
  let manifest: any;
  let dest: string;
  const seeded: Record<string, Array<[string, string]>> = {};
  let labBefore: unknown;

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('merge-fwd');
    labBefore = await labFingerprint(lab);
    createTicket(lab, TICKET, {
      systems: [
        { name: 'WIN-FS01', points: { kind: 'newer-than-lock' } },
        { name: 'LNX-WEB01', points: { kind: 'latest' } },
        { name: 'ENC-SQL01', points: { kind: 'newer-than-lock' } },
        { name: 'NAS-SHARE01', points: { kind: 'latest' } },
      ],
    });
    [drive] = await blankDrives(s, 1);
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', TICKET, '--drive', drive, '--source', lab.appliancePool, '--offsite', lab.offsitePool, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    manifest = JSON.parse(r.stdout).manifest;

    // The offsite copy as the data center holds it: the last two offsite points of each system that has one.
    dest = await destPool(s, 'rtmgoff');
    for (const sys of lab.systems.filter((x) => x.offsiteDataset)) {
      const off = (await listSnapshots(sys.offsiteDataset!)).map((x) => x.snap);
      await seed(sys.offsiteDataset!, off.slice(-2), `${dest}/${sys.name}`);
      seeded[sys.name] = await points(`${dest}/${sys.name}`);
    }
  }, 400_000);

  afterAll(async () => {
    await releaseGuards(lab, TICKET);
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => p.startsWith(`rt_${TICKET}_`))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
    await s.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('merges every system: increments on top of the common point, the share as a new system, every GUID kept, older points still there', async () => {
    // A mistyped passphrase at merge time does not hold the merge up: the agent just stays locked.
    const r = await cli(home, ['merge', drive, '--into', dest, '--by', 'Dana', '--passphrase-stdin', '--json'], { input: 'mistyped\n' });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.ok).toBe(true);
    const outcome = Object.fromEntries(res.systems.map((x: any) => [x.system, x.outcome]));
    expect(outcome).toEqual({ 'WIN-FS01': 'merged', 'LNX-WEB01': 'merged', 'ENC-SQL01': 'merged', 'NAS-SHARE01': 'new' });

    for (const ms of manifest.systems) {
      const onDest = new Map(await points(`${dest}/${ms.system}`));
      for (const p of ms.points) expect(onDest.get(p.name), `${ms.system}@${p.name}`).toBe(p.guid);
      // The destination's own older points are still there, with their GUIDs.
      for (const [snap, guid] of seeded[ms.system] ?? []) expect(onDest.get(snap)).toBe(guid);
    }
    // Every point the unit brought is newer than what the offsite copy had.
    const lnx = res.systems.find((x: any) => x.system === 'LNX-WEB01');
    expect(lnx.common.guid).toBe(seeded['LNX-WEB01'].at(-1)![1]);
    expect(lnx.received.map((x: any) => x.name)).toEqual(manifest.systems.find((x: any) => x.system === 'LNX-WEB01').points.slice(1).map((p: any) => p.name));
    // The new system is described like any other, and the encrypted agent waits for its passphrase.
    expect((await getUserProps(`${dest}/NAS-SHARE01`))['roundtrip:kind']).toBe('share');
    expect((await getUserProps(`${dest}/ENC-SQL01`))['roundtrip:agent-state']).toBe('locked');
    const enc = res.systems.find((x: any) => x.system === 'ENC-SQL01');
    expect(enc.agentState).toBe('locked');
    expect(enc.message).toMatch(/stays locked: That passphrase does not unlock this agent/);
    expect(r.stdout).not.toContain(labAgentPassphrase(lab.id));
    // Audit: one merge.apply per merged system, by the technician; the ticket is not delivered yet.
    const applied = listAudit({ action: 'merge.apply' }).filter((e) => e.ticketId === TICKET);
    expect(applied.map((e) => (e.details as any).dataset).sort()).toEqual(manifest.systems.map((x: any) => `${dest}/${x.system}`).sort());
    expect(applied.every((e) => e.actor === 'Dana')).toBe(true);
    expect(res.ticket.advanced).toBe(false);
    // Merging the same unit again finds nothing to do.
    const again = await cli(home, ['merge', drive, '--into', dest, '--json']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).systems.every((x: any) => x.outcome === 'up-to-date')).toBe(true);
    expect(await labFingerprint(lab)).toEqual(labBefore);
  }, 300_000);

  it('unlocks the encrypted agent only with its passphrase: a wrong one and a damaged key record change nothing; the volume reads afterwards', async () => {
    const agent = `${dest}/ENC-SQL01`;
    const passphrase = labAgentPassphrase(lab.id);
    const before = await fingerprint(dest);

    const wrong = await cli(home, ['unlock', agent, '--passphrase-stdin', '--json'], { input: 'not-the-passphrase\n' });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/^PASSPHRASE_WRONG: .*Nothing was changed/m);
    expect(await fingerprint(dest)).toEqual(before);

    // A damaged key record is told apart from a wrong passphrase (and the passphrase is not even tried).
    const recFile = join((await getDataset(agent)).mountpoint!, 'agent-key.json');
    const original = readFileSync(recFile, 'utf8');
    const rec = JSON.parse(original);
    const wrapped = Buffer.from(rec.wrapped, 'base64');
    wrapped[3] ^= 1;
    rec.wrapped = wrapped.toString('base64');
    writeFileSync(recFile, JSON.stringify(rec));
    const damaged = await cli(home, ['unlock', agent, '--passphrase-stdin'], { input: passphrase + '\n' });
    writeFileSync(recFile, original);
    expect(damaged.exitCode).toBe(2);
    expect(damaged.stderr).toMatch(/^KEY_RECORD_DAMAGED: /m);
    expect((await getUserProps(agent))['roundtrip:agent-state']).toBe('locked');

    // Never as an argument.
    const asArg = await cli(home, ['unlock', agent, '--passphrase', 'x-not-it']);
    expect(asArg.exitCode).toBe(2);
    expect(asArg.stderr).toMatch(/^BAD_INPUT: A passphrase is never given as an argument/m);

    // The right one (a retry after the failures).
    const ok = await cli(home, ['unlock', agent, '--passphrase-stdin', '--by', 'Dana', '--json'], { input: passphrase + '\n' });
    expect(ok.exitCode, ok.stderr).toBe(0);
    const res = JSON.parse(ok.stdout);
    expect(res.method).toBe('agent-key');
    const vol = res.volumes[0];
    expect(vol.fs).toBe('ext4');
    expect(vol.entries).toEqual(expect.arrayContaining(['README.txt', 'data', 'docs', 'logs']));
    expect(vol.sample.path).toBe('README.txt');
    expect(vol.sample.sha256).toBe(createHash('sha256').update('Lab volume of ENC-SQL01. Every point changes the files below.\n').digest('hex'));
    expect((await getUserProps(agent))['roundtrip:agent-state']).toBe('unlocked');
    expect(listAudit({ action: 'agent.unlock' }).some((e) => (e.details as any).dataset === agent && e.actor === 'Dana')).toBe(true);
  });

  it('leaves no trace of the passphrase in anything the app wrote: logs, database, journals, scratch, the unit, the merged pool', async () => {
    const needles = [Buffer.from(labAgentPassphrase(lab.id)), Buffer.from(labAgentPassphrase(lab.id), 'utf16le')];
    const files = [...filesUnder(home), join(s.dir, `${dest}.vdev`)];
    const unitFile = (await execa('losetup', ['-n', '-O', 'BACK-FILE', drive])).stdout.trim();
    files.push(unitFile);
    expect(files.some((f) => f.endsWith('engine.log'))).toBe(true);
    expect(files.some((f) => f.endsWith('journal.jsonl'))).toBe(true);
    // The scanner finds what is there: the share's text is on the unit.
    expect(await fileContains(unitFile, Buffer.from('Lab volume of NAS-SHARE01'))).toBe(true);
    const hits: string[] = [];
    for (const f of files) for (const n of needles) if (await fileContains(f, n)) hits.push(f);
    expect(hits).toEqual([]);
  });

  it('stops at once when the unit is pulled mid-merge, with the system being received put back; nothing half-merged stays', async () => {
    const into = await destPool(s, 'rtmgpull');
    const before = await fingerprint(into);
    const backing = (await execa('losetup', ['-n', '-O', 'BACK-FILE', drive])).stdout.trim();
    const saved = join(s.dir, 'pulled-unit.img');
    let pulledAt = '';
    const err = await runMerge(
      { device: drive, into, actor: 'test' },
      {
        hooks: {
          afterPoint: async (system, point) => {
            if (pulledAt) return;
            pulledAt = `${system}@${point}`;
            // As when the USB cable comes out: the drive's content is cut off and its file removed.
            await execa('cp', ['--sparse=always', backing, saved]);
            await execa('truncate', ['-s', '0', backing]);
            await execa('rm', ['-f', backing]);
          },
        },
      },
    ).catch((e) => e);
    // Plug the unit back in so its pool (left imported, as it must be with its drive gone) can go.
    await plugBackIn(saved, drive);
    await zfsCmd('zpool', ['clear', manifest.pool.name], { reject: false });
    await zfsCmd('zpool', ['export', manifest.pool.name], { reject: false });

    expect(pulledAt).not.toBe('');
    expect(err.code, `${err.code}: ${err.message}`).toBe('TARGET_GONE');
    expect(err.message).toContain(drive);
    expect(err.step).toMatch(/^merge /);
    expect(err.hint).toMatch(/put back as it was/);
    // Every system in the destination is either absent or complete with the unit's points: none half-merged.
    const after = (await fingerprint(into)) as Record<string, unknown>;
    const systemDatasets = manifest.systems.map((x: any) => `${into}/${x.system}`);
    expect(Object.keys(after).filter((ds) => !(ds in (before as object)) && !systemDatasets.includes(ds))).toEqual([]);
    for (const sys of manifest.systems) {
      const ds = `${into}/${sys.system}`;
      if (ds in after) expect(await points(ds), ds).toEqual(sys.points.map((p: any) => [p.name, p.guid]));
    }
    // The system pulled after its first point of several was received as a new one: it is gone again.
    const pulled = manifest.systems.find((x: any) => x.system === pulledAt.split('@')[0]);
    if (pulled.points.length > 1) expect(Object.keys(after)).not.toContain(`${into}/${pulled.system}`);
  }, 180_000);
});

