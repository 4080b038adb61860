// The ZFS sync pipeline on the shared lab, onto loop-device units, through the CLI a technician uses:
// real zfs-fuse send/receive, real GPT + ext4 metadata partitions, kill -9, a vanishing drive.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, openSync, readSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, cli, cliSpawn, createTicket, fingerprint, labFingerprint, plugBackIn, releaseGuards } from '../../helpers/units.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { runZfsSync } from '../../../electron/jobs/zfs/sync.ts';
import { zfsSyncRequestFor } from '../../../electron/jobs/zfs/from-ticket.ts';
import { jobDir } from '../../../electron/jobs/journal.ts';
import { unitPartitions } from '../../../electron/jobs/unit.ts';
import { getDataset, setProp } from '../../../electron/system/zfs/index.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';
import { listAudit } from '../../../electron/tickets/audit.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-sync-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
process.env.ROUNDTRIP_HOME = home;

describe('ZFS sync (zfs-fuse send/receive onto loop-device units)', () => {
  let lab: LabState;
  let s: Scratch;
  let before: unknown;
  const sites = () => ['--source', lab.appliancePool, '--offsite', lab.offsitePool];

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('sync');
    before = await labFingerprint(lab);
  }, 300_000);
  // As long as the setup may take: on a slow phase of this VM, with the other worker's zfs commands
  // and mounts in turn with these, the cleanup once took over two minutes (the steps' times are
  // printed when it takes more than one).
  afterAll(async () => {
    const t0 = Date.now();
    const steps: string[] = [];
    const step = (name: string) => steps.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const t of ['1000001', '1000002', '1000003', '1000004', '1000005', '1000006', '1000007']) await releaseGuards(lab, t);
    step('guards released');
    // Unit pools are exported at the end of a sync; destroy any that a failing test left imported.
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => /^rt_100000\d_/.test(p))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
    step('unit pools destroyed');
    await s.cleanup();
    step('scratch removed');
    if (Date.now() - t0 > 60_000) console.warn(`zfs-sync cleanup was slow: ${steps.join(', ')}`);
  }, 300_000);

  it('syncs every system onto a two-drive unit (full where no common point, incremental from the lock elsewhere), verifies it and reads the manifest back', async () => {
    createTicket(lab, '1000001', {
      // The share has no offsite copy: all its points, the first one in full.
      systems: lab.systems.map((x) => ({ name: x.name, points: x.offsiteDataset ? { kind: 'newer-than-lock' } : { kind: 'range', from: '2000-01-01', to: '2100-01-01' } })),
    });
    const drives = await blankDrives(s, 2);
    // The plan first (issue 5): exact stream sizes, one 300 GB drive enough.
    const pl = await cli(home, ['plan', '--ticket', '1000001', '--drive', drives[0], '--drive', drives[1], ...sites(), '--json']);
    expect(pl.exitCode, pl.stderr).toBe(0);
    const plan = JSON.parse(pl.stdout);
    expect(plan.media).toBe('usb');
    expect(plan.drivesNeeded).toBe(1);
    expect(plan.fee.waived).toBe(false);
    // A ZFS unit on drives can be sealed; shipping it plain is the technician's choice, recorded.
    expect(plan.protection).toMatchObject({ options: ['sealed', 'unencrypted'], recommended: 'sealed' });

    const r = await cli(home, ['sync', '--unencrypted', '--ticket', '1000001', '--drive', drives[0], '--drive', drives[1], ...sites(), '--by', 'Uma', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    const chosen = listAudit({ action: 'unit.protection' }).filter((e) => e.ticketId?.endsWith('1000001'));
    expect(chosen.map((e) => [e.actor, (e.details as { protection: string }).protection])).toEqual([['Uma', 'unencrypted']]);
    expect(res.ejected).toBe(true);
    // The plan's size is what the sync really wrote, within 2% (per system too).
    expect(Math.abs(plan.totalBytes - res.bytes) / res.bytes).toBeLessThan(0.02);
    for (const ps of plan.systems) {
      const sent = res.systems.find((x: any) => x.system === ps.system).bytesSent;
      expect(Math.abs(ps.bytes - sent) / sent, ps.system).toBeLessThan(0.02);
    }
    const m = res.manifest;
    expect(m.systems.map((x: any) => x.system).sort()).toEqual(lab.systems.map((x) => x.name).sort());
    // The share has no offsite copy: its first point is a full stream; agents start at their lock.
    const share = m.systems.find((x: any) => x.kind === 'share');
    expect(share.points[0].from).toBeNull();
    const lnx = m.systems.find((x: any) => x.system === 'LNX-WEB01');
    const offsite = lab.systems.find((x) => x.name === 'LNX-WEB01')!.offsiteDataset!;
    const offPoints = (await zfsCmd('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', offsite])).stdout.split('\n').map((l) => l.split('@')[1]);
    expect(lnx.points[0].name).toBe(offPoints.at(-1)); // the lock: newest common point
    expect(lnx.points.slice(1).every((p: any) => p.from !== null)).toBe(true);
    expect(lnx.points.length).toBeGreaterThan(50);

    // The manifest on each drive, read from the drive alone.
    for (const d of drives) {
      const ins = await cli(home, ['inspect', d, '--json']);
      expect(ins.exitCode, ins.stderr).toBe(0);
      const doc = JSON.parse(ins.stdout);
      expect(doc.manifest.checksum).toBe(m.checksum);
      expect(doc.manifest.ticketId).toBe('1000001');
      expect(doc.manifest.applianceSerial).toBe(lab.applianceSerial);
    }
    const v = await cli(home, ['verify', drives[0], '--json']);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    const vr = JSON.parse(v.stdout);
    expect(vr.ok).toBe(true);
    expect(vr.sourceCompared).toBe(true);
    expect(vr.pointsChecked).toBe(m.systems.reduce((n: number, x: any) => n + x.points.length, 0));
    expect(await labFingerprint(lab)).toEqual(before);

    // The guards on the lock points: holds with this ticket's tag (zfs-fuse cannot list holds, and
    // other tickets' syncs hold the same points meanwhile: holding the tag again must fail while it
    // is there, releasing it must fail once it is gone), or, where there are no holds, a property.
    const guarded = async (g: { snapshot: string; method: string }) => {
      if (g.method !== 'hold') return (await zfsCmd('zfs', ['get', '-H', '-o', 'value', 'roundtrip:guard-1000001', g.snapshot])).stdout.trim() === 'lock';
      const again = await zfsCmd('zfs', ['hold', 'roundtrip-1000001', g.snapshot], { reject: false });
      if (again.exitCode === 0) {
        await zfsCmd('zfs', ['release', 'roundtrip-1000001', g.snapshot]);
        return false;
      }
      expect(again.stderr).toMatch(/tag already exists/);
      return true;
    };
    const gl = JSON.parse((await cli(home, ['guard', 'list', '--ticket', '1000001', '--json'])).stdout);
    // One per system sent from a lock: those with an offsite copy.
    expect(gl.guards.map((g: any) => g.system).sort()).toEqual(lab.systems.filter((x) => x.offsiteDataset).map((x) => x.name).sort());
    for (const g of gl.guards) expect(await guarded(g), g.snapshot).toBe(true);
    const rel = await cli(home, ['guard', 'release', '--ticket', '1000001', '--json']);
    expect(rel.exitCode, rel.stderr).toBe(0);
    expect(JSON.parse(rel.stdout).released.sort()).toEqual(gl.guards.map((g: any) => g.snapshot).sort());
    for (const g of gl.guards) expect(await guarded(g), g.snapshot).toBe(false);
    expect((await cli(home, ['guard', 'release', '--ticket', '1000001', '--json'])).exitCode).toBe(0);
  });

  it('reports a bit flipped on the unit, naming the system and the point', async () => {
    createTicket(lab, '1000002', { systems: [{ name: 'NAS-SHARE01', points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } }] });
    const [drive] = await blankDrives(s, 1);
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', '1000002', '--drive', drive, ...sites(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const { data } = await unitPartitions(drive);
    // Find the share's README text on the data partition and change one byte of it.
    const marker = Buffer.from('Lab volume of NAS-SHARE01');
    const fd = openSync(data, 'r+');
    let found = -1;
    try {
      const buf = Buffer.alloc(16 * 2 ** 20);
      for (let off = 0; off < 2 * 2 ** 30 && found < 0; off += buf.length - marker.length) {
        const n = readSync(fd, buf, 0, buf.length, off);
        const i = buf.subarray(0, n).indexOf(marker);
        if (i >= 0) found = off + i;
      }
      expect(found).toBeGreaterThan(0);
      writeSync(fd, Buffer.from('X'), 0, 1, found + 4);
    } finally {
      closeSync(fd);
    }
    const v = await cli(home, ['verify', drive, '--no-source', '--json']);
    expect(v.exitCode).toBe(1);
    const vr = JSON.parse(v.stdout);
    expect(vr.ok).toBe(false);
    expect(vr.mismatches[0].system).toBe('NAS-SHARE01');
    expect(vr.mismatches[0].point).toMatch(/^\d+$/);
    expect(v.stderr + v.stdout).toContain('NAS-SHARE01');
  });

  it('survives kill -9 at several points: resume finishes, sends no proven point twice, the unit verifies, the source is unchanged', async () => {
    createTicket(lab, '1000003', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }, { name: 'WIN-FS01', points: { kind: 'newer-than-lock' } }] });
    const [drive] = await blankDrives(s, 1);
    const journal = join(jobDir('sync-1000003'), 'journal.jsonl');
    const points = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).length : 0);
    const killAfter = async (args: string[], n: number) => {
      const child = cliSpawn(home, args);
      const startAt = points();
      // Up to 4 minutes: on a busy machine the first points can take minutes (afterAll, above).
      const until = Date.now() + 240_000;
      while (Date.now() < until && points() < startAt + n) await new Promise((res) => setTimeout(res, 100));
      child.kill('SIGKILL');
      await child;
    };
    await killAfter(['sync', '--unencrypted', '--ticket', '1000003', '--drive', drive, ...sites()], 3);
    const afterFirst = points();
    expect(afterFirst).toBeGreaterThanOrEqual(3);
    await killAfter(['sync', '--unencrypted', '--ticket', '1000003', '--resume', ...sites()], 20);
    const afterSecond = points();
    expect(afterSecond).toBeGreaterThan(afterFirst);
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', '1000003', '--resume', ...sites(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.resumed).toBe(true);
    expect(res.pointsSkipped).toBeGreaterThanOrEqual(afterSecond);
    // Each point was recorded once: nothing proven was sent again.
    const recs = readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).map((l) => JSON.parse(l));
    const keys = recs.map((x) => `${x.system}@${x.point}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(res.manifest.systems.reduce((n: number, x: any) => n + x.points.length, 0));
    const v = await cli(home, ['verify', drive, '--json']);
    expect(JSON.parse(v.stdout).ok).toBe(true);
    expect(await labFingerprint(lab)).toEqual(before);
  }, 600_000);

  it('runs two jobs side by side on two drives, refuses a third on a busy drive, cancels one cleanly and resumes it', async () => {
    const store = new (await import('../../../electron/tickets/store.ts')).TicketStore();
    const sitesObj = { appliance: lab.appliancePool, offsite: lab.offsitePool };
    createTicket(lab, '1000006', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }] });
    createTicket(lab, '1000007', { systems: [{ name: 'WIN-FS01', points: { kind: 'newer-than-lock' } }] });
    const [d1, d2] = await blankDrives(s, 2);
    const reqA = await zfsSyncRequestFor('1000006', store.get('1000006').request, sitesObj, [d1]);
    const reqB = await zfsSyncRequestFor('1000007', store.get('1000007').request, sitesObj, [d2]);
    const ac = new AbortController();
    const progress: any[] = [];
    let busy: any = null;
    let sameTicket: any = null;
    // B waits on its unit until A has tried the busy drive, so B surely holds it then.
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    const a = runZfsSync(reqA, {
      signal: ac.signal,
      onProgress: (p) => progress.push(p),
      hooks: {
        afterPoint: async (_s, _p, n) => {
          if (n === 1) {
            // The same ticket again while it runs, and another ticket on a drive in use.
            sameTicket = await runZfsSync({ ...reqA, devices: [d2] }).catch((e) => e);
            busy = await runZfsSync({ ...reqB, ticketId: '1000008', jobId: 'sync-1000008', devices: [d2] }).catch((e) => e);
            openGate();
          }
          if (n === 3) ac.abort();
        },
      },
    }).catch((e) => e);
    const b = runZfsSync(reqB, { hooks: { afterTarget: () => gate } });
    const [ra, rb] = await Promise.all([a, b]);
    expect(rb.pointsSent).toBeGreaterThan(0);
    expect(ra.code).toBe('CANCELLED');
    expect(ra.step).toBe('send LNX-WEB01');
    // The running ticket cannot be started twice; d2 was held by the other job.
    expect(sameTicket?.code).toBe('JOB_STATE');
    expect(busy?.code).toBe('DRIVE_BUSY');
    // Progress a technician can read: step, bytes of a known total, a rate and an ETA once moving.
    const moving = progress.filter((p) => p.step === 'send LNX-WEB01' && p.bytesDone > 0);
    expect(moving.length).toBeGreaterThan(0);
    expect(moving.at(-1).bytesTotal).toBeGreaterThanOrEqual(moving.at(-1).bytesDone);
    expect(moving.every((p) => typeof p.rate === 'number' && 'etaSeconds' in p && p.item?.startsWith('LNX-WEB01@'))).toBe(true);
    // The cancelled unit resumes where it stopped and verifies.
    const resumed = await runZfsSync({ ...reqA, resume: true });
    expect(resumed.resumed).toBe(true);
    expect(resumed.pointsSkipped).toBeGreaterThanOrEqual(3);
    const v = await cli(home, ['verify', d1, '--json']);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    expect(await labFingerprint(lab)).toEqual(before);
  });

  it('stops with TARGET_FULL when the unit cannot hold the data, before sending and while sending; the source is unchanged', async () => {
    createTicket(lab, '1000004', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }] });
    const ticket = new (await import('../../../electron/tickets/store.ts')).TicketStore().get('1000004');
    const sitesObj = { appliance: lab.appliancePool, offsite: lab.offsitePool };
    const [a, b] = await blankDrives(s, 2);
    // Caught before anything is sent: the unit's space is smaller than the estimate.
    const req = await zfsSyncRequestFor('1000004', ticket.request, sitesObj, [a]);
    const early = await runZfsSync(req, { hooks: { afterTarget: (pool) => setProp(pool, 'quota', '4M') } }).catch((e) => e);
    expect(early.code).toBe('TARGET_FULL');
    expect(early.step).toBe('prepare-target');
    expect(early.hint).toMatch(/drive|NAS/);
    // Caught by ZFS while receiving: the space runs out mid-stream.
    const req2 = await zfsSyncRequestFor('1000004', ticket.request, sitesObj, [b]);
    let unitPool = '';
    const late = await runZfsSync(req2, {
      hooks: {
        afterTarget: (pool) => {
          unitPool = pool;
        },
        afterPoint: async (_s, _p, n) => {
          // Just above what is used now: the next point's stream runs out of room.
          if (n === 2) await setProp(unitPool, 'quota', String((await getDataset(unitPool)).usedBytes + 64 * 1024));
        },
      },
    }).catch((e) => e);
    expect(late.code, `${late.message} ${late.detail}`).toBe("TARGET_FULL");
    expect(late.step).toBe('send LNX-WEB01');
    expect(await labFingerprint(lab)).toEqual(before);
  });

  it('fails with a clear error when the drive disappears mid-stream; the source is unchanged', async () => {
    createTicket(lab, '1000005', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }] });
    const [drive] = await blankDrives(s, 1);
    const ticket = new (await import('../../../electron/tickets/store.ts')).TicketStore().get('1000005');
    const req = await zfsSyncRequestFor('1000005', ticket.request, { appliance: lab.appliancePool, offsite: lab.offsitePool }, [drive]);
    const backing = (await execa('losetup', ['-n', '-O', 'BACK-FILE', drive])).stdout.trim();
    const saved = join(s.dir, 'pulled-drive.img');
    let unitPool = '';
    const err = await runZfsSync(req, {
      hooks: {
        afterTarget: (pool) => {
          unitPool = pool;
        },
        afterPoint: async (_s, _p, n) => {
          // The drive's backing file is removed and its content cut off, as when a USB drive is pulled.
          // A copy is kept first, only to plug the "drive" back in afterwards (see below).
          if (n === 3) {
            await execa('cp', ['--sparse=always', backing, saved]);
            await execa('truncate', ['-s', '0', backing]);
            await execa('rm', ['-f', backing]);
          }
        },
      },
    }).catch((e) => e);
    // Plug the drive back in and let ZFS see it again, so the unit's pool can be destroyed: a pool
    // whose only device is gone cannot be, and it would trouble every later test that lists pools.
    await plugBackIn(saved, drive);
    await zfsCmd('zpool', ['clear', unitPool], { reject: false });
    expect(['TARGET_GONE', 'DRIVE_GONE'], `${err.code}: ${err.message} ${err.detail}`).toContain(err.code);
    expect(err.step).toMatch(/send|write-manifest|eject/);
    expect(err.message).not.toMatch(/\n\s+at /);
    expect(await labFingerprint(lab)).toEqual(before);
  });
});
