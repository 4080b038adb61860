// Shared steps of the merge tests: destination pools of the test's own (seeded by real send/receive
// from the lab, which is never changed), point lists with GUIDs, and a scan of files for a secret
// that reads only the data extents of sparse files (a 300 GB unit drive holds a few hundred MB).
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { createPool, listSnapshots, sendReceive } from '../../../electron/system/zfs/index.ts';
import type { Scratch } from '../../helpers/scratch.ts';

/** A file-backed pool owned by the test, mounted under its scratch directory. */
export async function destPool(s: Scratch, prefix: string): Promise<string> {
  const name = s.pool(s.uniqueName(prefix));
  const vdev = await s.file(`${name}.vdev`, '1G');
  await createPool(name, [vdev], { mountpoint: join(s.dir, 'mnt', name) });
  return name;
}

/** Copies `points` (short names, oldest first) of `src` into `dest`: the first in full, then increments. */
export async function seed(src: string, points: string[], dest: string, opts: { after?: string } = {}): Promise<void> {
  let prev = opts.after;
  for (const p of points) {
    await sendReceive(`${src}@${p}`, dest, { from: prev ? `${src}@${prev}` : undefined, receive: { force: prev !== undefined } });
    prev = p;
  }
}

export async function points(ds: string): Promise<Array<[string, string]>> {
  return (await listSnapshots(ds)).map((x) => [x.snap, x.guid]);
}

/** Byte ranges of a file that hold data (FIEMAP through filefrag), so holes are never read. */
async function extents(file: string): Promise<Array<[number, number]>> {
  const r = await execa('filefrag', ['-e', '-b1', file], { reject: false });
  const out: Array<[number, number]> = [];
  for (const m of r.stdout.matchAll(/^\s*\d+:\s+(\d+)\.\.\s*(\d+):/gm)) out.push([Number(m[1]), Number(m[2]) + 1]);
  return out.length || r.exitCode !== 0 ? out : [];
}

/** True when `needle` occurs in the file's data (sparse-aware). */
export async function fileContains(file: string, needle: Buffer): Promise<boolean> {
  const size = statSync(file).size;
  const ranges = size > 64 * 2 ** 20 ? await extents(file) : [[0, size] as [number, number]];
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(8 * 2 ** 20);
    for (const [start, end] of ranges) {
      for (let off = start; off < end; off += chunk.length - needle.length) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - off), off);
        if (n <= 0) break;
        if (chunk.subarray(0, n).indexOf(needle) >= 0) return true;
        if (off + n >= end) break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return false;
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Damages a unit the way a failing drive does: one byte changed inside the given text on its data partition. */
export function flipByteAt(partition: string, marker: Buffer): number {
  const fd = openSync(partition, 'r+');
  try {
    const buf = Buffer.alloc(16 * 2 ** 20);
    for (let off = 0; off < 4 * 2 ** 30; off += buf.length - marker.length) {
      const n = readSync(fd, buf, 0, buf.length, off);
      if (n <= 0) break;
      const i = buf.subarray(0, n).indexOf(marker);
      if (i >= 0) {
        writeSync(fd, Buffer.from('#'), 0, 1, off + i + 4);
        fsyncSync(fd);
        return off + i;
      }
    }
  } finally {
    closeSync(fd);
  }
  return -1;
}
