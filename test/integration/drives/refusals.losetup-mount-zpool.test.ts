// Every refusal of the drive policy, triggered for real on scratch loop devices (losetup -r, mount,
// zpool create, a job's claim), through the engine API directly and through the CLI, with nothing
// written: each device's first and last MiB stay the same. /dev/vda, the disk holding /, is only
// judged and previewed (format without yes): no write path is ever sent at it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDrives, releaseDrives } from '../../../electron/drives/busy.ts';
import { enumerate, inspectDrive } from '../../../electron/drives/enumerate.ts';
import { formatDrives } from '../../../electron/drives/format.ts';
import { assertWritable } from '../../../electron/drives/guard.ts';
import { wipeDrive } from '../../../electron/drives/wipe.ts';
import { makeScratch } from '../../helpers/scratch.ts';
import { backingOf, destroyPoolsOn, detachAllOwn, edges, failure, labLoop, privateHome, unmountUnder } from './helpers.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'bin', 'roundtrip.mjs');
const scratch = makeScratch('drvref');
const home = privateHome('drvref');
const loops: string[] = [];
const dev: Record<string, string> = {};
const before: Record<string, string> = {};
let sourcePool = '';
let mountpoint = '';

const ALL_CONFIRMED = { yes: true, unmount: false, confirmInternal: true, confirmData: true } as const;

async function cli(args: string[]) {
  const r = await execa('node', [CLI, ...args, '--json'], { reject: false, env: { ROUNDTRIP_HOME: home.home } });
  return { exitCode: r.exitCode, json: JSON.parse(r.stdout || '{}') as { error?: { code: string; message: string } } & Record<string, unknown> };
}

beforeAll(async () => {
  dev.mounted = await labLoop(scratch, 'mounted');
  await execa('mkfs.ext4', ['-q', '-F', '-E', 'nodiscard,lazy_itable_init=1', dev.mounted]);
  mountpoint = scratch.mount(join(scratch.dir, 'mnt'));
  mkdirSync(mountpoint);
  // Read-only: a read-write ext4 writes to its device on its own (lazy inode-table init, superblock
  // updates at any sync), which would change the "nothing written" edges under the test.
  await execa('mount', ['-o', 'ro', dev.mounted, mountpoint]);

  dev.readonly = await labLoop(scratch, 'readonly', '300G', { readOnly: true });
  dev.small = await labLoop(scratch, 'small', '120G');

  dev.source = await labLoop(scratch, 'source');
  sourcePool = scratch.pool(scratch.uniqueName('rtsrc'));
  await zfsCmd('zpool', ['create', '-m', 'none', sourcePool, dev.source]);

  dev.busy = await labLoop(scratch, 'busy');
  claimDrives([dev.busy], 'sync-job-42');

  // Not registered with the lab: an internal disk as far as the policy knows.
  dev.internal = await labLoop(scratch, 'internal', '300G', { register: false });

  for (const k of Object.keys(dev)) {
    loops.push(dev[k]);
    before[k] = edges(backingOf(scratch, k));
  }
});

afterAll(async () => {
  releaseDrives([dev.busy], 'sync-job-42');
  await destroyPoolsOn(loops);
  await unmountUnder(scratch.dir);
  await detachAllOwn();
  await scratch.cleanup();
  home.restore();
});

