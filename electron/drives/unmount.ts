// Unmounting a drive's filesystems (format with "unmount and erase", eject). System mountpoints are
// never touched here: the policy refuses those drives before anyone gets this far.
import { AppError } from '../api/errors.ts';
import { run } from '../system/run.ts';
import { isSystemMountpoint } from './policy.ts';

/** Unmounts the given mountpoints, deepest first. */
export async function unmountAll(device: string, mountpoints: string[]): Promise<string[]> {
  const done: string[] = [];
  const order = [...new Set(mountpoints)].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const mp of order) {
    if (isSystemMountpoint(mp)) {
      throw new AppError('DRIVE_SYSTEM', `${device} holds ${mp}, which the machine runs on; RoundTrip Bench never unmounts it.`);
    }
    await run('umount', [mp], {
      op: `unmount ${mp}`,
      expect: [
        {
          match: /target is busy|device is busy/i,
          code: 'DRIVE_MOUNTED',
          message: `${mp} (on ${device}) cannot be unmounted: a program still has files open there.`,
          hint: 'Close the windows and programs using that drive, then try again.',
        },
        { match: /not mounted|no mount point specified/i, code: 'NOT_FOUND', message: `${mp} is no longer mounted.` },
      ],
    }).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return;
      throw e;
    });
    done.push(mp);
  }
  return done;
}
