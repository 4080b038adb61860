// Reading the files of one recovery point. zfs-fuse has no .zfs/snapshot, so a point is read through
// a short-lived read-only clone mounted in a private directory, destroyed afterwards whatever happens.
// A volume image inside it is attached read-only (losetup -r) and mounted read-only (ext4 ro,noload;
// ntfs-3g -o ro): nothing is ever written to a loop device whose file lives on zfs-fuse.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, toAppError } from '../api/errors.ts';
import { attachLoop, detachLoop } from '../system/loop.ts';
import { logLine } from '../system/log.ts';
import { mountExt4, mountNtfs, unmount } from '../system/mount.ts';
import { appPath } from '../system/paths.ts';
import { clone, destroy, splitSnapshot } from '../system/zfs/index.ts';

/** A private scratch directory under the app's home (never /tmp: plaintext volumes pass through it). */
export function scratchDir(tag: string): string {
  const dir = appPath('tmp', `${tag}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export async function withPointMounted<T>(snapshot: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const { dataset } = splitSnapshot(snapshot);
  const pool = dataset.split('/')[0];
  const name = `${pool}/rtread-${randomBytes(4).toString('hex')}`;
  const dir = scratchDir('point');
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  await clone(snapshot, name, { readonly: 'on', mountpoint: mnt });
  try {
    return await fn(mnt);
  } finally {
    try {
      await destroy(name, { recursive: true });
    } catch (e) {
      logLine('merge', { op: 'destroy read clone', clone: name, failed: toAppError(e).message });
    }
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* a still-mounted directory is left; the next run's scratch is elsewhere */
    }
  }
}

export async function withVolumeMounted<T>(image: string, fs: 'ext4' | 'ntfs', fn: (dir: string, device: string) => Promise<T>): Promise<T> {
  const dir = scratchDir('volume');
  const dev = await attachLoop(image, { readOnly: true });
  try {
    try {
      if (fs === 'ntfs') await mountNtfs(dev, dir, { readOnly: true });
      else await mountExt4(dev, dir, { readOnly: true });
    } catch (e) {
      throw new AppError('TOOL_FAILED', `The ${fs} volume ${image.split('/').pop()} does not mount read-only: it is not a readable filesystem.`, {
        detail: toAppError(e).detail ?? toAppError(e).message,
      });
    }
    try {
      return await fn(dir, dev);
    } finally {
      await unmount(dir, { lazyLastResort: true });
    }
  } finally {
    await detachLoop(dev);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* left empty */
    }
  }
}
