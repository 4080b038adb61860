// Whole-file encryption and decryption of an agent's volume image with its agent key (XTS, 4 KiB sectors),
// streamed in 1 MiB slices so memory stays flat whatever the image size.
import { rmSync, statSync } from 'node:fs';
import { copyChangedSlices } from '../system/slice-copy.ts';
import { AppError } from '../api/errors.ts';
import { cryptSectors, SECTOR_SIZE } from './agent-key.ts';

/**
 * `onlyChanged` reads the target first and rewrites only slices that differ, so a new point of an
 * encrypted volume costs ZFS only the sectors that really changed (XTS is deterministic per sector).
 */
export function cryptFile(key: Buffer, from: string, to: string, encrypt: boolean, opts: { onlyChanged?: boolean } = {}): void {
  if (statSync(from).size % SECTOR_SIZE !== 0) throw new AppError('BAD_INPUT', `${from} is not a whole number of 4 KiB sectors.`);
  if (!opts.onlyChanged) rmSync(to, { force: true });
  copyChangedSlices(from, to, (slice, off) => cryptSectors(key, slice, off / SECTOR_SIZE, encrypt));
}
