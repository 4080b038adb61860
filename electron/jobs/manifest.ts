// The unit's manifest: everything a bench needs to verify and merge a unit without our database.
// Written to the metadata partition of every drive of the unit, with a checksum of itself.
import { createHash } from 'node:crypto';
import { fsyncSync, openSync, closeSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../api/errors.ts';
import { withMounted } from '../drives/metadata.ts';
import type { ImageEntry, SealedPointFile, VolumeCopy } from './files/file-entry.ts';

export const MANIFEST_FILE = 'manifest.json';
export const TOOL = { name: 'roundtrip-bench', version: '0.1.0' };

export interface ManifestPoint {
  name: string;
  guid: string;
  /** Epoch seconds of the point. */
  time: number;
  /** The point this one's stream was sent from (null: a full stream). */
  from: string | null;
  /**
   * ZFS: SHA-256 of the point's send stream, computed on the way as it was sent from the source.
   * NTFS/EXT4: SHA-256 of the point's file list or image list (jobs/files/point-digest.ts).
   */
  contentDigest: string;
  /**
   * ZFS: the stream's first and last records (base64), which name the source dataset. A point sent
   * again from the unit, hashed with these in place of its own, must give `contentDigest` (stream-digest.ts).
   */
  records?: { head: string; tail: string };
  /** NTFS/EXT4 units: the drive (1-based index into `drives`) that holds this point. */
  drive?: number;
  /** NTFS/EXT4 units, in the manifest of the drive that holds the point: its folder on that drive. */
  folder?: string;
  /** Browsable copies: every volume's files (or a share's), with checksums. */
  volumes?: VolumeCopy[];
  /** Image exports: every volume's image. */
  images?: ImageEntry[];
  /** Sealed units, in the sealed manifest only: the point's sealed stream file (jobs/sealed/sealed-layout.ts). */
  sealed?: SealedPointFile;
}

export type { SealedPointFile };

export interface ManifestStream {
  base: string | null;
  end: string;
  bytes: number;
  sha256: string;
}

export interface ManifestSystem {
  system: string;
  kind: 'agent' | 'share';
  encrypted: boolean;
  sourceDataset: string;
  /** Where the system lives on the unit (ZFS units: a dataset; file units: a folder). */
  unitPath: string;
  points: ManifestPoint[];
  streams: ManifestStream[];
}

export interface Manifest {
  format: 'roundtrip-manifest';
  version: 1;
  /**
   * `zfs-sealed`: sealed stream files, `images-sealed`: sealed disk image files
   * (docs/sealed-units.md); their public manifest lists no system.
   */
  layout: 'zfs' | 'ntfs' | 'ext4' | 'zfs-sealed' | 'images-sealed';
  ticketId: string;
  applianceSerial: string | null;
  direction: 'forward' | 'reverse';
  unitId: string;
  pool: { name: string; guid: string | null } | null;
  /** Every drive of the unit; NTFS/EXT4 drives carry their filesystem label so a technician can tell them apart. */
  drives: Array<{ index: number; serial: string | null; sizeBytes: number; label?: string | null }>;
  /** What the data partition holds: ZFS datasets (absent on older manifests), browsable folders or images. */
  content?: 'datasets' | 'browsable' | 'image';
  imageFormat?: 'raw' | 'vhd' | 'vhdx' | 'vmdk';
  /** NTFS/EXT4 units: which drive this manifest is on; its points carry details, the others name their drive. */
  driveIndex?: number;
  source: { host: string; root: string };
  /** NAS units (R3): the unit is this dataset on the NAS (`pool` is the NAS pool, `drives` is empty). */
  nas?: { dataset: string; hostname: string | null };
  systems: ManifestSystem[];
  /**
   * Sealed units: the unit key's id, the stream id of the sealed manifest (manifest.rtseal, which
   * holds the systems), and every stream file with its size, so presence and size can be checked
   * without the passphrase.
   */
  sealed?: { keyId: string; manifestStreamId: string; files: Array<{ drive: number; file: string; bytes: number }> };
  tool: typeof TOOL;
  startedAt: string;
  endedAt: string;
  checksum: string;
}

/** Canonical JSON: keys sorted, so the checksum does not depend on how the object was built. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function manifestChecksum(m: Omit<Manifest, 'checksum'> | Manifest): string {
  const { checksum: _drop, ...rest } = m as Manifest;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export function sealManifest(m: Omit<Manifest, 'checksum'>): Manifest {
  return { ...m, checksum: manifestChecksum(m) };
}

/** Parses and checks a manifest; MANIFEST_INVALID when it is not whole. */
export function parseManifest(text: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new AppError('MANIFEST_INVALID', "The unit's manifest is not readable: the unit cannot be trusted as it is.");
  }
  if (m?.format !== 'roundtrip-manifest' || m.version !== 1) throw new AppError('MANIFEST_INVALID', 'This is not a RoundTrip manifest this version understands.');
  if (manifestChecksum(m) !== m.checksum) {
    throw new AppError('MANIFEST_INVALID', "The unit's manifest was changed or damaged after it was written (its checksum does not match).", {
      hint: 'Do not merge this unit; verify it against the source or sync it again.',
    });
  }
  return m;
}

export async function writeManifest(metaPartition: string, m: Manifest): Promise<void> {
  await withMounted(metaPartition, false, (dir) => {
    const tmp = join(dir, MANIFEST_FILE + '.tmp');
    writeFileSync(tmp, JSON.stringify(m, null, 2) + '\n');
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(dir, MANIFEST_FILE));
  });
}

export async function readManifestText(metaPartition: string): Promise<string | null> {
  return withMounted(metaPartition, true, (dir) => (existsSync(join(dir, MANIFEST_FILE)) ? readFileSync(join(dir, MANIFEST_FILE), 'utf8') : null));
}
