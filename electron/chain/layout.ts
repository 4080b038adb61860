// The overhead model: what a drive's layout costs beyond the data itself. These are conservative
// figures from how the tools format a drive, to be tuned against the lab's measurements; they are
// named constants so the plan can explain them and tests can pin them.
//
// Drive side (capacity lost before any data is written), per drive:
//   - a metadata partition: partition table, alignment, and the small partition holding the
//     drive's manifest and per-file checksum list (as the incumbent's ext4 partition does): 1 GiB;
//   - the filesystem's own reserve: ZFS keeps 1/32 of a pool as slop space; EXT4 (formatted with
//     -m 0, so no root reserve) spends 1/64 on inode tables (one 256-byte inode per 16 KiB) plus a
//     1 GiB journal; NTFS spends about 0.5 % on $MFT and $Bitmap plus a 256 MiB allowance for
//     $LogFile and the MFT zone's start.
// Data side (bytes written beyond the measured data), per point:
//   - ZFS streams land as they are measured: no extra;
//   - a browsable NTFS/EXT4 tree: 1 % for a different cluster size and directory indexes, plus
//     32 MiB for the point's folder and its share of the manifest;
//   - an image export: 1 MiB per point for its folder, descriptor and manifest entry.
import { GiB, MiB } from './units.ts';
import type { Format, TargetFs } from './types.ts';

export const METADATA_PARTITION_BYTES = 1 * GiB;

export const FS_RESERVE: Readonly<Record<TargetFs, { fraction: number; fixedBytes: number }>> = Object.freeze({
  zfs: { fraction: 1 / 32, fixedBytes: 0 },
  ext4: { fraction: 1 / 64, fixedBytes: 1 * GiB },
  ntfs: { fraction: 0.005, fixedBytes: 256 * MiB },
});

export const BROWSABLE_OVERHEAD_FRACTION = 0.01;
export const BROWSABLE_OVERHEAD_PER_POINT_BYTES = 32 * MiB;
export const IMAGE_OVERHEAD_PER_POINT_BYTES = 1 * MiB;

/** Image exports default to NTFS, the filesystem most partners' machines read. */
export const DEFAULT_IMAGE_FS: TargetFs = 'ntfs';

/** The filesystem a format is written on. */
export function targetFs(format: Format, imageFs?: TargetFs): TargetFs {
  return format === 'image' ? (imageFs ?? DEFAULT_IMAGE_FS) : format;
}

/** Bytes of data a drive of `driveBytes` can hold once laid out for `fs`. Never negative. */
export function usableBytes(driveBytes: number, fs: TargetFs): number {
  const r = FS_RESERVE[fs];
  const afterPartition = driveBytes - METADATA_PARTITION_BYTES;
  return Math.max(0, Math.floor(afterPartition * (1 - r.fraction) - r.fixedBytes));
}
