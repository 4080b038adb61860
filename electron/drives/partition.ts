// The partition layout of every RoundTrip drive (GPT): partition 1 is a small ext4 metadata
// partition holding the unit's metadata.json, partition 2 takes the rest for the data (a ZFS vdev,
// an NTFS or an ext4 filesystem).
import { existsSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { run } from '../system/run.ts';
import { assertWritable, type GuardOptions } from './guard.ts';
import * as sys from './sysfs.ts';
import { mapGone, rereadPartitions, zeroEdges } from './wipe.ts';
import type { Layout } from './types.ts';

export const META_PART_LABEL = 'RTMETA';
export const DATA_PART_LABEL = 'RTDATA';
export const META_SIZE_MIB = 64;

/** GPT type codes (sgdisk short codes) for the data partition. */
export const DATA_TYPE_CODE: Record<Layout, string> = {
  zfs: 'bf01', // Solaris /usr & Apple ZFS: what ZFS tools expect
  ntfs: '0700', // Microsoft basic data: Windows mounts it
  ext4: '8300', // Linux filesystem
};

export interface UnitPartitions {
  meta: string;
  data: string;
}

/** Waits until the kernel shows partition nodes 1 and 2 of `disk`. */
async function waitForPartitions(disk: string, timeoutMs = 10_000): Promise<UnitPartitions> {
  const deadline = Date.now() + timeoutMs;
  let retried = false;
  for (;;) {
    const parts = sys.kernelPartitions(disk);
    const meta = parts.find((p) => p.number === 1)?.device;
    const data = parts.find((p) => p.number === 2)?.device;
    if (meta && data && existsSync(meta) && existsSync(data)) return { meta, data };
    if (!sys.isPresent(disk)) throw new AppError('DRIVE_GONE', `${disk} disappeared.`);
    if (Date.now() > deadline) {
      throw new AppError('TOOL_FAILED', `The new partitions of ${disk} did not appear.`, {
        hint: 'Unplug the drive, plug it in again and format it again.',
      });
    }
    if (!retried && Date.now() > deadline - timeoutMs / 2) {
      retried = true;
      await run('blockdev', ['--rereadpt', disk], { op: `re-read the partition table of ${disk}`, okCodes: [1] });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Writes a fresh GPT with the metadata and data partitions, and clears both partitions' edges. */
export async function writeUnitLayout(device: string, layout: Layout, guard: GuardOptions & { expectDiskseq: number | null }): Promise<UnitPartitions> {
  const drive = await assertWritable(device, { ...guard, phase: 'continue', step: 'partition' });
  const dev = drive.device;
  return mapGone(dev, guard.expectDiskseq, 'partition', async () => {
    await run(
      'sgdisk',
      [
        '--clear',
        `--new=1:2048:+${META_SIZE_MIB}M`, '--typecode=1:8300', `--change-name=1:${META_PART_LABEL}`,
        '--new=2:0:0', `--typecode=2:${DATA_TYPE_CODE[layout]}`, `--change-name=2:${DATA_PART_LABEL}`,
        dev,
      ],
      { op: `write the partition table of ${dev}` },
    );
    await rereadPartitions(dev);
    const parts = await waitForPartitions(dev);
    // Stale labels of an older layout at the same offsets (an interrupted earlier format) go too.
    await zeroEdges(parts.meta);
    await zeroEdges(parts.data);
    return parts;
  });
}
