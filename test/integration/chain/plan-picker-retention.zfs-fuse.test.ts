// The snapshot picker (R11) and the plan's retention preview (R20) on the lab, through the CLI a
// technician uses: every point of a system with its icons as letters, one lock on a point both
// sides hold, the range moving with a moved lock, and the points retention deletes before the unit
// arrives named per system.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { cli, createTicket } from '../../helpers/units.ts';
import { listSnapshots } from '../../../electron/system/zfs/index.ts';
import type { LabState } from '../../../electron/lab/state.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-picker-home-'));
process.env.ROUNDTRIP_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the snapshot picker and the retention preview (lab on zfs-fuse, the CLI)', () => {
  let lab: LabState;
  const sites = () => ['--source', lab.appliancePool, '--offsite', lab.offsitePool];

  beforeAll(async () => {
    lab = await sharedLab();
    createTicket(lab, '1800001', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }] });
  }, 300_000);

  it('lists every point with its icons; the lock is a common point; moving it moves the range', async () => {
    const sys = lab.systems.find((x) => x.name === 'LNX-WEB01')!;
    const local = (await listSnapshots(sys.dataset)).map((p) => p.snap);
    const offsite = new Set((await listSnapshots(sys.offsiteDataset!)).map((p) => p.snap));
    const r = await cli(home, ['plan', '--ticket', '1800001', '--points', ...sites(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const picker = JSON.parse(r.stdout);
    const s = picker.systems.find((x: { system: string }) => x.system === 'LNX-WEB01');
    // Every local point is a row; the one lock is the newest point both sides hold.
    for (const p of local) expect(s.rows.map((x: { name: string }) => x.name)).toContain(p);
    const locks = s.rows.filter((x: { lock: boolean }) => x.lock);
    expect(locks).toHaveLength(1);
    const common = local.filter((p) => offsite.has(p));
    expect(locks[0].name).toBe(common.at(-1));
    expect(s.rows.filter((x: { offsite: boolean }) => x.offsite).map((x: { name: string }) => x.name).sort()).toEqual([...offsite].filter((p) => local.includes(p)).sort());
    // Newer than the lock: first is the point after it, last is the newest, all of them arrive.
    const after = local.slice(local.indexOf(locks[0].name) + 1);
    expect(s.rows.find((x: { first: boolean }) => x.first)?.name).toBe(after[0]);
    expect(s.rows.find((x: { last: boolean }) => x.last)?.name).toBe(local.at(-1));
    // The human picker shows the icons as letters, never colour alone.
    const human = (await cli(home, ['plan', '--ticket', '1800001', '--points', ...sites()])).stdout;
    const lockLine = human.split('\n').find((l) => l.trim().split(/\s+/)[1] === locks[0].name);
    expect(lockLine, human.slice(0, 500)).toMatch(/^\s+O[S-][F-][L-]K/);

    // The lock moved to an older common point: the range now starts after it.
    const older = common.at(-3)!;
    const moved = JSON.parse((await cli(home, ['plan', '--ticket', '1800001', '--points', '--lock', `LNX-WEB01=${older}`, ...sites(), '--json'])).stdout);
    const m = moved.systems.find((x: { system: string }) => x.system === 'LNX-WEB01');
    expect(m.lock).toBe(older);
    expect(m.defaultLock).toBe(locks[0].name);
    expect(m.rows.find((x: { first: boolean }) => x.first)?.name).toBe(local[local.indexOf(older) + 1]);
    expect(m.rows.filter((x: { inRange: boolean }) => x.inRange).length).toBeGreaterThan(s.rows.filter((x: { inRange: boolean }) => x.inRange).length);
    // Not a common point: refused with its code, nothing else said.
    const bad = await cli(home, ['plan', '--ticket', '1800001', '--points', '--lock', `LNX-WEB01=${local.at(-1)}`, ...sites(), '--json']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^CHAIN_BAD_LOCK: /);
  });

  it('names the points retention deletes before the unit arrives, per system, only when asked', async () => {
    const plain = JSON.parse((await cli(home, ['plan', '--ticket', '1800001', '--estimate', ...sites(), '--json'])).stdout);
    expect(plain.systems[0].retention).toBeUndefined();
    const r = await cli(home, ['plan', '--ticket', '1800001', '--estimate', '--retention-days', '30', ...sites(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout).systems[0];
    const sys = lab.systems.find((x) => x.name === 'LNX-WEB01')!;
    const local = new Set((await listSnapshots(sys.dataset)).map((p) => p.snap));
    const offsite = new Set((await listSnapshots(sys.offsiteDataset!)).map((p) => p.snap));
    // A month of local retention thins the lab's intra-daily points; every name is a real point.
    expect(s.retention.local.length).toBeGreaterThan(0);
    for (const p of s.retention.local) expect(local.has(p)).toBe(true);
    for (const p of s.retention.offsite) expect(offsite.has(p)).toBe(true);
    // R20: a point that still waits for its offsite sync is never among them.
    for (const p of s.points) expect(s.retention.local).not.toContain(p);
    const human = (await cli(home, ['plan', '--ticket', '1800001', '--estimate', '--retention-days', '30', ...sites()])).stdout;
    expect(human).toMatch(/retention before arrival: \d+ local and \d+ offsite point\(s\) deleted/);
    const wrong = await cli(home, ['plan', '--ticket', '1800001', '--retention-days', 'soon', ...sites()]);
    expect(wrong.stderr).toMatch(/^BAD_INPUT: --retention-days soon is not a number of days\./);
  });
});
