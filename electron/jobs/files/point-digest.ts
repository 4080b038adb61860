// One digest per point of a file unit, stored as the manifest point's `contentDigest`: SHA-256 over
// the point's file list (type, path, size, checksum or link target of every entry) or image list.
// Two copies of the same point have the same digest whatever the unit's filesystem or names.
import { createHash } from 'node:crypto';
import { digestLine, type ImageEntry, type VolumeCopy } from './file-entry.ts';

export function browsableDigest(volumes: readonly VolumeCopy[]): string {
  const h = createHash('sha256');
  for (const v of volumes) {
    h.update(`volume\0${v.volume}\n`);
    for (const f of v.files) h.update(digestLine(f));
  }
  return h.digest('hex');
}

export function imagesDigest(images: readonly ImageEntry[]): string {
  const h = createHash('sha256');
  for (const i of images) h.update(`${i.volume}\0${i.format}\0${i.sha256}\n`);
  return h.digest('hex');
}
