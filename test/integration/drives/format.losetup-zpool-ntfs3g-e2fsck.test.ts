// Formatting for real on scratch loop devices, checked with the real tools.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eject } from '../../../electron/drives/eject.ts';
import { enumerate } from '../../../electron/drives/enumerate.ts';
import { formatDrives, type FormatDoneResult } from '../../../electron/drives/format.ts';
import { readUnitMetadata } from '../../../electron/drives/metadata.ts';
import { wireAudit } from '../../../electron/engine/wire-audit.ts';
import { listAudit } from '../../../electron/tickets/audit.ts';
import { makeScratch } from '../../helpers/scratch.ts';
import { blkid, destroyPoolsOn, detachAllOwn, edges, failure, labLoop, part, privateHome, short, backingOf, unmountUnder } from './helpers.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const scratch = makeScratch('drvfmt');
const home = privateHome('drvfmt');
const loops: string[] = [];
let a: string, b: string, c: string, d: string;

beforeAll(async () => {
  wireAudit(); // as every host does when it starts
  a = await labLoop(scratch, 'fmtA');
  b = await labLoop(scratch, 'fmtB');
  c = await labLoop(scratch, 'fmtC');
  d = await labLoop(scratch, 'fmtD');
  loops.push(a, b, c, d);
});

afterAll(async () => {
  await destroyPoolsOn(loops);
  await unmountUnder(scratch.dir);
  await detachAllOwn();
  await scratch.cleanup();
  home.restore();
});

describe('format zfs: zpool status, blkid, e2fsck', () => {
  let unit: FormatDoneResult;

  it('previews without --yes and writes nothing', async () => {
    const before = [edges(backingOf(scratch, 'fmtA')), edges(backingOf(scratch, 'fmtB'))];
    const p = await formatDrives({ devices: [a, b], layout: 'zfs', label: 'T100-ACME', ticketId: 'T100' });
    expect(p.dryRun).toBe(true);
    if (!p.dryRun) return;
    expect(p.drives.map((x) => x.device)).toEqual([a, b]);
    expect(p.summary).toContain(`${a} — lab drive "fmtA"`);
    expect(p.summary).toContain('blank (no filesystem or pool found)');
    expect(p.unconfirmed).toEqual([]);
    expect([edges(backingOf(scratch, 'fmtA')), edges(backingOf(scratch, 'fmtB'))]).toEqual(before);
    expect((await blkid(a)).PTTYPE).toBeUndefined();
  });

  it('stripes one pool over both drives (R5), each with an RTMETA ext4 partition holding metadata.json', async () => {
    const r = await formatDrives({ devices: [a, b], layout: 'zfs', label: 'T100-ACME', ticketId: 'T100', yes: true });
    expect(r.dryRun).toBe(false);
    if (r.dryRun) return;
    unit = r;
    expect(unit.pool!.name).toMatch(/^rt_T100_[a-z0-9]{6}$/);
    scratch.pool(unit.pool!.name);

    const status = (await zfsCmd('zpool', ['status', unit.pool!.name])).stdout;
    expect(status).toMatch(/state: ONLINE/);
    expect(status).toContain(short(part(a, 2)));
    expect(status).toContain(short(part(b, 2)));
    expect((await zfsCmd('zfs', ['get', '-H', '-o', 'value', 'roundtrip:unit', unit.pool!.name])).stdout.trim()).toBe('yes');

    for (const dev of [a, b]) {
      const meta = await blkid(part(dev, 1));
      expect(meta).toMatchObject({ TYPE: 'ext4', LABEL: 'RTMETA', PART_ENTRY_NAME: 'RTMETA' });
      const data = await blkid(part(dev, 2));
      expect(data).toMatchObject({ TYPE: 'zfs_member', LABEL: unit.pool!.name, PART_ENTRY_NAME: 'RTDATA' });
      expect((await execa('e2fsck', ['-n', part(dev, 1)], { reject: false })).exitCode).toBe(0);
    }
    const doc = await readUnitMetadata(part(b, 1));
    expect(doc).toMatchObject({ format: 'roundtrip-unit', unitId: unit.unitId, layout: 'zfs', ticketId: 'T100', pool: { name: unit.pool!.name } });
    expect(doc.drive).toMatchObject({ index: 2, count: 2, device: b });
    expect(doc.members).toHaveLength(2);
    expect(doc.pool!.guid).toMatch(/^\d+$/);
  });

  it('records each erase and the format in the tickets\' audit trail', () => {
    const entries = listAudit({ ticketId: 'T100' });
    expect(entries.filter((e) => e.action === 'drive.erase').map((e) => e.details.device)).toEqual([a, b]);
    expect(entries.filter((e) => e.action === 'drive.format').map((e) => e.details.unitId)).toEqual([unit.unitId]);
  });

  it('lists the formatted drives with their unit pool, and refuses to erase one half of the stripe', async () => {
    const listing = await enumerate();
    const da = listing.drives.find((x) => x.device === a)!;
    expect(da.lab?.label).toBe('fmtA');
    expect(da.partitionTable).toBe('gpt');
    expect(da.partitions.map((p) => [p.number, p.partLabel, p.fsType])).toEqual([[1, 'RTMETA', 'ext4'], [2, 'RTDATA', 'zfs_member']]);
    expect(da.pools).toEqual([{ pool: unit.pool!.name, member: part(a, 2), unit: true, poolDisks: [a, b] }]);
    expect(da.verdict.eligible).toBe(true);
    expect(da.verdict.warnings.map((w) => w.code)).toEqual(['DRIVE_HAS_DATA']);

    const half = await failure(formatDrives({ devices: [a], layout: 'ext4', label: 'X', yes: true, confirmData: true }));
    expect(half.code).toBe('DRIVE_IN_POOL');
    expect(half.message).toContain(b);
  });

  it('ejects: exports the pool, and says both drives can be unplugged', async () => {
    const res = await eject([a, b]);
    expect(res[0]).toMatchObject({ device: a, exportedPools: [unit.pool!.name], releasedWith: [b], safeToUnplug: true });
    expect(res[1]).toMatchObject({ device: b, exportedPools: [], safeToUnplug: true });
    expect((await zfsCmd('zpool', ['list', '-H', '-o', 'name'])).stdout.split('\n')).not.toContain(unit.pool!.name);
  });

  it('reformatting erases the exported pool for good, its labels at the end of the partitions included', async () => {
    const dir = join(scratch.dir, 'vdevs');
    mkdirSync(dir);
    symlinkSync(part(a, 2), join(dir, 'a2'));
    symlinkSync(part(b, 2), join(dir, 'b2'));
    expect((await zfsCmd('zpool', ['import', '-d', dir], { reject: false })).stdout).toContain(unit.pool!.name);

    const needs = await failure(formatDrives({ devices: [a, b], layout: 'ext4', label: 'T100-AGAIN', yes: true }));
    expect(needs.code).toBe('DRIVE_NEEDS_CONFIRMATION');
    expect(needs.message).toContain(`ZFS pool "${unit.pool!.name}"`);

    const r = await formatDrives({ devices: [a, b], layout: 'ext4', label: 'T100-AGAIN', yes: true, confirmData: true });
    expect(r.dryRun).toBe(false);
    expect((await zfsCmd('zpool', ['import', '-d', dir], { reject: false })).stdout).not.toContain(unit.pool!.name);
    expect(await blkid(part(a, 2))).toMatchObject({ TYPE: 'ext4', LABEL: 'T100-AGAIN-1' });
    expect(await blkid(part(b, 2))).toMatchObject({ TYPE: 'ext4', LABEL: 'T100-AGAIN-2' });
  });
});

