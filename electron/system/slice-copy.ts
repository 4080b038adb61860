// Copying one file onto another slice by slice, writing only the slices that differ. Used where a
// file on ZFS must take a new state without rewriting what did not change (a new point of a volume
// image then costs ZFS only the changed blocks), and where the target must stay sparse.
import { closeSync, existsSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

export const SLICE_BYTES = 1024 * 1024;
/** Compared and written in pieces of ZFS's default record size: rewriting a record with the same
 * bytes still costs a new block in every later point (copy-on-write, no dedup). */
const PIECE_BYTES = 128 * 1024;

/** `transform` maps a slice read from `from` (at byte offset `off`) to the bytes `to` must hold. */
export function copyChangedSlices(from: string, to: string, transform?: (slice: Buffer, off: number) => Buffer): { bytesWritten: number } {
  const fin = openSync(from, 'r');
  const fout = openSync(to, existsSync(to) ? 'r+' : 'w+');
  let bytesWritten = 0;
  try {
    const size = fstatSync(fin).size;
    const buf = Buffer.allocUnsafe(SLICE_BYTES);
    const have = Buffer.allocUnsafe(SLICE_BYTES);
    for (let off = 0; off < size; off += SLICE_BYTES) {
      const n = readSync(fin, buf, 0, Math.min(SLICE_BYTES, size - off), off);
      const out = transform ? transform(buf.subarray(0, n), off) : buf.subarray(0, n);
      const got = readSync(fout, have, 0, n, off);
      for (let p = 0; p < n; p += PIECE_BYTES) {
        const end = Math.min(n, p + PIECE_BYTES);
        if (end <= got && have.subarray(p, end).equals(out.subarray(p, end))) continue;
        writeSync(fout, out, p, end - p, off + p);
        bytesWritten += end - p;
      }
    }
  } finally {
    closeSync(fin);
    closeSync(fout);
  }
  return { bytesWritten };
}
