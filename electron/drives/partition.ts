// The partition layout of every RoundTrip drive (GPT, written with sfdisk): partition 1 is a small ext4 metadata
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

/** GPT partition type GUIDs for the data partition. */
export const DATA_TYPE_GUID: Record<Layout, string> = {
  zfs: '6A898CC3-1DD2-11B2-99A6-080020736631', // Solaris /usr & Apple ZFS (sgdisk bf01): what ZFS tools expect
  ntfs: 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7', // Microsoft basic data (0700): Windows mounts it
  ext4: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', // Linux filesystem (8300)
  'zfs-sealed': '0FC63DAF-8483-4772-8E79-3D69D8477DE4', // an ext4 filesystem of sealed stream files
  'images-sealed': '0FC63DAF-8483-4772-8E79-3D69D8477DE4', // an ext4 filesystem of sealed image files
};
const LINUX_FS_GUID = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';

/** The sfdisk script of a unit drive: 1 MiB aligned, metadata first, data to the end. */
export function layoutScript(layout: Layout): string {
  return [
    'label: gpt',
    `start=2048, size=${META_SIZE_MIB * 2048}, type=${LINUX_FS_GUID}, name="${META_PART_LABEL}"`,
    `type=${DATA_TYPE_GUID[layout]}, name="${DATA_PART_LABEL}"`,
    '',
  ].join('\n');
}

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
    // sfdisk rather than sgdisk: sgdisk calls the global sync() and sleeps a second, and a global
    // sync waits for every other writer on the machine (seen here: ten minutes under load).
    await run('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'always', '--wipe-partitions', 'always', dev], {
      op: `write the partition table of ${dev}`,
      input: layoutScript(layout),
      timeoutMs: 60_000,
    });
    await rereadPartitions(dev);
    const parts = await waitForPartitions(dev);
    // Stale labels of an older layout at the same offsets (an interrupted earlier format) go too.
    await zeroEdges(parts.meta);
    await zeroEdges(parts.data);
    return parts;
  });
}
