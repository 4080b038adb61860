// Unsealing a sealed unit's disk images into a folder (docs/sealed-units.md, "Sealed images"):
// with the unit passphrase, each image is opened from its sealed file (each record authenticated
// before its bytes are written) into `<folder>/<SYSTEM>/<POINT>/<volume>.<ext>.partial`, zero runs
// left as holes (a raw image stays sparse), its SHA-256 compared with the one the bench checked,
// flushed, and only then renamed to its name: a name in the folder is always a whole, proven
// image. A refused file leaves nothing of itself. The whole manifest goes beside the images
// (ROUNDTRIP-MANIFEST.json), so the partner has every image's checksum. Run again after an
// interruption, images already whole there (same size and SHA-256) are kept; a file of that name
// that is not the unit's image is never overwritten. The unit is only read. What is written belongs
// to the folder's owner (the engine may run as root for a partner's own folder), readable by them
// only, and never through a link planted in the folder (unseal-folder.ts).
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, toAppError } from '../../api/errors.ts';
import type { ProgressSnapshot } from '../progress.ts';
import { ProgressMeter } from '../progress.ts';
import { sha256File } from '../files/hash-file.ts';
import { UNIT_MANIFEST_COPY } from '../files/sync-steps.ts';
import type { Manifest } from '../manifest.ts';
import { openSealedUnit, sealedEntriesOf, type SealedEntry, type SealedUnitSession } from './sealed-unit.ts';
import { folderOwner, FOLDER_FIELD, makeFolders, writeIntoPlace, type Owner } from './unseal-folder.ts';

export interface UnsealRequest {
  device: string;
  /** An existing folder on this machine. */
  to: string;
  /** Memory only. */
  unitPassphrase: string;
  jobId: string;
}

export interface UnsealedImage {
  system: string;
  point: string;
  volume: string;
  /** Relative to the folder. */
  file: string;
  format: string;
  bytes: number;
  sha256: string;
  /** Already whole in the folder from an earlier run: kept, not written again. */
  kept: boolean;
}

export interface UnsealResult {
  device: string;
  to: string;
  ticketId: string;
  unitId: string;
  imageFormat: string | null;
  images: UnsealedImage[];
  /** Systems whose images are on a drive of the unit that is not attached, with why. */
  absent: Record<string, string>;
  manifestFile: string;
  bytes: number;
  tookMs: number;
}

export const UNSEAL_STEPS = ['open-unit', 'unseal', 'write-manifest'] as const;

const BLOCK = 64 * 1024;
const ZERO = Buffer.alloc(BLOCK);

/** The image's path under the folder, relative and absolute, refusing any name that would leave it. */
function placeIn(to: string, file: string): { rel: string; path: string } {
  const rel = normalize(file);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.split(sep).includes('..')) {
    throw new AppError('MANIFEST_INVALID', `The sealed manifest names an image "${file}" outside the folder it is unsealed into.`);
  }
  return { rel, path: join(to, rel) };
}

export function checkUnsealFolder(to: string): void {
  if (!isAbsolute(to)) throw new AppError('BAD_INPUT', `Give the folder to unseal into as a full path (it was "${to}").`, { data: FOLDER_FIELD });
  let st;
  try {
    st = statSync(to);
  } catch {
    throw new AppError('BAD_INPUT', `The folder ${to} does not exist: create it first (the images need as much space as the unit's images).`, { data: FOLDER_FIELD });
  }
  if (!st.isDirectory()) throw new AppError('BAD_INPUT', `${to} is not a folder.`, { data: FOLDER_FIELD });
}

