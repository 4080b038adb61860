// Enumeration and hot-plug on scratch loop devices: lsblk's tree, blkid's view of each partition,
// the lab registry, and the watcher's added/changed/removed events. Also the `drives` CLI.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enumerate } from '../../../electron/drives/enumerate.ts';
import { DriveWatcher, type DriveEvent } from '../../../electron/drives/watch.ts';
import { registerDrives, unregisterDrives } from '../../../electron/drives/registered-drives.ts';
import { makeScratch } from '../../helpers/scratch.ts';
import { detachAllOwn, detachOwn, labLoop, privateHome, unmountUnder } from './helpers.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'bin', 'roundtrip.mjs');
const scratch = makeScratch('drvenum');
const home = privateHome('drvenum');
let parted: string;

beforeAll(async () => {
  // A drive as a technician might receive it: GPT with an NTFS partition and an empty one.
  parted = await labLoop(scratch, 'received');
  await execa('sfdisk', ['--quiet', '--no-reread', parted], { input: 'label: gpt\nsize=1GiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="Windows"\nsize=1GiB\n' });
  await execa('partprobe', [parted]);
  await execa('mkfs.ntfs', ['-Q', '-F', '-q', '-L', 'Photos', `${parted}p1`]);
});

afterAll(async () => {
  await unmountUnder(scratch.dir);
  await detachAllOwn();
  await scratch.cleanup();
  home.restore();
});

describe('enumerate (lsblk, blkid, drivelist, lab registry)', () => {
  it('shows a lab drive with its partitions, what is on them, and a verdict with reasons', async () => {
    const listing = await enumerate();
    const d = listing.drives.find((x) => x.device === parted)!;
    expect(d).toMatchObject({ kind: 'loop', bus: 'loop', lab: { label: 'received' }, partitionTable: 'gpt', readOnly: false });
    expect(d.sizeBytes).toBe(300 * 2 ** 30);
    expect(d.partitions.map((p) => ({ n: p.number, fs: p.fsType, label: p.label, name: p.partLabel }))).toEqual([
      { n: 1, fs: 'ntfs', label: 'Photos', name: 'Windows' },
      { n: 2, fs: null, label: null, name: null },
    ]);
    expect(d.verdict).toMatchObject({ eligible: true, ready: false, refusals: [] });
    expect(d.verdict.warnings[0]).toMatchObject({ code: 'DRIVE_HAS_DATA', confirmWith: 'confirmData' });
    expect(d.verdict.warnings[0].message).toContain('ntfs filesystem "Photos"');
    expect(listing.drives.find((x) => x.device === '/dev/vda')?.verdict.refusals[0].code).toBe('DRIVE_SYSTEM');
  });

  it('does not take a loop device reused by another file for the lab drive registered there', async () => {
    const other = await labLoop(scratch, 'other', '300G', { register: false });
    registerDrives([{ device: other, backingFile: '/nonexistent/elsewhere.img', label: 'stale', sizeBytes: 1, labDir: '/x' }]);
    const listing = await enumerate();
    expect(listing.drives.some((x) => x.device === other)).toBe(false);
    expect(listing.notes.join('\n')).toMatch(new RegExp(`${other} no longer holds lab drive "stale"`));
    unregisterDrives([other]);
  });

  it('prints a table with the verdict and the reasons (roundtrip drives)', async () => {
    const r = await execa('node', [CLI, 'drives'], { env: { ROUNDTRIP_HOME: home.home } });
    expect(r.stdout).toMatch(/DEVICE\s+SIZE\s+BUS\s+MODEL\s+SERIAL\s+VERDICT/);
    expect(r.stdout).toMatch(new RegExp(`${parted}\\s+322 GB\\s+lab\\s+lab drive "received".*eligible after confirmation`));
    expect(r.stdout).toContain('DRIVE_SYSTEM: /dev/vda is the system disk');
    const j = await execa('node', [CLI, 'drives', '--json'], { env: { ROUNDTRIP_HOME: home.home } });
    const listing = JSON.parse(j.stdout) as { drives: Array<{ device: string }> };
    expect(listing.drives.map((d) => d.device)).toContain(parted);
  });
});

describe('hot-plug watcher (losetup)', () => {
  it('reports a drive attached, changed (mounted) and detached', async () => {
    const w = new DriveWatcher({ intervalMs: 200 });
    const events: DriveEvent[] = [];
    const waitFor = (pred: (e: DriveEvent) => boolean, ms = 10_000) =>
      new Promise<DriveEvent>((resolve, reject) => {
        const hit = events.find(pred);
        if (hit) return resolve(hit);
        const t = setTimeout(() => reject(new Error('no such drive event within ' + ms + ' ms')), ms);
        const on = (e: DriveEvent) => {
          if (pred(e)) {
            clearTimeout(t);
            resolve(e);
          }
        };
        for (const n of ['drive-added', 'drive-removed', 'drive-changed']) w.on(n, on);
      });
    for (const n of ['drive-added', 'drive-removed', 'drive-changed']) w.on(n, (e: DriveEvent) => events.push(e));
    await w.start();
    try {
      const dev = await labLoop(scratch, 'hotplug', '260G');
      const added = await waitFor((e) => e.type === 'drive-added' && e.drive.device === dev);
      expect(added.drive.lab?.label).toBe('hotplug');
      expect(added.drive.verdict.eligible).toBe(true);

      await execa('mkfs.ext4', ['-q', '-F', '-E', 'nodiscard,lazy_itable_init=1', dev]);
      const mnt = scratch.mount(join(scratch.dir, 'hp'));
      mkdirSync(mnt);
      await execa('mount', [dev, mnt]);
      const changed = await waitFor((e) => e.type === 'drive-changed' && e.drive.device === dev && e.drive.mountpoints.includes(mnt));
      expect(changed.drive.verdict.refusals.map((r) => r.code)).toEqual(['DRIVE_MOUNTED']);
      await execa('umount', [mnt]);

      await detachOwn(dev);
      const removed = await waitFor((e) => e.type === 'drive-removed' && e.drive.device === dev);
      expect(removed.drive.lab?.label).toBe('hotplug');
    } finally {
      w.stop();
    }
  });
});
