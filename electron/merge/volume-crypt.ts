// Whole-file encryption and decryption of an agent's volume image with its agent key (XTS, 4 KiB sectors),
// streamed in 1 MiB slices so memory stays flat whatever the image size.
import { openSync, readSync, writeSync, closeSync, fstatSync, existsSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { cryptSectors, SECTOR_SIZE } from './agent-key.ts';

const SLICE = 256 * SECTOR_SIZE;

/**
 * `onlyChanged` reads the target first and rewrites only slices that differ, so a new point of an
 * encrypted volume costs ZFS only the sectors that really changed (XTS is deterministic per sector).
 */
export function cryptFile(key: Buffer, from: string, to: string, encrypt: boolean, opts: { onlyChanged?: boolean } = {}): void {
  const fin = openSync(from, 'r');
  const fout = openSync(to, opts.onlyChanged ? (existsSync(to) ? 'r+' : 'w+') : 'w');
  try {
    const size = fstatSync(fin).size;
    if (size % SECTOR_SIZE !== 0) throw new AppError('BAD_INPUT', `${from} is not a whole number of 4 KiB sectors.`);
    const buf = Buffer.allocUnsafe(SLICE);
    for (let off = 0; off < size; off += SLICE) {
      const n = readSync(fin, buf, 0, Math.min(SLICE, size - off), off);
      const out = cryptSectors(key, buf.subarray(0, n), off / SECTOR_SIZE, encrypt);
      if (opts.onlyChanged) {
        const have = Buffer.alloc(n);
        const got = readSync(fout, have, 0, n, off);
        if (got === n && have.equals(out)) continue;
      }
      writeSync(fout, out, 0, n, off);
    }
  } finally {
    closeSync(fin);
    closeSync(fout);
  }
}
