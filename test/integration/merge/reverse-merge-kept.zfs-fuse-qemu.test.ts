// A reverse RoundTrip on the shared lab: offsite → unit (the real sync pipeline) → merged into
// appliances of this test's own: one with only older points (everything arrives), one with newer
// points (refused, named, untouched; then the technician allows a rollback of one system only; an
// injected failure in the middle puts that system back exactly as it was). Then the partner keeps the
// unit: the kept-unit report with every check passing, and again after a byte on the unit is damaged
// (merge refused before anything is received; the report names what failed).
// Real zfs-fuse, loop devices, qemu-img, e2fsck, ntfs-3g, smartctl.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, cli, fingerprint, labFingerprint } from '../../helpers/units.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { runZfsSync } from '../../../electron/jobs/zfs/sync.ts';
import { unitPartitions } from '../../../electron/jobs/unit.ts';
import { previewMerge, runMerge } from '../../../electron/merge/merge.ts';
import { createDataset, listSnapshots, snapshot } from '../../../electron/system/zfs/index.ts';
import { listAudit } from '../../../electron/tickets/audit.ts';
import { destPool, flipByteAt, points, seed } from './helpers.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-merge-rev-home-'));
process.env.ROUNDTRIP_HOME = home;
const TICKET = '3000002';
const SYSTEMS = ['WIN-FS01', 'LNX-WEB01', 'ENC-SQL01'];

