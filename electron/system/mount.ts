// Mounting and unmounting filesystems (ext4 through the kernel, NTFS through ntfs-3g).
import { readFileSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { run } from './run.ts';
import { useZfsCommandDecorator } from './zfs/flavor.ts';

export interface MountEntry {
  source: string;
  target: string;
  fstype: string;
  options: string[];
}

/** /proc/mounts, with the octal escapes (\040 for space) decoded. */
export function listMounts(): MountEntry[] {
  const un = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [source, target, fstype, opts] = l.split(' ');
      return { source: un(source), target: un(target), fstype, options: opts.split(',') };
    });
}

export function isMounted(target: string): boolean {
  return listMounts().some((m) => m.target === target);
}

export async function mountExt4(source: string, target: string, opts: { readOnly?: boolean; loop?: boolean } = {}): Promise<void> {
  const o: string[] = [];
  if (opts.loop) o.push('loop');
  // noload: never replay a journal on a read-only mount, so the source stays byte-for-byte unchanged.
  if (opts.readOnly) o.push('ro', 'noload');
  // A loop device may be a volume image inside a zfs-fuse dataset: its mount must not meet a zfs
  // command (system/zfs-fuse/lock.ts), also in a process that has run none yet. Real drives need no lock.
  const zfsLock = /^\/dev\/loop\d+/.test(source) || opts.loop ? 'exclusive' : 'none';
  if (zfsLock === 'exclusive') await useZfsCommandDecorator();
  await run('mount', ['-t', 'ext4', ...(o.length ? ['-o', o.join(',')] : []), source, target], { op: `mount ${source} on ${target}`, zfsLock });
}

export async function mountNtfs(source: string, target: string, opts: { readOnly?: boolean } = {}): Promise<void> {
  await run('ntfs-3g', [...(opts.readOnly ? ['-o', 'ro'] : []), source, target], { op: `mount NTFS ${source} on ${target}` });
}

/** Unmount, retrying briefly: FUSE filesystems can stay busy for a moment after their last use. */
export async function unmount(target: string, opts: { lazyLastResort?: boolean } = {}): Promise<void> {
  for (let i = 0; i < 10; i++) {
    if (!isMounted(target)) return;
    try {
      await run('umount', [target], { op: `unmount ${target}` });
      return;
    } catch (e) {
      if (i === 9) {
        if (opts.lazyLastResort) {
          await run('umount', ['-l', target], { op: `lazily unmount ${target}`, okCodes: [32] });
          return;
        }
        throw e instanceof AppError ? e : new AppError('TOOL_FAILED', `Could not unmount ${target}.`, { detail: String(e) });
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
