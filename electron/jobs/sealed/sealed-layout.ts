// Where a sealed unit keeps what (docs/sealed-units.md, "The sealed unit"): on each drive's ext4
// data partition the points' sealed stream files under streams/, named by a keyed hash so no name
// says which system or point a file holds; on each drive's metadata partition the unit key record
// (unit-key.json), the public manifest (manifest.json: no system, dataset or point names) and the
// whole manifest sealed with the unit's key (manifest-<stream id>.rtseal). Nothing here sees the passphrase.
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../api/errors.ts';
import { withMounted } from '../../drives/metadata.ts';
import { dataKeyId, makeUnitKey, OpenStream, openUnitKey, parseUnitKeyRecord, SealStream, type UnitKeyRecord } from '../../seal/index.ts';
import { writeFileDurably } from '../../system/json-file.ts';
import { parseManifest, sealManifest, writeManifest, type Manifest, type ManifestPoint, type ManifestSystem, type SealedPointFile } from '../manifest.ts';
import type { ImageEntry } from '../files/file-entry.ts';

export const UNIT_KEY_FILE = 'unit-key.json';
/** The sealed manifest is named by its stream id, so a manifest written again never stands beside an older public one. */
export function sealedManifestFile(streamId: string): string {
  if (!/^[0-9a-f]{32}$/.test(streamId)) throw new AppError('MANIFEST_INVALID', `The unit's manifest names a sealed manifest "${streamId}" this app never writes.`);
  return `manifest-${streamId}.rtseal`;
}
export const STREAMS_DIR = 'streams';

/** A point's stream file name: HMAC(data key, system@point), so it is stable for a resume and says nothing. */
export function streamFileName(dataKey: Buffer, system: string, point: string): string {
  return `${createHmac('sha256', dataKey).update(`roundtrip-sealed file v1\0${system}@${point}`).digest('hex').slice(0, 32)}.rts`;
}

/** The file's path under a mounted data partition. */
export function streamPath(root: string, file: string): string {
  if (!/^[0-9a-f]{32}\.rts$/.test(file)) throw new AppError('MANIFEST_INVALID', `The sealed manifest names a stream file "${file}" this app never writes.`);
  return join(root, STREAMS_DIR, file);
}

export async function writeUnitKeyRecord(metaPartition: string, record: UnitKeyRecord): Promise<void> {
  await withMounted(metaPartition, false, (dir) => writeFileDurably(join(dir, UNIT_KEY_FILE), JSON.stringify(record, null, 2) + '\n'));
}

/** The unit key record on a metadata partition; KEY_RECORD_DAMAGED when missing or damaged. */
export async function readUnitKeyRecord(metaPartition: string): Promise<UnitKeyRecord> {
  const text = await withMounted(metaPartition, true, (dir) => (existsSync(join(dir, UNIT_KEY_FILE)) ? readFileSync(join(dir, UNIT_KEY_FILE), 'utf8') : null));
  if (text === null) throw new AppError('KEY_RECORD_DAMAGED', `This sealed unit's key record (${UNIT_KEY_FILE}) is missing from its metadata partition ${metaPartition}; no passphrase can open the unit.`);
  return parseUnitKeyRecord(text);
}

/** A new unit key, wrapped by the passphrase, its record written to every drive's metadata partition. */
export async function makeUnitKeyOn(metaPartitions: string[], unitPassphrase: string): Promise<{ dataKey: Buffer; keyId: string }> {
  const { dataKey, record } = await makeUnitKey(unitPassphrase);
  try {
    for (const m of metaPartitions) await writeUnitKeyRecord(m, record);
  } catch (e) {
    dataKey.fill(0);
    throw e;
  }
  return { dataKey, keyId: record.keyId };
}

/** A resume's unit key: the record the first run wrote, opened by the passphrase again (a wrong one changes nothing). */
export async function reopenUnitKey(metaPartition: string, unitPassphrase: string, keyId: string, device: string, step?: string): Promise<Buffer> {
  const dataKey = await openUnitKey(await readUnitKeyRecord(metaPartition), unitPassphrase);
  if (dataKeyId(dataKey).toString('hex') !== keyId) {
    dataKey.fill(0);
    throw new AppError('KEY_RECORD_DAMAGED', `The key record on ${device} is not the one this sync made; start a new sync.`, { step });
  }
  return dataKey;
}

