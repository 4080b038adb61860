// The shapes of a ZFS sync onto a unit: its request and result, the journal's records, its hooks.
import type { Manifest } from '../manifest.ts';
import type { ProgressSnapshot } from '../progress.ts';
import type { GuardRecord } from './guards.ts';

export interface ZfsSyncSystem {
  system: string;
  kind: 'agent' | 'share';
  encrypted: boolean;
  sourceDataset: string;
  /** The lock (common point): sent in full first so the unit can take the increments; null = no common point. */
  base: string | null;
  /** Points after the base, oldest first. */
  points: string[];
  /** Estimated stream bytes, for progress and the space check. */
  estimatedBytes?: number;
}

export interface ZfsSyncRequest {
  ticketId: string;
  applianceSerial: string | null;
  direction: 'forward' | 'reverse';
  source: { host: string; root: string };
  devices: string[];
  systems: ZfsSyncSystem[];
  resume?: boolean;
  /** Export the pool at the end so the drives can be unplugged (default true). */
  eject?: boolean;
  jobId?: string;
  actor?: string;
}

export interface ZfsSyncResult {
  jobId: string;
  resumed: boolean;
  pool: string;
  unitId: string;
  bytes: number;
  pointsSent: number;
  pointsSkipped: number;
  systems: Array<{ system: string; points: number; bytesSent: number }>;
  manifest: Manifest;
  ejected: boolean;
  tookMs: number;
}

export type TargetRecord = { type: 'target'; pool: string; unitId: string; poolGuid: string | null; drives: Array<{ device: string; serial: string | null; metaPartition: string; dataPartition: string; sizeBytes: number }> };
export type PointRecord = {
  type: 'point';
  system: string;
  point: string;
  guid: string;
  time: number;
  from: string | null;
  bytes: number;
  sha256: string;
  records: { head: string; tail: string };
};
export type SyncJournalRecord =
  | { type: 'job'; jobId: string; ticketId: string; devices: string[]; systems: ZfsSyncSystem[]; direction: string; source: { host: string; root: string }; applianceSerial: string | null; startedAt: string }
  | TargetRecord
  | GuardRecord
  | PointRecord
  | { type: 'resumed' }
  | { type: 'manifest'; checksum: string }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string; step?: string }
  | { type: 'cancelled'; step?: string };

/** Test and UI hooks between steps; they run inside the job, so a throw fails it like any step. */
export interface ZfsSyncHooks {
  afterTarget?: (pool: string) => void | Promise<void>;
  afterPoint?: (system: string, point: string, sent: number) => void | Promise<void>;
}

export interface ZfsSyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  hooks?: ZfsSyncHooks;
}
