// What is mounted, read from the kernel (/proc/self/mountinfo, /proc/swaps). lsblk matches mounts by
// device number only, which misses FUSE block mounts (ntfs-3g mounts as "fuseblk" with an anonymous
// device number): those are matched by their source path here.
import { readFileSync } from 'node:fs';

export interface MountEntry {
  majMin: string;
  mountpoint: string;
  fsType: string;
  source: string;
}

/** "\040" and friends, as the kernel escapes spaces, tabs, newlines and backslashes. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const right = line.slice(dash + 3).split(' ');
    if (left.length < 5 || right.length < 2) continue;
    out.push({ majMin: left[2], mountpoint: unescape(left[4]), fsType: right[0], source: unescape(right[1]) });
  }
  return out;
}

/** Device paths of active swap areas. */
export function parseSwaps(text: string): string[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((d) => d && d.startsWith('/'))
    .map(unescape);
}

export interface MountTable {
  mounts: MountEntry[];
  swaps: string[];
}

export function readMountTable(): MountTable {
  let mounts: MountEntry[] = [];
  let swaps: string[] = [];
  try {
    mounts = parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    /* not Linux: nothing known */
  }
  try {
    swaps = parseSwaps(readFileSync('/proc/swaps', 'utf8'));
  } catch {
    /* no swap support */
  }
  return { mounts, swaps };
}

/**
 * Mountpoints belonging to one block node: matched by device number (block filesystems) or by
 * source path (FUSE block filesystems such as ntfs-3g), plus "[SWAP]" for an active swap area.
 */
export function mountsOf(table: MountTable, node: { path: string; majMin: string }, aliases: string[] = []): string[] {
  const names = new Set([node.path, ...aliases]);
  const out = new Set<string>();
  for (const m of table.mounts) {
    if ((node.majMin && m.majMin === node.majMin && !m.majMin.startsWith('0:')) || names.has(m.source)) out.add(m.mountpoint);
  }
  if (table.swaps.some((s) => names.has(s))) out.add('[SWAP]');
  return [...out];
}

/** Pools whose datasets are mounted where the machine runs (root on ZFS). */
export function poolsAtSystemMounts(table: MountTable, isSystemMount: (mp: string) => boolean): string[] {
  const pools = new Set<string>();
  for (const m of table.mounts) {
    if ((m.fsType === 'zfs' || m.fsType === 'fuse.zfs') && isSystemMount(m.mountpoint)) pools.add(m.source.split('/')[0]);
  }
  return [...pools];
}