const cases: Array<[string, string, RegExp]> = [
  ['mounted', 'DRIVE_MOUNTED', /mounted filesystem \(.*\/mnt\)/],
  ['readonly', 'DRIVE_READONLY', /read-only/],
  ['small', 'DRIVE_TOO_SMALL', /129 GB; a RoundTrip drive needs at least 250 GB/],
  ['source', 'DRIVE_SOURCE_POOL', /part of the pool "rtsrc/],
  ['busy', 'DRIVE_BUSY', /in use by job sync-job-42/],
];

describe('policy refusals on loop devices (losetup, mount, zpool)', () => {
  it.each(cases)('%s: formatDrives refuses with %s, with and without yes, and writes nothing', async (k, code, sentence) => {
    const real = await failure(formatDrives({ devices: [dev[k]], layout: 'zfs', label: 'T9', ...ALL_CONFIRMED }));
    expect(real.code).toBe(code);
    expect(real.message).toMatch(sentence);
    const preview = await failure(formatDrives({ devices: [dev[k]], layout: 'ext4', label: 'T9' }));
    expect(preview.code).toBe(code);
    expect(edges(backingOf(scratch, k))).toBe(before[k]);
  });

  it.each(cases)('%s: the guard every write path calls refuses with %s, and so does the wipe itself', async (k, code) => {
    expect((await failure(assertWritable(dev[k], { confirmData: true, confirmInternal: true }))).code).toBe(code);
    expect((await failure(wipeDrive(dev[k], { expectDiskseq: null, confirmData: true, confirmInternal: true }))).code).toBe(code);
    expect(edges(backingOf(scratch, k))).toBe(before[k]);
  });

  it('lists each drive with its refusal', async () => {
    const listing = await enumerate();
    for (const [k, code] of cases) {
      const d = listing.drives.find((x) => x.device === dev[k]);
      expect(d?.verdict.refusals.map((r) => r.code), k).toContain(code);
      expect(d?.verdict.eligible).toBe(false);
    }
    expect(listing.drives.find((x) => x.device === dev.source)?.pools[0]).toMatchObject({ pool: sourcePool, unit: false });
    expect(listing.drives.find((x) => x.device === dev.mounted)?.mountpoints).toEqual([mountpoint]);
    // Unregistered loop devices are not in the listing unless asked for.
    expect(listing.drives.some((x) => x.device === dev.internal)).toBe(false);
  });

  it('refuses a drive claimed by a job in another process too (CLI, lock file)', async () => {
    const r = await cli(['format', dev.busy, '--layout', 'ext4', '--label', 'T9', '--yes', '--confirm-data']);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.code).toBe('DRIVE_BUSY');
    expect(edges(backingOf(scratch, 'busy'))).toBe(before.busy);
  });

  it('needs the internal-disk confirmation for a drive that is neither USB nor a lab drive, then formats it', async () => {
    const e = await failure(formatDrives({ devices: [dev.internal], layout: 'ext4', label: 'T9', yes: true }));
    expect(e.code).toBe('DRIVE_NEEDS_CONFIRMATION');
    expect(e.message).toMatch(/not a USB drive \(bus: loop\)/);
    expect(edges(backingOf(scratch, 'internal'))).toBe(before.internal);
    const cliRes = await cli(['format', dev.internal, '--layout', 'ext4', '--label', 'T9', '--yes']);
    expect(cliRes.json.error?.code).toBe('DRIVE_NEEDS_CONFIRMATION');
    expect(edges(backingOf(scratch, 'internal'))).toBe(before.internal);
    const ok = await formatDrives({ devices: [dev.internal], layout: 'ext4', label: 'T9', yes: true, confirmInternal: true });
    expect(ok.dryRun).toBe(false);
  });

  it('"unmount and erase": with unmount the mounted drive is unmounted, then formatted', async () => {
    const preview = await formatDrives({ devices: [dev.mounted], layout: 'ext4', label: 'T9', unmount: true });
    expect(preview.dryRun).toBe(true);
    if (!preview.dryRun) return;
    expect(preview.drives[0].willUnmount).toEqual([mountpoint]);
    expect(preview.summary).toContain(`ext4 filesystem on the whole disk`);
    expect(preview.unconfirmed.map((w) => w.code)).toEqual(['DRIVE_HAS_DATA']);
    const r = await formatDrives({ devices: [dev.mounted], layout: 'ext4', label: 'T9', yes: true, unmount: true, confirmData: true });
    expect(r.dryRun).toBe(false);
    expect((await execa('findmnt', ['-n', mountpoint], { reject: false })).exitCode).not.toBe(0);
  });
});

describe('the system disk (/dev/vda, holding /): judged and previewed only', () => {
  it('is refused as DRIVE_SYSTEM by the policy', async () => {
    const found = await inspectDrive('/dev/vda');
    expect(found).not.toBeNull();
    expect(found!.drive.mountpoints).toContain('/');
    expect(found!.drive.verdict.refusals.map((r) => r.code)).toContain('DRIVE_SYSTEM');
    const listing = await enumerate();
    expect(listing.drives.find((d) => d.device === '/dev/vda')?.verdict.eligible).toBe(false);
  });

  it('format without yes refuses it too, through the engine API and the CLI', async () => {
    const e = await failure(formatDrives({ devices: ['/dev/vda'], layout: 'zfs', label: 'T9', confirmInternal: true, confirmData: true }));
    expect(e.code).toBe('DRIVE_SYSTEM');
    expect(e.message).toMatch(/system disk: it holds \//);
    const r = await cli(['format', '/dev/vda', '--layout', 'ntfs', '--label', 'T9']);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.code).toBe('DRIVE_SYSTEM');
  });

  it('refuses it even next to an eligible drive in the same request', async () => {
    const e = await failure(formatDrives({ devices: [dev.internal, '/dev/vda'], layout: 'zfs', label: 'T9', confirmInternal: true, confirmData: true }));
    expect(e.code).toBe('DRIVE_SYSTEM');
  });
});
