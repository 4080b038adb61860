// Erasing what a drive held before: every signature wipefs knows, on each partition and on the disk,
// then zeros over the first and last few MiB of each. wipefs alone is not enough for ZFS: it clears
// the uberblock magics, yet `zpool import` still finds the pool from the label's config, and ZFS
// keeps two of its four labels at the END of the device; GPT keeps its backup there too.
import { open } from 'node:fs/promises';
import { AppError } from '../api/errors.ts';
import { logLine } from '../system/log.ts';
import { run } from '../system/run.ts';
import { assertWritable, goneError, type GuardOptions } from './guard.ts';
import * as sys from './sysfs.ts';

/** Bytes zeroed at each end: ZFS labels take 512 KiB at each end, aligned to 256 KiB; GPT 17 KiB. */
export const EDGE_BYTES = 4 * 1024 * 1024;

/** Failures that mean the device went away rather than that the tool is wrong. */
const GONE_ERRNO = new Set(['ENXIO', 'ENODEV', 'ENOENT', 'EIO', 'ENOMEDIUM']);

/** Turns a failure during a write into DRIVE_GONE when the disk is no longer the one we started on. */
export function stillThere(disk: string, diskseq: number | null): boolean {
  return sys.isPresent(disk) && (diskseq === null || sys.diskseq(disk) === diskseq);
}

export async function mapGone<T>(disk: string, diskseq: number | null, step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === 'DRIVE_GONE') throw goneError(disk, step);
    if (!stillThere(disk, diskseq)) throw goneError(disk, step);
    const errno = (e as NodeJS.ErrnoException)?.code;
    if (errno && GONE_ERRNO.has(errno)) {
      // The node answered an I/O error but the disk still shows: give the kernel a moment to notice.
      await new Promise((r) => setTimeout(r, 300));
      if (!stillThere(disk, diskseq)) throw goneError(disk, step);
    }
    throw e;
  }
}

/** Writes zeros over the first and last `bytes` of a block device (byte-exact at the end). */
export async function zeroEdges(device: string, bytes = EDGE_BYTES): Promise<void> {
  const size = sys.sizeBytes(device);
  if (size <= 0) throw new AppError('DRIVE_GONE', `${device} has no size any more.`, { data: { device } });
  const fh = await open(device, 'r+');
  try {
    const zeros = Buffer.alloc(1024 * 1024);
    const spans: Array<[number, number]> = size <= 2 * bytes ? [[0, size]] : [[0, bytes], [size - bytes, size]];
    for (const [from, to] of spans) {
      for (let pos = from; pos < to; pos += zeros.length) {
        const len = Math.min(zeros.length, to - pos);
        await fh.write(zeros, 0, len, pos);
      }
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function wipefs(device: string): Promise<void> {
  // -f: an NTFS boot sector looks like a nested "dos" table and wipefs refuses without it.
  await run('wipefs', ['-a', '-f', device], { op: `erase the signatures on ${device}`, timeoutMs: 60_000 });
}

export async function flushBuffers(device: string): Promise<void> {
  await run('blockdev', ['--flushbufs', device], { op: `flush the buffers of ${device}`, okCodes: [1] });
}

/** Asks the kernel to re-read the partition table (partprobe, then blockdev as a fallback). */
export async function rereadPartitions(device: string): Promise<void> {
  const r = await run('partprobe', [device], { op: `re-read the partition table of ${device}`, okCodes: [1], timeoutMs: 30_000 });
  if (r.exitCode !== 0) await run('blockdev', ['--rereadpt', device], { op: `re-read the partition table of ${device}`, okCodes: [1] });
}

/**
 * Erases everything on a disk: partitions' signatures and edges, then the disk's, then the
 * partition table itself (both GPT copies and the protective MBR).
 */
export async function wipeDrive(device: string, guard: GuardOptions & { expectDiskseq: number | null }): Promise<void> {
  const drive = await assertWritable(device, { ...guard, phase: 'continue', step: 'wipe' });
  const dev = drive.device;
  logLine('audit', { op: 'wipe', device: dev, serial: drive.serial, sizeBytes: drive.sizeBytes, jobId: guard.jobId });
  await mapGone(dev, guard.expectDiskseq, 'wipe', async () => {
    for (const p of sys.kernelPartitions(dev)) {
      await wipefs(p.device);
      await zeroEdges(p.device);
    }
    await wipefs(dev);
    // Both GPT copies and the protective MBR lie inside the zeroed edges.
    await zeroEdges(dev);
    await rereadPartitions(dev);
    await flushBuffers(dev);
  });
}
