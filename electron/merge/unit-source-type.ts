// What a merge (and a passphrase check) reads "the unit" through, whichever kind it is: a ZFS unit
// on drives, a sealed unit on drives, or a NAS unit (unit-source.ts opens the right one).
import type { Readable } from 'node:stream';
import type { Manifest, ManifestSystem } from '../jobs/manifest.ts';
import type { VerifyReport } from '../jobs/zfs/verify.ts';

export interface UnitSource {
  kind: 'drive' | 'nas';
  /** How the technician names the unit: the device, or `DATASET on HOST:PORT`. */
  label: string;
  manifest: Manifest;
  /** The unit's pool when it is imported on this bench (a destination must not be it); null for a NAS. */
  localPool: string | null;
  /** Drives to watch for the whole merge (a pulled drive stops it); none for a NAS. */
  disks: string[];
  /** The system's dataset on the unit (a renamed NAS unit is read where it is now). */
  unitPath(s: ManifestSystem): string;
  /** The unit against its manifest alone (GUID + content digest of every point). */
  verify(signal?: AbortSignal): Promise<VerifyReport>;
  /** `zfs send [-i from] point` of one point, its stream here. */
  send(s: ManifestSystem, point: string, from: string | null, signal?: AbortSignal): Promise<{ stdout: Readable; done: Promise<void> }>;
  /** The text of an agent's key record in its newest point on the unit; null when it is not there. */
  keyRecord(s: ManifestSystem): Promise<string | null>;
  /** Systems on the unit that cannot be read here, each with why (a sealed unit's drive not attached). */
  absent?: Record<string, string>;
  close(): Promise<void>;
}
