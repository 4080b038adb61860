// Finding a unit from one of its drives: its partitions, its metadata and its manifest, read from
// the drive alone (no database), so any bench can inspect, verify and merge it.
import { AppError } from '../api/errors.ts';
import { readLsblk } from '../drives/lsblk.ts';
import { readUnitMetadata, type UnitMetadata } from '../drives/metadata.ts';
import { importPool, poolExists } from '../system/zfs/index.ts';
import { parseManifest, readManifestText, type Manifest } from './manifest.ts';

export interface UnitOnDrive {
  device: string;
  metaPartition: string;
  dataPartition: string;
  metadata: UnitMetadata;
  /** Null when no sync finished writing one (a formatted but empty or interrupted unit). */
  manifest: Manifest | null;
}

export async function unitPartitions(device: string): Promise<{ meta: string; data: string }> {
  const [node] = await readLsblk([device]);
  if (!node) throw new AppError('DRIVE_NOT_FOUND', `There is no drive at ${device}.`);
  const parts = node.children.filter((c) => c.type === 'part').sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  if (parts.length < 2) {
    throw new AppError('MANIFEST_INVALID', `${device} is not a RoundTrip unit: it does not have the metadata and data partitions a unit has.`);
  }
  return { meta: parts[0].path, data: parts[1].path };
}

export async function openUnit(device: string): Promise<UnitOnDrive> {
  const { meta, data } = await unitPartitions(device);
  let metadata: UnitMetadata;
  try {
    metadata = await readUnitMetadata(meta);
  } catch (e) {
    throw new AppError('MANIFEST_INVALID', `${device} is not a RoundTrip unit: its metadata partition holds no readable metadata.json.`, { detail: String((e as Error)?.message ?? e) });
  }
  const text = await readManifestText(meta);
  return { device, metaPartition: meta, dataPartition: data, metadata, manifest: text === null ? null : parseManifest(text) };
}

/** Imports the unit's pool when it is not imported; says whether it did, so callers can put it back. */
export async function ensureUnitPool(pool: string): Promise<boolean> {
  if (await poolExists(pool)) return false;
  await importPool(pool, { dirs: ['/dev'] });
  return true;
}
