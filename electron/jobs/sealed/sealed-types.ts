// The shapes of a sealed sync (docs/sealed-units.md): its request and result and its journal's
// records. The request carries the unit passphrase in memory only; no record holds it or the key.
import type { Manifest, SealedPointFile } from '../manifest.ts';
import type { GuardRecord } from '../zfs/guards.ts';
import type { PointRecord, ZfsSyncOptions, ZfsSyncRequest, ZfsSyncSystem } from '../zfs/sync-types.ts';

export interface SealedSyncRequest extends ZfsSyncRequest {
  /** Wraps the unit's data key (a new run) or opens it again (a resume). Never journaled. */
  unitPassphrase: string;
}

export interface SealedSyncResult {
  jobId: string;
  resumed: boolean;
  unitId: string;
  keyId: string;
  bytes: number;
  sealedBytes: number;
  pointsSent: number;
  pointsSkipped: number;
  systems: Array<{ system: string; drive: number; points: number; bytesSent: number }>;
  /** The public manifest (no system names); the whole one is sealed on the unit. */
  manifest: Manifest;
  ejected: boolean;
  tookMs: number;
}

export type SealedDrive = { index: number; device: string; serial: string | null; metaPartition: string; dataPartition: string; sizeBytes: number };

/** The unit: its drives, and which drive each system's streams go to (kept for a resume). */
export type SealedTargetRecord = { type: 'sealed-target'; unitId: string; keyId: string; drives: SealedDrive[]; placement: Record<string, number> };

/** A proven point: its stream's measure, and the sealed file that holds it. */
export type SealedPointRecord = PointRecord & { sealed: SealedPointFile };

export type SealedJournalRecord =
  | { type: 'job'; jobId: string; ticketId: string; devices: string[]; systems: ZfsSyncSystem[]; direction: string; source: { host: string; root: string }; applianceSerial: string | null; startedAt: string }
  | SealedTargetRecord
  | GuardRecord
  | SealedPointRecord
  | { type: 'resumed' }
  | { type: 'manifest'; checksum: string }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string; step?: string }
  | { type: 'cancelled'; step?: string };

export type SealedSyncOptions = ZfsSyncOptions;
