// One point of a file sync written to its drive: opened read-only from its source and copied as
// browsable folders, or exported as disk images whose checks may still be running when it returns.
import { join } from 'node:path';
import { abortError } from '../drive-watch.ts';
import type { ManifestPoint } from '../manifest.ts';
import type { ProgressMeter } from '../progress.ts';
import { copyTree } from './copy-tree.ts';
import type { VolumeCopy } from './file-entry.ts';
import { exportVolumeImages, type ExportedImages } from './image-export.ts';
import { exportSealedImages, type SealTarget } from './sealed-images.ts';
import { browsableDigest, imagesDigest } from './point-digest.ts';
import { openPoint } from './point-reader.ts';
import type { FileSyncHooks, FileSyncRequest, FileSyncSystem } from './sync-types.ts';

/** A point written to its drive; `finish` proves what is left to prove (image checks) and closes its source. */
export interface WrittenPoint {
  finish(): Promise<ManifestPoint>;
}

/**
 * One point: opened read-only and copied or exported into `folder` on its drive. A browsable copy
 * is whole (and its source closed) when this returns; an image export once its images are written,
 * their checks still running (image-export.ts): `finish` waits for them, then closes the source.
 */
export async function writePoint(
  req: FileSyncRequest,
  s: FileSyncSystem,
  point: string,
  time: number,
  guid: string,
  folder: string,
  driveRoot: string,
  jobId: string,
  step: string,
  meter: ProgressMeter,
  signal: AbortSignal,
  hooks?: FileSyncHooks,
  /** A sealed unit: the images go through the bench's staging folder, sealed (sealed-images.ts). */
  seal?: SealTarget,
): Promise<WrittenPoint> {
  if (signal.aborted) throw abortError(signal, 'The sync was cancelled.', step);
  const opened = await openPoint({ dataset: s.sourceDataset, point, jobId, mountVolumes: req.layout === 'browsable', passphrase: req.passphrases?.[s.system], signal });
  const dst = join(driveRoot, folder);
  if (req.layout === 'image') {
    let exported: ExportedImages;
    try {
      const o = { signal, step, onBytes: (n: number) => meter.add(n), afterWrite: hooks?.afterImage };
      exported = seal
        ? await exportSealedImages(opened.volumes, { system: s.system, point, folder, jobId }, req.imageFormat!, seal, o)
        : await exportVolumeImages(opened.volumes, dst, req.imageFormat!, { ...o, unitRoot: driveRoot });
    } catch (e) {
      await opened.close();
      throw e;
    }
    return {
      finish: async () => {
        try {
          const images = await exported.checked;
          return { name: point, guid, time, from: null, contentDigest: imagesDigest(images), folder, images };
        } finally {
          await opened.close();
        }
      },
    };
  }
  try {
    const sources = opened.meta.kind === 'share' || opened.volumes.length === 0
      ? [{ volume: 'files', sourceFs: 'zfs' as const, dir: opened.root, exclude: (rel: string) => rel === '.roundtrip' }]
      : opened.volumes.map((v) => ({ volume: v.name, sourceFs: v.fs, dir: v.mountDir!, exclude: undefined }));
    const volumes: VolumeCopy[] = [];
    for (const src of sources) {
      const r = await copyTree(src.dir, join(dst, src.volume), { ntfs: req.filesystem === 'ntfs', signal, onBytes: (n) => meter.add(n), exclude: src.exclude });
      volumes.push({ volume: src.volume, sourceFs: src.sourceFs, ...r });
    }
    const mp: ManifestPoint = { name: point, guid, time, from: null, contentDigest: browsableDigest(volumes), folder, volumes };
    return { finish: async () => mp };
  } finally {
    await opened.close();
  }
}
