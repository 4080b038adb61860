// zfs-fuse's locks around the commands of this process (run.ts's decorator), installed by the ZFS
// layer only where zfs-fuse runs (system/zfs/flavor.ts): zfs and zpool commands hold the zfs lock
// shared (and the mount lock when they can mount), a kernel mount of an image holds it alone, a
// receive mounts alone at its stream's end.
import { AppError } from '../../api/errors.ts';
import type { CommandDecorator, RunOptions, Spawned } from '../run.ts';
import { FLOCK_EXEC_FAILED, takesZfsLock, underZfsLock, ZFS_LOCK_TIMED_OUT } from './lock.ts';
import { receiveUnderMountLock } from './receive-lock.ts';

/** The lock a command holds: the caller's, or shared for the zfs and zpool commands that take it. */
function lockMode(cmd: string, args: readonly string[], zfsLock: RunOptions['zfsLock']): 'shared' | 'exclusive' | 'none' {
  return zfsLock ?? (takesZfsLock(cmd, args) ? 'shared' : 'none');
}

export const zfsFuseDecorator: CommandDecorator = {
  command(cmd, args, zfsLock): Spawned {
    const mode = lockMode(cmd, args, zfsLock);
    return mode === 'none' ? { cmd, args: [...args] } : underZfsLock(cmd, args, mode);
  },

  stream(cmd, args): Spawned {
    // A receive mounts what it received at its end: alone (receive-lock.ts). A send mounts nothing.
    if (cmd === 'zfs' && (args[0] === 'receive' || args[0] === 'recv')) return receiveUnderMountLock(cmd, args);
    return { cmd, args: [...args] };
  },

  exited({ cmd, args, zfsLock, spawned, exitCode, stderr, op }) {
    if (spawned.cmd === cmd) return null;
    if (lockMode(cmd, args, zfsLock) === 'exclusive' && exitCode === ZFS_LOCK_TIMED_OUT) {
      // Going ahead without the lock could hang zfs-fuse for good (lock.ts): refuse instead.
      return {
        note: 'zfs lock not free in time; not run',
        refused: new AppError('ZFS_BUSY', `ZFS stayed busy with another command for minutes, so RoundTrip Bench did not ${op}.`, {
          hint: 'Wait for the other job to finish its ZFS step (or for a stuck zfs command to end), then try again.',
        }),
      };
    }
    return FLOCK_EXEC_FAILED.includes(exitCode) && /failed to execute/.test(stderr) ? 'missing' : null;
  },
};
