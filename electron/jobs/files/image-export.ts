// One volume of a point as a disk image on the unit: `qemu-img convert` reads the point's image
// directly (in the clone, or the decrypted working copy) and writes the chosen format; then, at the
// same time, `qemu-img compare` against the source, `qemu-img check` where the format has one, and
// the image file's SHA-256 for the manifest, while the image is flushed to the drive (the checks
// read it from the page cache, so the disk's work and theirs overlap). Any difference fails the
// point: VERIFY_MISMATCH.
import { open, stat } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '../../api/errors.ts';
import { qemuCheck, qemuCompare, qemuConvert, type QemuFormat } from '../../system/qemu-img.ts';
import type { ImageEntry } from './file-entry.ts';
import { sha256File } from './hash-file.ts';
import { dropCachedPages } from '../../system/drop-cache.ts';
import { targetFailure } from './copy-tree.ts';
import type { OpenedVolume } from './point-reader.ts';

export type ImageFormat = ImageEntry['format'];

export const QEMU_FORMAT: Record<ImageFormat, QemuFormat> = { raw: 'raw', vhd: 'vpc', vhdx: 'vhdx', vmdk: 'vmdk' };
export const IMAGE_EXTENSION: Record<ImageFormat, string> = { raw: 'img', vhd: 'vhd', vhdx: 'vhdx', vmdk: 'vmdk' };

export interface ExportOptions {
  /** The unit's data filesystem root, to record the image's path relative to it. */
  unitRoot: string;
  signal?: AbortSignal;
  /** Bytes of the source volume written so far (from qemu-img's progress). */
  onBytes?: (n: number) => void;
  step?: string;
  /** Tests: after each image is written, before its checks. */
  afterWrite?: (file: string) => void | Promise<void>;
}

export async function writeVolumeImage(vol: OpenedVolume, dst: string, format: ImageFormat, opts: ExportOptions): Promise<void> {
  const virtualBytes = (await stat(vol.image)).size;
  let reported = 0;
  await qemuConvert(vol.image, dst, QEMU_FORMAT[format], {
    signal: opts.signal,
    onFraction: (f) => {
      const now = Math.floor(f * virtualBytes);
      if (now > reported) opts.onBytes?.(now - reported);
      reported = Math.max(reported, now);
    },
  });
  if (virtualBytes > reported) opts.onBytes?.(virtualBytes - reported);
}

async function flushFile(path: string, step?: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.datasync();
  } catch (e) {
    throw targetFailure(e as NodeJS.ErrnoException, path, step);
  } finally {
    await fh.close();
  }
}

/** Checks a written image against its source volume and describes it for the manifest. */
export async function checkVolumeImage(vol: OpenedVolume, dst: string, format: ImageFormat, opts: ExportOptions): Promise<ImageEntry> {
  const q = QEMU_FORMAT[format];
  // All of them run together; the first to fail stops the others, and none may still be reading
  // the source or the image when this returns or throws (the caller closes the point's clone next).
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  // The first failure is the stop's reason (a later abort() changes nothing).
  const watched = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      stop.abort(e);
      throw e;
    });
  const checks = [
    watched(qemuCompare(vol.image, 'raw', dst, q, signal)),
    watched(qemuCheck(dst, q, signal)),
    watched(sha256File(dst, { signal })),
    watched(stat(dst)),
    watched(stat(vol.image)),
    // The image's pages go to the drive while the checks read them from the page cache: the point
    // is flushed before it is journaled anyway, and this way the disk and the checks overlap.
    watched(flushFile(dst, opts.step)),
  ] as const;
  await Promise.allSettled(checks);
  if (stop.signal.aborted) throw stop.signal.reason;
  const [cmp, chk, sum, st, src] = await Promise.all(checks);
  if (!cmp.same) {
    throw new AppError('VERIFY_MISMATCH', `The ${format.toUpperCase()} image of volume ${vol.name} differs from the source volume.`, { step: opts.step, detail: cmp.detail });
  }
  if (chk && !chk.ok) {
    throw new AppError('VERIFY_MISMATCH', `qemu-img check found errors in the ${format.toUpperCase()} image of volume ${vol.name}.`, { step: opts.step, detail: chk.detail });
  }
  // Flushed and proven: its pages are only memory the next convert can use (drop-cache.ts).
  await dropCachedPages(dst);
  return {
    volume: vol.name,
    sourceFs: vol.fs,
    format,
    qemuFormat: q,
    file: relative(opts.unitRoot, dst),
    bytes: st.size,
    virtualBytes: src.size,
    sha256: sum.sha256,
    compared: true,
    checked: chk ? chk.ok : null,
  };
}

/** A point's images, written: `checked` gives their manifest entries once every check has passed. */
export interface ExportedImages {
  checked: Promise<ImageEntry[]>;
}

/**
 * The volumes converted into `dir` one after another. Each image's checks start as soon as it is
 * written and run beside the next convert (and, in a job, beside the next point's: one-behind.ts),
 * the point's images one at a time, in order: on two cores they cost about as much as the convert,
 * and beside it they are nearly free. A failed check stops the converts and is the error; when this throws,
 * no check is running any more.
 */
export async function exportVolumeImages(volumes: OpenedVolume[], dir: string, format: ImageFormat, opts: ExportOptions): Promise<ExportedImages> {
  const failed = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
  const o = { ...opts, signal };
  let checks: Promise<ImageEntry[]> = Promise.resolve([]);
  try {
    mkdirSync(dir, { recursive: true });
    for (const v of volumes) {
      const file = join(dir, `${v.name}.${IMAGE_EXTENSION[format]}`);
      await writeVolumeImage(v, file, format, o);
      await opts.afterWrite?.(file);
      checks = checks.then(async (list) => [...list, await checkVolumeImage(v, file, format, o)]);
      checks.catch((e: unknown) => failed.abort(e));
    }
  } catch (e) {
    // A failed check stopped this convert and is the cause; otherwise the checks still running stop.
    const cause: unknown = failed.signal.aborted ? failed.signal.reason : e;
    failed.abort(e);
    await checks.catch(() => undefined);
    throw cause;
  }
  return { checked: checks };
}
