// Image exports onto a sealed unit (docs/sealed-units.md, "Sealed images"). qemu-img writes VHD,
// VHDX and VMDK into a seekable file, so each volume's image is written into a staging folder on
// the bench's own disk — never onto the unit, where a plain image would stay readable in the
// drive's free blocks — and checked there exactly as a plain export (image-export.ts: qemu-img
// compare against the source volume, qemu-img check, SHA-256). Each checked image is then sealed
// onto the unit as streams/<keyed name>.rts and its staged copy removed; the sealed file's plain
// SHA-256 must be the checked image's, so the unit holds exactly what was checked. The staging
// folder is recorded as a leftover first, so a killed run's next start removes it.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { AppError } from '../../api/errors.ts';
import { appPath } from '../../system/paths.ts';
import { sealFile } from '../sealed/seal-file.ts';
import { streamFileName, streamPath } from '../sealed/sealed-layout.ts';
import type { ImageEntry } from './file-entry.ts';
import { exportVolumeImages, IMAGE_EXTENSION, type ExportedImages, type ExportOptions, type ImageFormat } from './image-export.ts';
import { Leftovers } from './leftovers.ts';
import type { OpenedVolume } from './point-reader.ts';

/** Where a sealed export writes: the unit's data key and the drive the point is placed on. */
export interface SealTarget {
  dataKey: Buffer;
  /** The drive's mounted data filesystem (its streams/ folder exists). */
  driveRoot: string;
  drive: number;
}

/** An image's sealed file name: the keyed hash of system@point/volume, stable for a resume. */
export function imageStreamFile(dataKey: Buffer, system: string, point: string, volume: string): string {
  return streamFileName(dataKey, system, `${point}/${volume}`);
}

/**
 * A point's volumes exported through the bench's staging folder and sealed onto the unit.
 * `folder` is the point's folder name (SYSTEM/POINT): the images are unsealed under it.
 */
export async function exportSealedImages(
  volumes: OpenedVolume[],
  at: { system: string; point: string; folder: string; jobId: string },
  format: ImageFormat,
  target: SealTarget,
  opts: Omit<ExportOptions, 'unitRoot'>,
): Promise<ExportedImages> {
  const left = new Leftovers(at.jobId, `stage the images of ${at.system}@${at.point}`);
  const stage = appPath('jobs', at.jobId, 'stage', left.id);
  let exported: ExportedImages;
  try {
    left.add('dirs', stage);
    for (const v of volumes) left.add('files', join(stage, `${v.name}.${IMAGE_EXTENSION[format]}`));
    mkdirSync(stage, { recursive: true, mode: 0o700 });
    exported = await exportVolumeImages(volumes, stage, format, { ...opts, unitRoot: stage });
  } catch (e) {
    await left.release();
    throw stagingFailure(e, at, opts.step);
  }
  const sealed = exported.checked.then(async (images) => {
    const out: ImageEntry[] = [];
    for (const img of images) out.push(await sealImage(img, join(stage, img.file), at, target, opts.signal, opts.onBytes));
    return out;
  });
  const checked = sealed.finally(() => left.release());
  // Awaited by the point's settle (one-behind.ts), perhaps later than it fails.
  checked.catch(() => undefined);
  return { checked };
}

/** A full disk while staging is the bench's disk, not the unit's (qemu-img's "no space" reads as the unit's). */
function stagingFailure(e: unknown, at: { system: string; point: string }, step?: string): unknown {
  if (!(e instanceof AppError) || e.code !== 'TARGET_FULL') return e;
  return new AppError('STAGING_FULL', `This bench's disk is full: the images of ${at.system}@${at.point} are written and checked there before they are sealed onto the unit, and they did not fit.`, {
    step,
    hint: `Free space on the disk that holds ${appPath('jobs')} (the images of about two points at once), then resume; the points already on the unit are kept.`,
    detail: e.detail,
  });
}

async function sealImage(img: ImageEntry, staged: string, at: { system: string; point: string; folder: string }, target: SealTarget, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<ImageEntry> {
  const file = imageStreamFile(target.dataKey, at.system, at.point, img.volume);
  const path = streamPath(target.driveRoot, file);
  const name = `${at.folder}/${img.file}`;
  // The sealing is the second pass over the image's bytes: the job's meter counts it too.
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes?.(chunk.length);
      cb(null, chunk);
    },
  });
  const r = await sealFile(staged, path, target.dataKey, `image ${name}`, { signal, tap });
  if (r.sha256 !== img.sha256) {
    throw new AppError('VERIFY_MISMATCH', `The ${img.format.toUpperCase()} image of volume ${img.volume} changed between its check and its sealing.`, { detail: `checked ${img.sha256}, sealed ${r.sha256}` });
  }
  // Sealed and fsynced: the staged image is no longer needed (its space may be the next one's).
  rmSync(staged, { force: true });
  return { ...img, file: name, sealed: { drive: target.drive, file, streamId: r.streamId, sealedBytes: statSync(path).size } };
}
