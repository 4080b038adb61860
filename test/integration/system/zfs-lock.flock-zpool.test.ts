// The lock between zfs commands and kernel mounts of images on zfs-fuse (system/zfs-fuse/lock.ts),
// with the real locker (perl flock) and zpool: a zfs command waits while a mount holds the lock
// alone, a mount goes before the zfs commands that arrive while it waits, and one that cannot get
// the lock in time is refused as ZFS_BUSY, never run without it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { execa } from 'execa';
import { run } from '../../../electron/system/run.ts';
import { lockedCommand, mayMountZfs, takesZfsLock, underZfsLock, zfsFuseMountLockPath } from '../../../electron/system/zfs-fuse/lock.ts';
import { ensureZfs } from '../../../electron/system/zfs/index.ts';
import { gateHeld, holdLock, mounterStartedAt, useOwnZfsLockDir } from '../../helpers/zfs-lock-holders.ts';

describe('zfs lock (flock, zpool)', () => {
  useOwnZfsLockDir('zfslockdir');

  it('takes zfs and zpool commands but not the streams', () => {
    expect(takesZfsLock('zpool', ['list'])).toBe(true);
    expect(takesZfsLock('zfs', ['destroy', 'p/x'])).toBe(true);
    expect(takesZfsLock('zfs', ['send', 'p/x@1'])).toBe(false);
    expect(takesZfsLock('zfs', ['receive', 'p/y'])).toBe(false);
    expect(takesZfsLock('mount', ['-t', 'ext4'])).toBe(false);
  });

  it('a zpool command waits while a mount holds the lock, and runs as soon as it is released', async () => {
    await ensureZfs();
    const { ended } = await holdLock('exclusive', 1500);
    const r = await run('zpool', ['list', '-H', '-o', 'name'], { op: 'list pools' });
    const doneAt = Date.now();
    expect(r.exitCode).toBe(0);
    expect(doneAt).toBeGreaterThanOrEqual(await ended);
  });

  it('a mount waiting for the lock goes before the zfs commands that arrive meanwhile', async () => {
    await ensureZfs();
    const order: string[] = [];
    const { child: reader } = await holdLock('shared', 5000);
    const readerDone = reader.then(() => order.push('first zfs command done'));
    // The "mount" waits for the running command; a zpool started after it must wait for the mount.
    const mount = run('sh', ['-c', 'sleep 0.5'], { op: 'mount a volume', zfsLock: 'exclusive' }).then(() => order.push('mount done'));
    await gateHeld();
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

  it('knows which zfs commands can mount a filesystem, and gives only those the mount lock', () => {
    for (const a of [['create', 'p/x'], ['clone', 'p/x@1', 'p/y'], ['mount', 'p/x'], ['rollback', '-r', 'p/x@1'], ['set', 'mountpoint=/m', 'p/x'], ['rename', 'p/x', 'p/z'], ['inherit', 'mountpoint', 'p/x']]) {
      expect(mayMountZfs('zfs', a)).toBe(true);
    }
    expect(mayMountZfs('zpool', ['create', 'p', '/dev/loop9'])).toBe(true);
    expect(mayMountZfs('zpool', ['import', 'p'])).toBe(true);
    for (const a of [['list'], ['get', 'all', 'p'], ['snapshot', 'p/x@1'], ['destroy', 'p/x'], ['send', 'p/x@1'], ['receive', 'p/y']]) {
      expect(mayMountZfs('zfs', a)).toBe(false);
    }
    expect(mayMountZfs('zpool', ['list'])).toBe(false);
    expect(mayMountZfs('mount', ['-t', 'ext4'])).toBe(false);
    expect(lockedCommand('zfs', ['create', 'p/x']).args).toContain(zfsFuseMountLockPath());
    expect(lockedCommand('zfs', ['list']).args).not.toContain(zfsFuseMountLockPath());
  });

  it('two zfs commands that can mount never run at the same time; one that cannot runs beside them', async () => {
    await ensureZfs();
    // Held for 5 s: the zpool list below must be done within it, on a machine that may be busy.
    const { ended } = await holdLock('shared', 5000, { mounts: true });
    // A second command that can mount (a stand-in printing when it starts: the locker is the same)...
    const secondStarted = mounterStartedAt();
    // ...and one that cannot mount (zpool list), which is done while the first still runs.
    await run('zpool', ['list', '-H', '-o', 'name'], { op: 'list pools' });
    const zpoolDone = Date.now();
    const firstEnded = await ended;
    expect(zpoolDone).toBeLessThan(firstEnded);
    expect(await secondStarted).toBeGreaterThanOrEqual(firstEnded);
  });

  it('says TOOL_MISSING, not a flock message, for a zfs tool that is not there', async () => {
    // The decorator in place, as for every zfs command of the engine: run() starts the locker.
    await ensureZfs();
    const l = underZfsLock('zfs-not-installed', ['list'], 'shared');
    const r = await execa(l.cmd, l.args, { reject: false });
    expect(r.exitCode).not.toBe(0);
    await expect(run('zfs-not-installed', ['list'], { op: 'list', zfsLock: 'shared' })).rejects.toMatchObject({ code: 'TOOL_MISSING' });
  });
});
