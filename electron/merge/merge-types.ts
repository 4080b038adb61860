// The shapes of a merge-back: its request and result, each system's plan and outcome, the journal's records.
import type { NasHost } from '../drives/nas.ts';
import type { ManifestPoint, ManifestSystem } from '../jobs/manifest.ts';
import type { PlanPoint, SystemMergePlan } from './merge-plan.ts';

export interface MergeRequest {
  /** The unit: its drive, or `nas` + `nasDataset` (exactly one of the two). */
  device?: string;
  /** A NAS unit: the host it is on and its dataset POOL/rt_TICKET there. */
  nas?: NasHost;
  nasDataset?: string;
  /** A sealed unit's passphrase (memory only): nothing is read from such a unit without it. */
  unitPassphrase?: string;
  /** Destination root: the systems land in INTO/SYSTEM. */
  into: string;
  /** Systems whose destination points newer than the common point may be discarded. */
  allowRollback?: string[];
  /** Only these systems (default: every system on the unit). */
  systems?: string[];
  actor?: string;
  /** Unlocks the encrypted agents after merging; in memory only. */
  passphrase?: string;
  jobId?: string;
}

export type SystemOutcome = 'merged' | 'new' | 'up-to-date' | 'refused' | 'failed';

export interface SystemMergeResult {
  system: string;
  dataset: string;
  outcome: SystemOutcome;
  /** Error code for refused and failed systems. */
  code?: string;
  message: string;
  hint?: string;
  common: PlanPoint | null;
  received: Array<{ name: string; guid: string }>;
  /** Destination points discarded by an allowed rollback. */
  rolledBack: PlanPoint[];
  /** Destination points that made a system refused. */
  newer: PlanPoint[];
  encrypted: boolean;
  agentState?: 'locked' | 'unlocked';
  /** Failed systems: whether the destination was put back exactly as it was. */
  restored?: boolean;
}

export interface MergeResult {
  ok: boolean;
  jobId: string;
  /** The unit as named to the technician: the device, or `DATASET on HOST:PORT` for a NAS unit. */
  device: string;
  /** A NAS unit: its dataset on the NAS. */
  nasDataset?: string;
  ticketId: string;
  unitId: string;
  destination: string;
  verified: { pointsChecked: number };
  systems: SystemMergeResult[];
  ticket: { advanced: boolean; note?: string };
  tookMs: number;
}

export interface MergeHooks {
  /** Runs after each point lands; a throw fails that system like any step (tests use it). */
  afterPoint?: (system: string, point: string) => void | Promise<void>;
}

export type MergeJournalRecord =
  | { type: 'job'; device: string; into: string; ticketId: string; unitId: string; allowRollback: string[] }
  | { type: 'plan'; system: string; kind: string; common: string | null; receive: number; newer: number }
  | { type: 'saved'; system: string; file: string; bytes: number }
  | { type: 'rollback'; system: string; to: string; discarded: string[] }
  | { type: 'point'; system: string; point: string; guid: string; bytes: number }
  | { type: 'system'; system: string; outcome: SystemOutcome; code?: string; restored?: boolean }
  | { type: 'done'; ok: boolean }
  | { type: 'failed'; code: string; message: string; step?: string };

export interface PlannedSystem {
  system: ManifestSystem;
  dataset: string;
  plan: SystemMergePlan<ManifestPoint>;
  bytes: number;
}
