// The lock between zfs commands and kernel mounts of images on zfs-fuse (system/zfs-fuse-lock.ts),
// with the real locker (perl flock) and zpool: a zfs command waits while a mount holds the lock
// alone, a mount goes before the zfs commands that arrive while it waits, and one that cannot get
// the lock in time is refused as ZFS_BUSY, never run without it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { execa } from 'execa';
import { run } from '../../../electron/system/run.ts';
import { takesZfsLock, underZfsLock } from '../../../electron/system/zfs-fuse-lock.ts';
import { ensureZfs } from '../../../electron/system/zfs/index.ts';

/** Holds the lock in `mode` for `ms` through flock(1), as a mount or a zfs command would; resolves once it is held. */
async function holdLock(mode: 'shared' | 'exclusive', ms: number) {
  const l = underZfsLock('sh', ['-c', `echo held; exec sleep ${ms / 1000}`], mode);
  const child = execa(l.cmd, l.args);
  // flock runs the command only once it has the lock: its first line says so.
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  // Wrapped: an execa child is a promise, and returning it from here would wait for it.
  return { child };
}

describe('zfs lock (flock, zpool)', () => {
  // Its own lock files: the other test files' zfs commands and mounts (the other worker) would
  // otherwise take part, and a mount of theirs waiting makes every zfs command here wait too.
  let lockDir = '';
  beforeAll(() => {
    lockDir = mkdtempSync(join(tmpdir(), 'rt-zfslockdir-'));
    process.env.ROUNDTRIP_ZFS_LOCK_DIR = lockDir;
  });
  afterAll(() => {
    delete process.env.ROUNDTRIP_ZFS_LOCK_DIR;
    rmSync(lockDir, { recursive: true, force: true });
  });

  it('takes zfs and zpool commands but not the streams', () => {
    expect(takesZfsLock('zpool', ['list'])).toBe(true);
    expect(takesZfsLock('zfs', ['destroy', 'p/x'])).toBe(true);
    expect(takesZfsLock('zfs', ['send', 'p/x@1'])).toBe(false);
    expect(takesZfsLock('zfs', ['receive', 'p/y'])).toBe(false);
    expect(takesZfsLock('mount', ['-t', 'ext4'])).toBe(false);
  });

  it('a zpool command waits while a mount holds the lock, and runs as soon as it is released', async () => {
    await ensureZfs();
    const { child: holder } = await holdLock('exclusive', 1500);
    const order: string[] = [];
    const held = holder.then(() => order.push('mount released'));
    const r = await run('zpool', ['list', '-H', '-o', 'name'], { op: 'list pools' }).then((x) => (order.push('zpool done'), x));
    await held;
    expect(r.exitCode).toBe(0);
    expect(order).toEqual(['mount released', 'zpool done']);
  });

  it('a mount waiting for the lock goes before the zfs commands that arrive meanwhile', async () => {
    await ensureZfs();
    const order: string[] = [];
    const { child: reader } = await holdLock('shared', 1500);
    const readerDone = reader.then(() => order.push('first zfs command done'));
    // The "mount" waits for the running command; a zpool started after it must wait for the mount.
    const mount = run('sh', ['-c', 'sleep 0.5'], { op: 'mount a volume', zfsLock: 'exclusive' }).then(() => order.push('mount done'));
    await new Promise((r) => setTimeout(r, 300));
    const later = run('zpool', ['list', '-H', '-o', 'name'], { op: 'list pools' }).then(() => order.push('later zpool done'));
    await Promise.all([readerDone, mount, later]);
    expect(order).toEqual(['first zfs command done', 'mount done', 'later zpool done']);
  });

  it('a mount that cannot get the lock in time is refused (ZFS_BUSY) and not run without it', async () => {
    const { child: holder } = await holdLock('shared', 30_000);
    const ran = join(mkdtempSync(join(tmpdir(), 'rt-zfslock-')), 'ran');
    process.env.ROUNDTRIP_ZFS_LOCK_WAIT_S = '1';
    try {
      await expect(run('touch', [ran], { op: 'mount a volume', zfsLock: 'exclusive' })).rejects.toMatchObject({ code: 'ZFS_BUSY' });
      expect(existsSync(ran)).toBe(false);
    } finally {
      delete process.env.ROUNDTRIP_ZFS_LOCK_WAIT_S;
      holder.kill();
      await holder.catch(() => {});
      rmSync(dirname(ran), { recursive: true, force: true });
    }
  });

  it('zfs commands do not wait for each other (shared)', async () => {
    await ensureZfs();
    const { child: holder } = await holdLock('shared', 30_000);
    let holderEnded = false;
    const held = holder.then(() => (holderEnded = true), () => (holderEnded = true));
    await run('zpool', ['list', '-H', '-o', 'name'], { op: 'list pools' });
    // Done while the other zfs command still holds the lock shared.
    expect(holderEnded).toBe(false);
    holder.kill();
    await held;
  });

  it('says TOOL_MISSING, not a flock message, for a zfs tool that is not there', async () => {
    const l = underZfsLock('zfs-not-installed', ['list'], 'shared');
    const r = await execa(l.cmd, l.args, { reject: false });
    expect(r.exitCode).not.toBe(0);
    await expect(run('zfs-not-installed', ['list'], { op: 'list', zfsLock: 'shared' })).rejects.toMatchObject({ code: 'TOOL_MISSING' });
  });
});
