// R5 for NTFS, EXT4 and image exports: drives are not striped, each is a filesystem a partner can
// read alone, so every point goes whole onto one drive and is never split. Spreading is bin
// packing; first-fit decreasing onto the largest drives, trying the fewest drives first, is
// simple, fast and close to optimal for the handful of drives a bench attaches.
import { AppError } from '../api/errors.ts';
import { formatBytes } from './units.ts';

export interface SpreadItem {
  /** What the item is, e.g. "system@1700000000". */
  id: string;
  bytes: number;
}

export interface Spread {
  /** Drives used. */
  count: number;
  /** Indices (into the given capacities) of the drives used. */
  drives: number[];
  /** Which drive each item goes to, in the order items were given. */
  assignment: Array<{ id: string; drive: number }>;
  /** Bytes placed on each drive, by index into the given capacities (0 for unused drives). */
  usedBytes: number[];
}

export function spreadPoints(items: readonly SpreadItem[], driveCapacities: readonly number[]): Spread {
  const order = driveCapacities.map((_, i) => i).sort((a, b) => driveCapacities[b] - driveCapacities[a] || a - b);
  if (order.length === 0) {
    throw new AppError('DRIVE_NOT_FOUND', 'Please attach a RoundTrip drive', { hint: 'No drive is attached.' });
  }
  const largest = driveCapacities[order[0]];
  let total = 0;
  for (const it of items) {
    if (!(Number.isFinite(it.bytes) && it.bytes >= 0)) throw new AppError('BAD_INPUT', `The size of ${it.id} is not a number of bytes.`);
    if (it.bytes > largest) {
      throw new AppError('DRIVE_TOO_SMALL', `${it.id} needs ${formatBytes(it.bytes)}, more than the largest drive holds (${formatBytes(largest)}); a point is never split across drives.`, {
        hint: 'Attach a larger drive, or choose ZFS, whose drives are striped.',
        data: { id: it.id, bytes: it.bytes, largestBytes: largest },
      });
    }
    total += it.bytes;
  }

  // The fewest drives that could hold everything, then first-fit decreasing on that many, adding drives until it fits.
  let k = 0;
  for (let sum = 0; k < order.length && (sum < total || k === 0); k++) sum += driveCapacities[order[k]];
  const bySize = items.map((_, i) => i).sort((a, b) => items[b].bytes - items[a].bytes || a - b);
  for (; k <= order.length; k++) {
    const drives = order.slice(0, k);
    const free = drives.map((d) => driveCapacities[d]);
    const where = new Int32Array(items.length).fill(-1);
    let ok = true;
    for (const i of bySize) {
      let slot = -1;
      for (let d = 0; d < free.length; d++) {
        if (free[d] >= items[i].bytes) {
          slot = d;
          break;
        }
      }
      if (slot === -1) {
        ok = false;
        break;
      }
      free[slot] -= items[i].bytes;
      where[i] = drives[slot];
    }
    if (!ok) continue;
    const usedBytes = new Array<number>(driveCapacities.length).fill(0);
    const assignment = items.map((it, i) => {
      usedBytes[where[i]] += it.bytes;
      return { id: it.id, drive: where[i] };
    });
    return { count: k, drives, assignment, usedBytes };
  }
  let capacity = 0;
  for (const c of driveCapacities) capacity += c;
  throw new AppError('DRIVE_TOO_SMALL', `The ${items.length} point(s) (${formatBytes(total)}) do not fit on the attached drives (${formatBytes(capacity)} together) without splitting a point.`, {
    hint: 'Attach more or larger drives, or select fewer points.',
    data: { totalBytes: total, capacityBytes: capacity },
  });
}
