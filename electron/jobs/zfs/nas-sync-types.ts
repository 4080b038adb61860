// The shapes of a ZFS sync into a NAS unit: its request and result, the journal's records, its hooks.
import type { NasHost } from '../../drives/nas.ts';
import type { Manifest } from '../manifest.ts';
import type { ProgressSnapshot } from '../progress.ts';
import type { SyncJournalRecord, ZfsSyncRequest } from './sync-types.ts';

export interface ZfsNasSyncRequest extends Omit<ZfsSyncRequest, 'devices' | 'eject'> {
  /** Required for a new run; a resume takes the journal's address unless one is given. */
  nas?: NasHost;
  /** The NAS pool the unit dataset goes into (new runs). */
  nasPool?: string;
}

export interface ZfsNasSyncResult {
  jobId: string;
  resumed: boolean;
  nas: { host: string; port: number; hostname: string | null };
  pool: string;
  dataset: string;
  unitId: string;
  bytes: number;
  pointsSent: number;
  pointsSkipped: number;
  systems: Array<{ system: string; points: number; bytesSent: number }>;
  manifest: Manifest;
  manifestPath: string;
  tookMs: number;
}

export type NasTargetRecord = {
  type: 'nas-target';
  nas: NasHost;
  pool: string;
  dataset: string;
  unitId: string;
  poolGuid: string | null;
  hostname: string | null;
};
export type NasSyncJournalRecord = Exclude<SyncJournalRecord, { type: 'target' }> | NasTargetRecord;

export interface ZfsNasSyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  hooks?: {
    afterTarget?: (dataset: string) => void | Promise<void>;
    afterPoint?: (system: string, point: string, sent: number) => void | Promise<void>;
  };
}