export async function unsealImages(req: UnsealRequest, opts: { signal?: AbortSignal; onProgress?: (p: ProgressSnapshot) => void; log?: (line: string) => void } = {}): Promise<UnsealResult> {
  const started = Date.now();
  checkUnsealFolder(req.to);
  // One spelling of the folder (no trailing slash), for the names under it.
  const to = resolve(req.to);
  const owner = folderOwner(to);
  const meter = new ProgressMeter(req.jobId, 0);
  if (opts.onProgress) meter.on('progress', opts.onProgress);
  meter.start();
  let session: SealedUnitSession | null = null;
  try {
    meter.setStep('open-unit', req.device);
    session = await openSealedUnit(req.device, req.unitPassphrase, req.jobId);
    const m = session.manifest;
    if (m.layout !== 'images-sealed') {
      throw new AppError('BAD_INPUT', `${req.device} is a sealed unit of ZFS points, not of disk images: merge it into a pool instead (roundtrip merge ${req.device} --into POOL --unit-passphrase-stdin).`);
    }
    const entries = session.here.flatMap((s) => s.points.flatMap((p) => sealedEntriesOf(s.system, p)));
    meter.setTotal(entries.reduce((n, e) => n + (e.image?.bytes ?? 0), 0));
    // Every name is checked before anything is written.
    const places = entries.map((e) => placeIn(to, e.image!.file));
    const manifestFile = join(to, UNIT_MANIFEST_COPY);
    checkManifestPlace(manifestFile, m.unitId);
    const images: UnsealedImage[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const img = e.image!;
      meter.setStep(`unseal ${e.system}@${e.point}`, img.file, img.bytes);
      const kept = await alreadyWhole(places[i].path, img.bytes, img.sha256, opts.signal);
      if (kept) {
        meter.add(img.bytes);
        opts.log?.(`${img.file} is already whole in ${to}: kept.`);
      } else {
        const open = session.open.bind(session);
        makeFolders(to, dirname(places[i].rel), owner);
        await unsealOne(() => open(e, opts.signal), e, places[i].path, owner, (n) => meter.add(n), opts.signal);
        opts.log?.(`${img.file} unsealed (${img.bytes} bytes, SHA-256 as checked on the bench).`);
      }
      images.push({ system: e.system, point: e.point, volume: img.volume, file: img.file, format: img.format, bytes: img.bytes, sha256: img.sha256, kept });
    }
    meter.setStep('write-manifest');
    const text = Buffer.from(JSON.stringify(m satisfies Manifest, null, 2) + '\n');
    await writeIntoPlace(manifestFile, owner, async (fh) => void (await fh.write(text, 0, text.length, 0)));
    return {
      device: req.device,
      to,
      ticketId: m.ticketId,
      unitId: m.unitId,
      imageFormat: m.imageFormat ?? null,
      images,
      absent: session.absent,
      manifestFile,
      bytes: images.reduce((n, x) => n + x.bytes, 0),
      tookMs: Date.now() - started,
    };
  } finally {
    meter.stop();
    await session?.close();
  }
}

/** The unit's manifest is written over only an earlier unseal's of the same unit; anything else there is in the way. */
function checkManifestPlace(path: string, unitId: string): void {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return;
  let ours = false;
  try {
    ours = st.isFile() && (JSON.parse(readFileSync(path, 'utf8')) as { unitId?: string }).unitId === unitId;
  } catch {
    ours = false;
  }
  if (!ours) throw new AppError('UNSEAL_TARGET_EXISTS', `${path} already exists and is not this unit's manifest; it was left as it is.`, { hint: 'Unseal into an empty folder, or move that file away first.', data: FOLDER_FIELD });
}

/** A file already at `path` that is this image (its size and SHA-256); anything else there is refused, never overwritten. */
async function alreadyWhole(path: string, bytes: number, sha256: string, signal?: AbortSignal): Promise<boolean> {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return false;
  if (st.isFile() && st.size === bytes && (await sha256File(path, { signal })).sha256 === sha256) return true;
  throw new AppError('UNSEAL_TARGET_EXISTS', `${path} already exists and is not this unit's image; it was left as it is.`, {
    hint: 'Unseal into an empty folder, or move that file away first.',
    data: FOLDER_FIELD,
  });
}

type OpenedFile = ReturnType<SealedUnitSession['open']>;

/**
 * One image written from its sealed file: holes for zero blocks, proven by its SHA-256, then
 * renamed into place. The file is opened only once the partial file is, so its reading (and a
 * cancel's refusal of it) is always awaited.
 */
async function unsealOne(openFile: () => OpenedFile, e: SealedEntry, path: string, owner: Owner, onBytes: (n: number) => void, signal?: AbortSignal): Promise<void> {
  await writeIntoPlace(
    path,
    owner,
    async (fh) => {
      let position = 0;
      let pending = Buffer.alloc(0);
      // Whole blocks of zeros are skipped (a hole); the file is sized at the end.
      const writeBlocks = async (b: Buffer) => {
        for (let off = 0; off < b.length; off += BLOCK) {
          const part = b.subarray(off, Math.min(off + BLOCK, b.length));
          if (part.length !== BLOCK || !part.equals(ZERO)) await fh.write(part, 0, part.length, position);
          position += part.length;
        }
      };
      const sink = new Writable({
        highWaterMark: 4 * 1024 * 1024,
        write(chunk: Buffer, _enc, cb) {
          const all = pending.length ? Buffer.concat([pending, chunk]) : chunk;
          const whole = all.length - (all.length % BLOCK);
          pending = Buffer.from(all.subarray(whole));
          writeBlocks(all.subarray(0, whole)).then(() => {
            onBytes(chunk.length);
            cb();
          }, cb);
        },
        final(cb) {
          writeBlocks(pending).then(() => cb(), cb);
        },
      });
      const opened = openFile();
      const [moved, done] = await Promise.allSettled([pipeline(opened.stdout, sink), opened.done]);
      if (done.status === 'rejected') throw toAppError(done.reason);
      if (moved.status === 'rejected') throw moved.reason;
      if (done.value.sha256 !== e.sha256) {
        throw new AppError('VERIFY_MISMATCH', `The unsealed ${e.label} is not the image the bench checked (its SHA-256 differs); it was not kept.`);
      }
      await fh.truncate(position);
    },
    signal,
  );
}
