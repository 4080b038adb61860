// The plan's sizes for NTFS / EXT4 units are what the file sync really writes, within 2 %, for
// browsable copies on NTFS and EXT4 and for image exports in all four formats: on the shared lab,
// a revRT ticket is planned (`roundtrip plan --json`) and then synced (`roundtrip sync --json`) onto
// a fresh loop-device drive, as a technician does.
//
// What is compared: the sync's `bytes` (FileSyncResult.bytes) is the data it wrote: for each point
// the sum of `VolumeCopy.bytes` (the files' bytes) or of `ImageEntry.bytes` (the image files'
// sizes). The plan's `totalBytes` is that data (`dataBytes`, what the fee is charged on) plus the
// layout model's data-side overhead (`overheadBytes`: 1 % + 32 MiB per browsable point, 1 MiB per
// image; the filesystem's own cost of holding the data, which the sync does not count). So the
// like-for-like figure is `totalBytes - overheadBytes` (= `dataBytes`), in total and per system
// (`systems[].dataBytes` against the bytes of that system's points in the unit's manifests).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, cli, labFingerprint } from '../../helpers/units.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { labAgentPassphrase } from '../../../electron/lab/passphrase.ts';
import { listSnapshots } from '../../../electron/system/zfs/index.ts';
import { planForTicket } from '../../../electron/jobs/plan-for-ticket.ts';
import { fileSyncRequestFor } from '../../../electron/jobs/files/from-ticket.ts';
import { runFileSync } from '../../../electron/jobs/files/sync.ts';
import { measureFileSyncSizes } from '../../../electron/jobs/files/point-sizes.ts';
import type { Manifest } from '../../../electron/jobs/manifest.ts';
import { fileTicket } from './helpers.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-plansizes-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
process.env.ROUNDTRIP_HOME = home;

const LIMIT = 0.02;

/** Bytes the sync wrote per system: its points' volumes or images, from every drive's manifest. */
function writtenBySystem(manifests: Manifest[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of manifests) {
    for (const s of m.systems) {
      for (const p of s.points) {
        // Only the drive holding a point lists its volumes or images: nothing is counted twice.
        const b = (p.volumes ?? []).reduce((n, v) => n + v.bytes, 0) + (p.images ?? []).reduce((n, i) => n + i.bytes, 0);
        out.set(s.system, (out.get(s.system) ?? 0) + b);
      }
    }
  }
  return out;
}

const relErr = (planned: number, written: number) => Math.abs(planned - written) / written;