describe('reverse RoundTrip merged into an appliance, refusals, rollback, kept-unit report (zfs-fuse, qemu-img)', () => {
  let lab: LabState;
  let s: Scratch;
  let drive: string;
  let manifest: any;
  const off: Record<string, string[]> = {};
  const app: Record<string, Array<[string, string]>> = {};
  let labBefore: unknown;
  let offBefore: unknown;
  let newerDest: string;

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('merge-rev');
    labBefore = await labFingerprint(lab);
    offBefore = await labFingerprint(lab);
    for (const name of SYSTEMS) {
      off[name] = (await listSnapshots(`${lab.offsitePool}/${name}`)).map((x) => x.snap);
      app[name] = await points(`${lab.appliancePool}/${name}`);
    }
    // The unit carries each system's last three offsite points (the first as a full stream).
    [drive] = await blankDrives(s, 1);
    const r = await runZfsSync({
      ticketId: TICKET,
      applianceSerial: lab.applianceSerial,
      direction: 'reverse',
      source: { host: 'local', root: lab.offsitePool },
      devices: [drive],
      systems: SYSTEMS.map((name) => ({
        system: name,
        kind: 'agent' as const,
        encrypted: name === 'ENC-SQL01',
        sourceDataset: `${lab.offsitePool}/${name}`,
        base: off[name].at(-3)!,
        points: off[name].slice(-2),
      })),
      actor: 'test',
    });
    manifest = r.manifest;
    expect(r.ejected).toBe(true);
  }, 400_000);

  afterAll(async () => {
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => p.startsWith(`rt_${TICKET}_`))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
    await s.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('merges into an appliance that has only older points: every point arrives with its GUID, the older ones stay', async () => {
    const dest = await destPool(s, 'rtmgold');
    for (const name of SYSTEMS) await seed(`${lab.offsitePool}/${name}`, off[name].slice(-5, -2), `${dest}/${name}`);
    const r = await cli(home, ['merge', drive, '--into', dest, '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.systems.map((x: any) => x.outcome)).toEqual(['merged', 'merged', 'merged']);
    const offGuids = new Map<string, string>();
    for (const name of SYSTEMS) for (const [snap, guid] of await points(`${lab.offsitePool}/${name}`)) offGuids.set(`${name}@${snap}`, guid);
    for (const name of SYSTEMS) {
      const got = await points(`${dest}/${name}`);
      // Its own three points (the last is the unit's first), then the unit's two newer ones, each with the offsite copy's GUID.
      expect(got.map(([snap]) => snap)).toEqual(off[name].slice(-5));
      for (const [snap, guid] of got) expect(guid).toBe(offGuids.get(`${name}@${snap}`));
    }
  });

  it('refuses systems whose appliance has newer points, naming them, and changes nothing; a rollback is allowed per system only, and a failure midway puts the system back', async () => {
    newerDest = await destPool(s, 'rtmgnew');
    // WIN-FS01 and LNX-WEB01: the unit's base point, then a newer backup the appliance took since.
    const newest: Record<string, string> = {};
    for (const name of ['WIN-FS01', 'LNX-WEB01']) {
      const base = off[name].at(-3)!;
      expect(app[name].map(([snap]) => snap), `the lab appliance still has ${name}@${base}`).toContain(base);
      newest[name] = app[name].at(-1)![0];
      await seed(`${lab.appliancePool}/${name}`, [base, newest[name]], `${newerDest}/${name}`);
    }
    // ENC-SQL01: a dataset of the same name that shares no point with the unit.
    await createDataset(`${newerDest}/ENC-SQL01`);
    await snapshot(`${newerDest}/ENC-SQL01`, '1600000000');
    const before = await fingerprint(newerDest);

    // The question the UI asks first: what would be lost, with nothing changed.
    const preview = await previewMerge({ device: drive, into: newerDest });
    expect(preview.find((x) => x.system === 'WIN-FS01')!.newer.map((p) => p.name)).toEqual([newest['WIN-FS01']]);

    const r = await cli(home, ['merge', drive, '--into', newerDest, '--json']);
    expect(r.exitCode).toBe(1);
    const res = JSON.parse(r.stdout);
    const by = Object.fromEntries(res.systems.map((x: any) => [x.system, x]));
    for (const name of ['WIN-FS01', 'LNX-WEB01']) {
      expect(by[name].outcome).toBe('refused');
      expect(by[name].code).toBe('MERGE_NEWER_POINTS');
      expect(by[name].newer.map((p: any) => p.name)).toEqual([newest[name]]);
      expect(by[name].message).toContain(newest[name]);
      expect(by[name].hint).toContain(`--allow-rollback ${name}`);
    }
    expect(by['ENC-SQL01'].code).toBe('MERGE_NO_COMMON_POINT');
    expect(by['ENC-SQL01'].message).toMatch(/full copy is needed/);
    expect(await fingerprint(newerDest)).toEqual(before);

    // The rollback allowed, but the merge fails after the first point: WIN-FS01 is put back exactly,
    // its newer point included (same GUID), and the others are untouched.
    const failed = await runMerge(
      { device: drive, into: newerDest, allowRollback: ['WIN-FS01'], actor: 'test' },
      {
        hooks: {
          afterPoint: (system) => {
            if (system === 'WIN-FS01') throw new Error('simulated failure after the first point');
          },
        },
      },
    );
    const win = failed.systems.find((x) => x.system === 'WIN-FS01')!;
    expect(win.outcome).toBe('failed');
    expect(win.restored).toBe(true);
    expect(win.message).toMatch(/put back exactly as it was/);
    expect(await fingerprint(newerDest)).toEqual(before);

    // Allowed for WIN-FS01 alone: it is merged, its newer point discarded; LNX-WEB01 stays refused.
    const ok = await cli(home, ['merge', drive, '--into', newerDest, '--allow-rollback', 'WIN-FS01', '--by', 'Sam', '--json']);
    expect(ok.exitCode).toBe(1);
    const res2 = JSON.parse(ok.stdout);
    const by2 = Object.fromEntries(res2.systems.map((x: any) => [x.system, x]));
    expect(by2['WIN-FS01'].outcome).toBe('merged');
    expect(by2['WIN-FS01'].rolledBack.map((p: any) => p.name)).toEqual([newest['WIN-FS01']]);
    const winPoints = await points(`${newerDest}/WIN-FS01`);
    const unitWin = manifest.systems.find((x: any) => x.system === 'WIN-FS01').points;
    expect(winPoints).toEqual(unitWin.map((p: any) => [p.name, p.guid]));
    expect(by2['LNX-WEB01'].code).toBe('MERGE_NEWER_POINTS');
    expect(by2['ENC-SQL01'].code).toBe('MERGE_NO_COMMON_POINT');
    const after = (await fingerprint(newerDest)) as Record<string, unknown>;
    for (const ds of [`${newerDest}/LNX-WEB01`, `${newerDest}/ENC-SQL01`]) expect(after[ds]).toEqual((before as Record<string, unknown>)[ds]);
    // The rollback is in the audit trail, with what it discarded and who allowed it.
    const rb = listAudit({ action: 'merge.rollback' }).filter((e) => (e.details as any).dataset === `${newerDest}/WIN-FS01`);
    expect(rb.at(-1)!.actor).toBe('Sam');
    expect((rb.at(-1)!.details as any).discarded).toEqual([newest['WIN-FS01']]);
  }, 300_000);

  it('writes a kept-unit report (HTML and PDF) with every check passing on a good unit', async () => {
    const base = join(s.dir, 'kept-good');
    const r = await cli(home, ['verify-kept', drive, '--report', base, '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.ok).toBe(true);
    const st = Object.fromEntries(rep.checks.map((c: any) => [c.id, c.status]));
    expect(st).toEqual({ contents: 'passed', 'file-restore': 'passed', 'image-export': 'passed', 'pool-health': 'passed', smart: 'not-available' });
    const restore = rep.checks.find((c: any) => c.id === 'file-restore');
    expect(restore.evidence.filter((x: string) => /equals the point's file/.test(x)).length).toBeGreaterThanOrEqual(3);
    const exp = rep.checks.find((c: any) => c.id === 'image-export');
    expect(exp.evidence.join('\n')).toMatch(/VHD: .*Images are identical/);
    expect(exp.evidence.join('\n')).toMatch(/VMDK: .*Images are identical/);
    expect(rep.checks.find((c: any) => c.id === 'pool-health').summary).toMatch(/scrub .* 0 errors/);
    const html = readFileSync(`${base}.html`, 'utf8');
    expect(html).toContain('Every check passed.');
    for (const c of rep.checks) expect(html).toContain(c.title);
    const pdf = readFileSync(`${base}.pdf`);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/);
    // SMART is asked of the unit's whole drive, which (a loop device) does not answer.
    expect(rep.checks.find((c: any) => c.id === 'smart').evidence[0]).toMatch(/^\/dev\/loop\d+: does not answer SMART/);
    // Nothing of the read-only clones stays on the unit.
    expect(await cli(home, ['verify', drive, '--json']).then((v) => JSON.parse(v.stdout).ok)).toBe(true);
  }, 300_000);

  it('refuses to merge a damaged unit before anything is received, and the kept-unit report names what failed', async () => {
    const { data } = await unitPartitions(drive);
    expect(flipByteAt(data, Buffer.from('Lab volume of LNX-WEB01'))).toBeGreaterThan(0);
    const before = await fingerprint(newerDest);
    const m = await cli(home, ['merge', drive, '--into', newerDest, '--allow-rollback', 'LNX-WEB01', '--json']);
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toMatch(/^MERGE_UNIT_DAMAGED: .*LNX-WEB01/m);
    expect(JSON.parse(m.stdout).error.step).toBe('verify-unit');
    expect(await fingerprint(newerDest)).toEqual(before);

    const base = join(s.dir, 'kept-damaged');
    const r = await cli(home, ['verify-kept', drive, '--report', base, '--json']);
    expect(r.exitCode).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.ok).toBe(false);
    const contents = rep.checks.find((c: any) => c.id === 'contents');
    expect(contents.status).toBe('failed');
    expect(contents.summary).toContain('LNX-WEB01');
    // The scrub reads every block and finds the damage too; the restore of another system still works.
    const health = rep.checks.find((c: any) => c.id === 'pool-health');
    expect(health.status).toBe('failed');
    expect(health.summary).toMatch(/scrub found [1-9]\d* error/);
    expect(rep.checks.find((c: any) => c.id === 'file-restore').status).toBe('passed');
    const html = readFileSync(`${base}.html`, 'utf8');
    expect(html).toMatch(/Failed: .*Contents/);
    expect(html).toContain('LNX-WEB01');
    expect(existsSync(`${base}.pdf`)).toBe(true);
    // Nothing on the lab was changed by any of this.
    expect(await labFingerprint(lab)).toEqual(labBefore);
    expect(await labFingerprint(lab)).toEqual(offBefore);
  }, 300_000);
});
