// One lock between zfs commands and kernel mounts of volume images that live on ZFS.
//
// zfs-fuse calls sync() while it handles some commands (seen here: zfs destroy, zfs clone, zpool
// create), and sync() waits for every filesystem that is being mounted. A kernel ext4 mount of a
// volume image inside a zfs-fuse dataset (a loop device over the image) reads that image through
// zfs-fuse while it holds its superblock lock. When both meet, neither finishes, and from then on
// every file access on every zfs-fuse dataset waits for good (seen in CI: the whole suite timed out).
//
// So zfs and zpool commands hold this lock shared (they still run side by side) and such a mount
// holds it alone. flock(1) with --no-fork becomes the command itself: its exit code, its signals,
// and the lock is released when it exits, also when it is killed. The streams (zfs send/receive)
// do not take it: they run for hours and do not unmount anything.
import { existsSync } from 'node:fs';

export const ZFS_FUSE_LOCK = '/run/roundtrip-zfs.flock';

/** flock(1)'s exit code when it cannot run the command (util-linux: EX_UNAVAILABLE / 127). */
export const FLOCK_EXEC_FAILED = [69, 127];

/** flock(1)'s exit code (-E) when the exclusive wait ran out. */
export const ZFS_LOCK_TIMED_OUT = 75;

/** How long a mount waits for running zfs commands before it goes on without the lock. */
const EXCLUSIVE_WAIT_S = 60;

let flockPath: string | null | undefined;
function flock(): string | null {
  if (flockPath === undefined) flockPath = ['/usr/bin/flock', '/bin/flock'].find((p) => existsSync(p)) ?? null;
  return flockPath;
}

/** `cmd args` run under the lock, or unchanged where flock(1) is missing. */
export function underZfsLock(cmd: string, args: readonly string[], mode: 'shared' | 'exclusive'): { cmd: string; args: string[] } {
  const f = flock();
  if (!f) return { cmd, args: [...args] };
  const how = mode === 'shared' ? ['-s'] : ['-x', '-w', String(EXCLUSIVE_WAIT_S), '-E', String(ZFS_LOCK_TIMED_OUT)];
  return { cmd: f, args: ['-F', ...how, ZFS_FUSE_LOCK, cmd, ...args] };
}

/** zfs and zpool, except the streaming ones, take the lock shared. */
export function takesZfsLock(cmd: string, args: readonly string[]): boolean {
  if (cmd !== 'zfs' && cmd !== 'zpool') return false;
  return !(cmd === 'zfs' && (args[0] === 'send' || args[0] === 'receive' || args[0] === 'recv'));
}

/** `cmd args` as it is run: under the lock shared when it takes it (takesZfsLock), unchanged otherwise. */
export function lockedCommand(cmd: string, args: readonly string[]): { cmd: string; args: string[] } {
  return takesZfsLock(cmd, args) ? underZfsLock(cmd, args, 'shared') : { cmd, args: [...args] };
}