/** One sealed file the sealed manifest names: a ZFS point's stream, or one volume's image of a point. */
export interface SealedEntry {
  system: string;
  point: string;
  /** How a refusal names it ("point 1700000000", "image WIN-FS01/.../C.vhdx"). */
  label: string;
  sealed: SealedPointFile;
  /** The SHA-256 its plain content must have. */
  sha256: string;
  /** Images: the image as the sync described it (its `file` is the name it is unsealed as). */
  image?: ImageEntry;
}

/** A point's sealed files: its stream (zfs-sealed), or its volumes' images (images-sealed). */
export function sealedEntriesOf(system: string, p: ManifestPoint): SealedEntry[] {
  if (p.sealed) return [{ system, point: p.name, label: `point ${p.name}`, sealed: p.sealed, sha256: p.contentDigest }];
  return (p.images ?? []).flatMap((i) => (i.sealed ? [{ system, point: p.name, label: `image ${i.file}`, sealed: i.sealed, sha256: i.sha256, image: i }] : []));
}

/**
 * A sealed unit's two manifests: the whole one sealed with the unit's data key, and the public one
 * beside it naming no system, only the key's id, the sealed manifest's stream id and every sealed
 * file (its drive, name and size), so presence and size can be checked without the passphrase.
 */
export async function sealedManifestPair(
  dataKey: Buffer,
  keyId: string,
  common: Omit<Manifest, 'checksum' | 'systems' | 'sealed'>,
  systems: ManifestSystem[],
): Promise<{ sealed: { bytes: Buffer; streamId: string }; outer: Manifest }> {
  const sealed = await sealManifestBytes(dataKey, sealManifest({ ...common, systems }));
  const files = systems.flatMap((x) => x.points.flatMap((p) => sealedEntriesOf(x.system, p))).map((f) => ({ drive: f.sealed.drive, file: f.sealed.file, bytes: f.sealed.sealedBytes }));
  return { sealed, outer: sealManifest({ ...common, systems: [], sealed: { keyId, manifestStreamId: sealed.streamId, files } }) };
}

/** The whole manifest sealed with the unit's data key: the bytes of a sealed stream file, and its stream id. */
export async function sealManifestBytes(dataKey: Buffer, m: Manifest): Promise<{ bytes: Buffer; streamId: string }> {
  const sealer = new SealStream(dataKey);
  const parts: Buffer[] = [];
  sealer.on('data', (b: Buffer) => parts.push(b));
  await new Promise<void>((resolve, reject) => {
    sealer.on('end', resolve).on('error', reject);
    Readable.from([Buffer.from(JSON.stringify(m))]).pipe(sealer);
  });
  return { bytes: Buffer.concat(parts), streamId: sealer.finish().streamId };
}

/** The sealed manifest opened and checked (its stream id must be the public manifest's). */
export async function openManifestBytes(dataKey: Buffer, bytes: Buffer, streamId: string): Promise<Manifest> {
  const opener = new OpenStream(dataKey, { streamId, label: 'the sealed manifest' });
  const parts: Buffer[] = [];
  opener.on('data', (b: Buffer) => parts.push(b));
  await new Promise<void>((resolve, reject) => {
    opener.on('end', resolve).on('error', reject);
    Readable.from([bytes]).pipe(opener);
  });
  return parseManifest(Buffer.concat(parts).toString('utf8'));
}

/**
 * The sealed manifest and then the public one that names it; only then are older sealed manifests
 * removed, so a kill at any moment leaves a public manifest whose sealed one is there.
 */
export async function writeUnitManifests(metaPartition: string, sealed: { bytes: Buffer; streamId: string }, outer: Manifest): Promise<void> {
  const name = sealedManifestFile(sealed.streamId);
  await withMounted(metaPartition, false, (dir) => writeFileDurably(join(dir, name), sealed.bytes));
  await writeManifest(metaPartition, outer);
  await withMounted(metaPartition, false, (dir) => {
    for (const f of readdirSync(dir)) if (/^manifest-[0-9a-f]{32}\.rtseal$/.test(f) && f !== name) rmSync(join(dir, f), { force: true });
  });
}

export async function readSealedManifest(metaPartition: string, streamId: string): Promise<Buffer> {
  const name = sealedManifestFile(streamId);
  const b = await withMounted(metaPartition, true, (dir) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : null));
  if (!b) throw new AppError('MANIFEST_INVALID', `This sealed unit's manifest (${name}) is missing from ${metaPartition}: the unit cannot be read.`, { hint: 'Resume the sync if it is still on this bench, or ask for a new unit.' });
  return b;
}
