// R3: up to 8 TB the data goes on USB drives in any format; above 8 TB only ZFS, on a NAS unit.
// R4: a USB drive counts only with at least 250 GB (decimal, as drives are sold); with none,
//     the wizard's own words: "Please attach a RoundTrip drive".
// R5: drives selected together are striped (RAID 0) for ZFS, so their capacities add up; the
//     fewest drives are used, largest first. (Whole-point spreading for the other formats: spread.ts.)
import { AppError } from '../api/errors.ts';
import { targetFs, usableBytes } from './layout.ts';
import type { Format, TargetFs } from './types.ts';
import { formatBytes, GB, TB } from './units.ts';

export const USB_LIMIT_BYTES = 8 * TB;
export const MIN_DRIVE_BYTES = 250 * GB;
export const ATTACH_DRIVE_MESSAGE = 'Please attach a RoundTrip drive';

export type Media = 'usb' | 'nas';

export function chooseMedia(totalBytes: number, format: Format): { media: Media; reason: string } {
  if (totalBytes <= USB_LIMIT_BYTES) {
    return { media: 'usb', reason: `${formatBytes(totalBytes)} fits the 8 TB limit for USB drives.` };
  }
  if (format !== 'zfs') {
    const name = format === 'image' ? 'An image export' : format.toUpperCase();
    throw new AppError('PLAN_TOO_BIG', `${name} of ${formatBytes(totalBytes)} is over the 8 TB limit for USB drives; above 8 TB only ZFS on a NAS unit is possible.`, {
      hint: 'Choose ZFS, or select fewer points.',
      data: { totalBytes, limitBytes: USB_LIMIT_BYTES, format },
    });
  }
  return { media: 'nas', reason: `${formatBytes(totalBytes)} is over 8 TB: ZFS on a NAS unit.` };
}

export function isEligibleDrive(sizeBytes: number): boolean {
  return Number.isFinite(sizeBytes) && sizeBytes >= MIN_DRIVE_BYTES;
}

/** R4: refuse when no attached drive is eligible, in the wizard's words. */
export function assertEligibleDrives(driveSizes: readonly number[]): number[] {
  const eligible: number[] = [];
  for (let i = 0; i < driveSizes.length; i++) if (isEligibleDrive(driveSizes[i])) eligible.push(i);
  if (eligible.length === 0) {
    throw new AppError(driveSizes.length === 0 ? 'DRIVE_NOT_FOUND' : 'DRIVE_TOO_SMALL', ATTACH_DRIVE_MESSAGE, {
      hint: driveSizes.length === 0 ? 'No drive is attached.' : `The attached drives are smaller than 250 GB, the least a RoundTrip drive may have.`,
      data: { driveSizes: [...driveSizes], minBytes: MIN_DRIVE_BYTES },
    });
  }
  return eligible;
}

export interface DrivesNeeded {
  /** How many drives the data needs. */
  count: number;
  /** Indices (into the given sizes) of the drives to use, largest first. */
  chosen: number[];
  /** Usable bytes of the chosen drives together. */
  capacityBytes: number;
  /** Indices of drives under 250 GB, which are never used. */
  ineligible: number[];
}

/**
 * Striped drives (ZFS, R5): the fewest eligible drives, largest first, whose usable capacity
 * together holds `totalBytes`. Refused when no drive is eligible or all of them are not enough.
 */
export function drivesNeeded(totalBytes: number, driveSizes: readonly number[], fs: TargetFs | Format = 'zfs'): DrivesNeeded {
  const layout = fs === 'image' ? targetFs('image') : fs;
  const eligible = assertEligibleDrives(driveSizes);
  const ineligible: number[] = [];
  for (let i = 0; i < driveSizes.length; i++) if (!isEligibleDrive(driveSizes[i])) ineligible.push(i);
  const order = eligible.slice().sort((a, b) => driveSizes[b] - driveSizes[a] || a - b);
  const chosen: number[] = [];
  let capacity = 0;
  for (const i of order) {
    if (capacity >= totalBytes && chosen.length > 0) break;
    chosen.push(i);
    capacity += usableBytes(driveSizes[i], layout);
  }
  if (capacity < totalBytes) {
    throw new AppError('DRIVE_TOO_SMALL', `The attached drives hold ${formatBytes(capacity)} together, but the plan needs ${formatBytes(totalBytes)}.`, {
      hint: 'Attach more or larger drives, or select fewer points.',
      data: { capacityBytes: capacity, totalBytes },
    });
  }
  return { count: chosen.length, chosen, capacityBytes: capacity, ineligible };
}
