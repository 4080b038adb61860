// One lock between zfs commands and kernel mounts of volume images that live on ZFS.
//
// zfs-fuse calls sync() while it handles some commands (seen here: zfs destroy of a dataset or a
// snapshot, zfs clone, zpool create), and sync() waits for every filesystem that is being mounted.
// A kernel ext4 mount of a volume image inside a zfs-fuse dataset (a loop device over the image)
// reads that image through zfs-fuse while it holds its superblock lock. When both meet, neither
// finishes, and from then on every file access on every zfs-fuse dataset waits for good (a whole
// test suite then times out).
//
// So zfs and zpool commands hold this lock shared (they still run side by side) and such a mount
// holds it alone. The mount has priority: while it waits, new zfs commands wait behind it (a gate
// lock taken on the way in), otherwise a steady stream of overlapping zfs commands could keep it
// out for good. It never goes ahead without the lock: after EXCLUSIVE_WAIT_S it gives up (exit
// ZFS_LOCK_TIMED_OUT) and the caller says ZFS is busy. The streams (zfs send/receive) do not take
// it: they run for hours, and receive was not seen to call sync().
//
// A second deadlock, inside zfs-fuse alone (seen with gdb on a hung daemon): every
// FUSE thread of the daemon waited for its listener's mutex, held by the listener thread blocked in
// read() on the daemon's internal "new filesystem" pipe for 1.7 GB that never came. On each mount
// the daemon writes two messages into that pipe (a header with the mountpoint's length, then the
// mountpoint), in two write() calls; two mounts at the same time can interleave them, the listener
// then reads part of a path as a length, and from then on every access to every zfs-fuse dataset
// waits for good. So the zfs commands that can mount a filesystem (create, clone, mount, rename,
// rollback, ... zpool create and import: mayMountZfs) also hold a mount lock alone: they run one
// at a time, beside the commands that cannot mount. A receive mounts what it received at its end,
// but it is a stream that runs for hours and may wait on other steps: it takes the mount lock only
// once its stream has ended (receive-lock.ts).
//
// OpenZFS runs in the kernel and never calls sync() for a command: no lock there.
//
// The locker is a few lines of perl (locker.pl; perl-base is Essential on Debian, and already moves
// the streams): it takes the locks, then exec()s the command, which keeps the lock's descriptor, so
// the lock is held exactly as long as the command runs, also when it is killed, and the command's
// exit code and signals are its own.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// In /run, one for the machine. ROUNDTRIP_ZFS_LOCK_DIR: a test of the lock itself uses its own,
// so the other test files' zfs commands and mounts do not take part in it.
const lockDir = () => process.env.ROUNDTRIP_ZFS_LOCK_DIR || '/run';
/** Held shared by zfs commands, alone by a mount. */
export const zfsFuseLockPath = () => `${lockDir()}/roundtrip-zfs.flock`;
/** Taken briefly by every zfs command on its way in, and held by a mount while it waits. */
export const zfsFuseGatePath = () => `${lockDir()}/roundtrip-zfs.gate`;
/** Held alone by each zfs command that can make zfs-fuse mount a filesystem. */
export const zfsFuseMountLockPath = () => `${lockDir()}/roundtrip-zfs-mount.flock`;

/** The locker's exit code when it cannot run the command (as flock(1): 127, "failed to execute"). */
export const FLOCK_EXEC_FAILED = [69, 127];

/** The locker's exit code when the exclusive wait ran out. */
export const ZFS_LOCK_TIMED_OUT = 75;

/** How long a mount waits for running zfs commands before it gives up (ROUNDTRIP_ZFS_LOCK_WAIT_S: tests). */
const EXCLUSIVE_WAIT_S = 300;
const exclusiveWait = () => Number(process.env.ROUNDTRIP_ZFS_LOCK_WAIT_S) || EXCLUSIVE_WAIT_S;

// The locker's program (its arguments are described there).
const LOCKER = readFileSync(join(import.meta.dirname, 'locker.pl'), 'utf8');

let perlPath: string | null | undefined;
/** perl's path (the lockers are perl), or null where it is missing. */
export function perl(): string | null {
  if (perlPath === undefined) perlPath = ['/usr/bin/perl', '/bin/perl'].find((p) => existsSync(p)) ?? null;
  return perlPath;
}

/** zfs-fuse is the only ZFS that needs the lock; OpenZFS's module shows in /sys/module. */
export function lockNeeded(): boolean {
  return !existsSync('/sys/module/zfs');
}

/**
 * `cmd args` run under the lock, or unchanged where it is not needed (OpenZFS) or perl is missing.
 * A command that can make zfs-fuse mount a filesystem (mayMountZfs, or `mounts` for one this cannot
 * see, a shell's) also holds the mount lock alone.
 */
export function underZfsLock(cmd: string, args: readonly string[], mode: 'shared' | 'exclusive', opts: { mounts?: boolean } = {}): { cmd: string; args: string[] } {
  const p = perl();
  if (!p || !lockNeeded()) return { cmd, args: [...args] };
  const wait = mode === 'shared' ? 0 : exclusiveWait();
  const mountLock = (opts.mounts ?? mayMountZfs(cmd, args)) ? zfsFuseMountLockPath() : '-';
  return { cmd: p, args: ['-e', LOCKER, mode, String(wait), zfsFuseGatePath(), zfsFuseLockPath(), mountLock, cmd, ...args] };
}

/** zfs subcommands after which libzfs mounts (or unmounts and mounts again) a filesystem. */
const MOUNTING_ZFS = new Set(['create', 'clone', 'mount', 'rename', 'promote', 'rollback', 'inherit', 'set', 'upgrade']);
/** zpool subcommands that mount the pool's filesystems. */
const MOUNTING_ZPOOL = new Set(['create', 'import']);

/** True when the command can make zfs-fuse mount a filesystem (and so must not meet another). */
export function mayMountZfs(cmd: string, args: readonly string[]): boolean {
  if (cmd === 'zfs') return MOUNTING_ZFS.has(args[0] ?? '');
  if (cmd === 'zpool') return MOUNTING_ZPOOL.has(args[0] ?? '');
  return false;
}

/** zfs and zpool, except the streaming ones, take the lock shared. */
export function takesZfsLock(cmd: string, args: readonly string[]): boolean {
  if (cmd !== 'zfs' && cmd !== 'zpool') return false;
  return !(cmd === 'zfs' && (args[0] === 'send' || args[0] === 'receive' || args[0] === 'recv'));
}

/**
 * `cmd args` as it is run: under the lock shared when it takes it (takesZfsLock), and the mount
 * lock too when it can mount (mayMountZfs); unchanged otherwise.
 */
export function lockedCommand(cmd: string, args: readonly string[]): { cmd: string; args: string[] } {
  return takesZfsLock(cmd, args) ? underZfsLock(cmd, args, 'shared') : { cmd, args: [...args] };
}
