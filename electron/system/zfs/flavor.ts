// Which ZFS this machine runs, told without running a command, and the command decorator it needs
// (run.ts): zfs-fuse's locks, from system/zfs-fuse/, loaded only where zfs-fuse runs. With OpenZFS
// nothing of that folder is imported and commands start as given.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setCommandDecorator } from '../run.ts';

export type ZfsFlavor = 'openzfs' | 'zfs-fuse';

/** The flavor from what the machine shows: OpenZFS's kernel module, or else a zfs-fuse program on PATH. */
export function zfsFlavorFrom(machine: { openZfsModule: boolean; zfsFuseOnPath: boolean }): ZfsFlavor {
  return !machine.openZfsModule && machine.zfsFuseOnPath ? 'zfs-fuse' : 'openzfs';
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      const p = join(dir, name);
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/** This machine's ZFS: /sys/module/zfs is OpenZFS's; zfs-fuse is the program of that name (as `command -v` finds it). */
export function zfsFlavor(): ZfsFlavor {
  return zfsFlavorFrom({ openZfsModule: existsSync('/sys/module/zfs'), zfsFuseOnPath: onPath('zfs-fuse') });
}

let installed: Promise<void> | null = null;

/**
 * Installs the command decorator this machine's ZFS needs, once per process; `flavor` for a test.
 * It is set before this returns (run() waits while it loads), so a call made before the first zfs
 * or zpool command, or kernel mount of an image, covers it even when not awaited. Every path of
 * the engine to such a command calls it first (ensureZfs, the drive list's pool read, mountExt4).
 */
export function useZfsCommandDecorator(flavor: ZfsFlavor = zfsFlavor()): Promise<void> {
  installed ??= flavor === 'zfs-fuse' ? setCommandDecorator(import('../zfs-fuse/decorator.ts').then((m) => m.zfsFuseDecorator)) : Promise.resolve();
  return installed;
}