describe('plan sizes of NTFS / EXT4 units against what the sync writes (zfs-fuse, ntfs-3g, ext4, qemu-img)', () => {
  let lab: LabState;
  let s: Scratch;
  let passphrase: string;
  let before: unknown;
  const errors: Array<[string, number, number]> = [];
  const sites = () => ['--source', lab.appliancePool, '--offsite', lab.offsitePool];
  const siteObj = () => ({ appliance: lab.appliancePool, offsite: lab.offsitePool });

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('plan-sizes');
    passphrase = labAgentPassphrase(lab.id);
    before = await labFingerprint(lab);
  }, 300_000);
  afterAll(async () => {
    await s?.cleanup();
    // The errors seen, for the record (the bench gives the same figures on a lab of its own).
    console.log(`plan vs sync data bytes (relative error, bytes off): ${errors.map(([k, e, d]) => `${k} ${(e * 100).toFixed(4)} % (${d} B)`).join(', ')}`);
  }, 120_000);

  /**
   * Nothing the measuring opened is left: no mount under this file's home, no leftovers record (each
   * clone, mount and working file is recorded there before it is made, and the record goes only once
   * all of it is removed), no working folder. (Not "no rtread- clone in the pool": other files share
   * the lab and read its points at the same time.)
   */
  async function nothingLeft(): Promise<void> {
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(home);
    const leftovers = join(home, 'leftovers');
    expect(existsSync(leftovers) ? readdirSync(leftovers) : []).toEqual([]);
    expect(existsSync(join(home, 'jobs')) ? readdirSync(join(home, 'jobs')).filter((d) => d.startsWith('plan-sizes-')) : []).toEqual([]);
  }

  /** `plan --json`, then `sync --json` onto a blank drive; the plan's data bytes against the sync's, in total and per system. */
  async function planThenSync(number: string, over: Record<string, unknown>, input?: string) {
    const ticket = fileTicket(number, over);
    const pl = await cli(home, ['plan', '--ticket', number, ...sites(), '--json']);
    expect(pl.exitCode, pl.stderr).toBe(0);
    const plan = JSON.parse(pl.stdout);
    await nothingLeft();
    const [drive] = await blankDrives(s, 1);
    const sy = await cli(home, ['sync', '--unencrypted', '--ticket', number, '--drive', drive, ...sites(), '--no-verify', '--json', ...(input ? ['--passphrase-stdin'] : [])], { input });
    expect(sy.exitCode, sy.stderr).toBe(0);
    const res = JSON.parse(sy.stdout);
    expect(res.bytes).toBeGreaterThan(0);
    // Like with like: the plan's total less the layout's modelled overhead is the data the sync counts.
    expect(plan.totalBytes - plan.overheadBytes).toBe(plan.dataBytes);
    const written = writtenBySystem(res.manifests);
    expect([...written.values()].reduce((a, b) => a + b, 0)).toBe(res.bytes);
    return { ticket, plan, res, written };
  }

  /** Checks one figure against the limit and keeps its error for the summary. */
  function within(what: string, planned: number, written: number | undefined) {
    expect(written, what).toBeGreaterThan(0);
    const e = relErr(planned, written!);
    errors.push([what, e, planned - written!]);
    expect(e, what).toBeLessThan(LIMIT);
  }

  it('NTFS browsable: every agent within 2 %; the encrypted agent without its passphrase is estimated and says so, with it measured', async () => {
    const over = {
      format: { filesystem: 'ntfs', layout: 'browsable' },
      systems: ['WIN-FS01', 'LNX-WEB01', 'ENC-SQL01'].map((name) => ({ name, points: { kind: 'latest' } })),
    };
    const { plan, res, written } = await planThenSync('3100001', over, `ENC-SQL01=${passphrase}\n`);
    // The CLI plan has no passphrase: the encrypted agent falls back to its referenced size.
    const enc = plan.systems.find((x: { system: string }) => x.system === 'ENC-SQL01');
    expect(enc.estimated).toBe(true);
    expect(enc.notes.join(' ')).toMatch(/ENC-SQL01 is an encrypted agent: its sizes are estimated .* give its passphrase/);
    expect(plan.estimated).toBe(true);
    for (const ps of plan.systems.filter((x: { system: string }) => x.system !== 'ENC-SQL01')) {
      expect(ps.estimated, ps.system).toBe(false);
      within(`ntfs ${ps.system}`, ps.dataBytes, written.get(ps.system));
    }
    // With the passphrase on standard input, every system and the total are measured.
    const pe = await cli(home, ['plan', '--ticket', '3100001', ...sites(), '--passphrase-stdin', '--json'], { input: `ENC-SQL01=${passphrase}\n` });
    expect(pe.exitCode, pe.stderr).toBe(0);
    expect(pe.stdout + pe.stderr).not.toContain(passphrase);
    const exact = JSON.parse(pe.stdout) as Awaited<ReturnType<typeof planForTicket>>;
    expect(exact.estimated).toBe(false);
    within('ntfs ENC-SQL01 (passphrase given)', exact.systems.find((x) => x.system === 'ENC-SQL01')!.dataBytes, written.get('ENC-SQL01'));
    within('ntfs total', exact.dataBytes, res.bytes);
    await nothingLeft();
  });

  it('EXT4 browsable: an NTFS volume and two points of an ext4 volume within 2 %', async () => {
    const lnx = (await listSnapshots(`${lab.offsitePool}/LNX-WEB01`)).map((x) => x.snap);
    const { plan, res, written } = await planThenSync('3100002', {
      format: { filesystem: 'ext4', layout: 'browsable' },
      systems: [
        { name: 'WIN-FS01', points: { kind: 'latest' } },
        { name: 'LNX-WEB01', points: { kind: 'range', from: lnx.at(-2), to: lnx.at(-1) } },
      ],
    });
    expect(res.pointsCopied).toBe(3);
    expect(plan.estimated).toBe(false);
    for (const ps of plan.systems) within(`ext4 ${ps.system}`, ps.dataBytes, written.get(ps.system));
    within('ext4 total', plan.dataBytes, res.bytes);
  });

  it('EXT4 browsable share: its own .roundtrip folder left out as the sync does', async () => {
    // A share has no offsite copy, and the plan reads a revRT from the offsite side: the share is
    // measured directly against a sync from the appliance (source: appliance).
    const t = fileTicket('3100003', { format: { filesystem: 'ext4', layout: 'browsable' }, source: { location: 'appliance' }, systems: [{ name: 'NAS-SHARE01', points: { kind: 'latest' } }] });
    const [drive] = await blankDrives(s, 1);
    const req = await fileSyncRequestFor(t.id, t.request, siteObj(), [drive], { verify: false });
    const [m] = await measureFileSyncSizes(
      req.systems.map((x) => ({ system: x.system, dataset: x.sourceDataset, kind: x.kind, encrypted: x.encrypted, points: x.points })),
      { layout: 'browsable' },
    );
    const r = await runFileSync(req);
    expect(m.measured).toBe(true);
    if (!m.measured) return;
    expect(m.points[0].bytes).toBeGreaterThan(0);
    // Exact: the same files, the same exclusion.
    expect(m.points[0].bytes).toBe(r.bytes);
    within('ext4 share', m.points[0].bytes, r.bytes);
    await nothingLeft();
  });

  it.each([
    ['raw', 'ext4', '3100010'],
    ['vhd', 'ntfs', '3100011'],
    ['vhdx', 'ext4', '3100012'],
    ['vmdk', 'ntfs', '3100013'],
  ] as const)('image export as %s on %s: within 2 %, in total and per system', async (format, fs, number) => {
    // VHDX also with the encrypted agent: its volume is measured on the decrypted working image.
    const enc = format === 'vhdx';
    const { ticket, plan, res, written } = await planThenSync(
      number,
      {
        format: { filesystem: fs, layout: 'image', imageFormat: format },
        systems: ['WIN-FS01', 'LNX-WEB01', ...(enc ? ['ENC-SQL01'] : [])].map((name) => ({ name, points: { kind: 'latest' } })),
      },
      enc ? `ENC-SQL01=${passphrase}\n` : undefined,
    );
    expect(res.images).toBe(enc ? 3 : 2);
    expect(plan.estimated).toBe(enc);
    for (const ps of plan.systems.filter((x: { system: string }) => x.system !== 'ENC-SQL01')) within(`${format} ${ps.system}`, ps.dataBytes, written.get(ps.system));
    if (enc) {
      const exact = await planForTicket(ticket.request, siteObj(), { passphrases: { 'ENC-SQL01': passphrase } });
      expect(exact.estimated).toBe(false);
      within(`${format} ENC-SQL01 (passphrase given)`, exact.systems.find((x) => x.system === 'ENC-SQL01')!.dataBytes, written.get('ENC-SQL01'));
      within(`image ${format} total`, exact.dataBytes, res.bytes);
    } else within(`image ${format} total`, plan.dataBytes, res.bytes);
    expect(await labFingerprint(lab)).toEqual(before);
  });
});