describe('format ntfs: mkfs.ntfs, blkid, ntfs-3g', () => {
  it('makes one NTFS filesystem that ntfs-3g mounts and writes', async () => {
    const r = await formatDrives({ devices: [c], layout: 'ntfs', label: 'T101-ACME', yes: true });
    expect(r.dryRun).toBe(false);
    if (r.dryRun) return;
    expect(r.drives[0]).toMatchObject({ device: c, dataPartition: part(c, 2), dataFs: 'ntfs', fsLabel: 'T101-ACME' });
    expect(await blkid(part(c, 2))).toMatchObject({ TYPE: 'ntfs', LABEL: 'T101-ACME', PART_ENTRY_NAME: 'RTDATA' });
    const mnt = scratch.mount(join(scratch.dir, 'ntfs'));
    mkdirSync(mnt);
    await execa('ntfs-3g', [part(c, 2), mnt]);
    try {
      await execa('sh', ['-c', 'echo hello > "$1/probe.txt" && cat "$1/probe.txt"', 'sh', mnt]);
    } finally {
      await execa('umount', [mnt]);
    }
    expect((await execa('e2fsck', ['-n', part(c, 1)], { reject: false })).exitCode).toBe(0);
  });
});

describe('format ext4: mkfs.ext4, blkid, e2fsck', () => {
  it('makes one ext4 filesystem that e2fsck -n finds clean', async () => {
    const r = await formatDrives({ devices: [d], layout: 'ext4', label: 'T102-LINUX', ticketId: 'T102', yes: true });
    expect(r.dryRun).toBe(false);
    expect(await blkid(part(d, 2))).toMatchObject({ TYPE: 'ext4', LABEL: 'T102-LINUX' });
    for (const n of [1, 2]) expect((await execa('e2fsck', ['-n', part(d, n)], { reject: false })).exitCode).toBe(0);
    const doc = await readUnitMetadata(part(d, 1));
    expect(doc).toMatchObject({ layout: 'ext4', pool: null, drive: { index: 1, count: 1, dataPartition: { fsType: 'ext4', fsLabel: 'T102-LINUX' } } });
  });

  it('through the CLI, the erase reaches the audit trail too (the CLI host wires it)', async () => {
    const cli = join(import.meta.dirname, '..', '..', '..', 'bin', 'roundtrip.mjs');
    const r = await execa('node', [cli, 'format', d, '--layout', 'ext4', '--label', 'T103-CLI', '--ticket', 'T103', '--yes', '--confirm-data', '--json'], { reject: false, env: { ROUNDTRIP_HOME: home.home } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(listAudit({ ticketId: 'T103' }).map((e) => [e.action, e.details.device ?? null])).toEqual([['drive.erase', d], ['drive.format', null]]);
  });
});
