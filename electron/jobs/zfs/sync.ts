// The ZFS sync job: a plan's points onto a unit, as named steps with a durable journal.
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest → eject
// Every finished point is proven on the unit (same GUID) and journaled before the next starts,
// so a killed job resumes at the first unproven point and never sends a proven one again.
// Nothing on the source is changed: no rollback, destroy or property; the lock point gets a hold
// (where the probe allows it) so retention cannot remove it while the unit is in transit.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AppError, toAppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { logLine } from '../../system/log.ts';
import { exportPool } from '../../system/zfs/index.ts';
import { withJobRun, type JobRun } from '../job-run.ts';
import { runSteps } from '../job-steps.ts';
import { recordBenchRate } from '../bench-rate.ts';
import type { Manifest } from '../manifest.ts';
import type { ProgressSnapshot } from '../progress.ts';
import { hintFor } from './send-point.ts';
import type { GuardRecord } from './guards.ts';
import { stillAttached } from '../../drives/sysfs.ts';
import { ZFS_SYNC, ZFS_SYNC_STEPS, zfsSyncState } from './sync-steps.ts';

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

type TargetRecord = { type: 'target'; pool: string; unitId: string; poolGuid: string | null; drives: Array<{ device: string; serial: string | null; metaPartition: string; dataPartition: string; sizeBytes: number }> };
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

export function syncJobId(ticketId: string): string {
  return `sync-${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

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

export { manifestSystems } from './sync-steps.ts';
export { ZFS_SYNC_STEPS };

export async function runZfsSync(req: ZfsSyncRequest, opts: ZfsSyncOptions = {}): Promise<ZfsSyncResult> {
  const started = Date.now();
  const jobId = req.jobId ?? syncJobId(req.ticketId);
  // R9: a new run on the same ticket erases what an earlier run wrote; its journal is set aside.
  return withJobRun<SyncJournalRecord, ZfsSyncResult>(
    { jobId, what: `The sync of ticket ${req.ticketId}`, steps: ZFS_SYNC_STEPS, setAsideJournal: !req.resume, onProgress: opts.onProgress },
    (run) => runLockedZfsSync(req, jobId, started, opts, run),
  );
}

async function runLockedZfsSync(req: ZfsSyncRequest, jobId: string, started: number, opts: ZfsSyncOptions, run: JobRun<SyncJournalRecord>): Promise<ZfsSyncResult> {
  const state = zfsSyncState(req, jobId, started, opts, run);
  run.meter.setTotal(req.systems.reduce((s, x) => s + (x.estimatedBytes ?? 0), 0));
  claimDrives(state.devices, jobId);
  try {
    await runSteps(ZFS_SYNC, state, run);
    recordBenchRate(state.bytes, Date.now() - state.sendStarted);
    logLine('job', { jobId, op: 'zfs sync done', pool: state.pool, bytes: state.bytes, sent: state.sent, skipped: state.skipped });
    return {
      jobId,
      resumed: state.resumed,
      pool: state.pool!,
      unitId: state.target!.unitId,
      bytes: state.bytes,
      pointsSent: state.sent,
      pointsSkipped: state.skipped,
      systems: state.perSystem,
      manifest: state.manifest!,
      ejected: state.ejected,
      tookMs: Date.now() - started,
    };
  } catch (e) {
    let err = toAppError(e);
    // A pulled drive shows up as whatever ZFS or the pipe says first (a damaged stream, an I/O
    // error); what the technician must hear is that the drive is gone.
    const gone = err.code !== 'CANCELLED' ? state.devices.filter((d) => !stillAttached(d)) : [];
    if (gone.length && err.code !== 'TARGET_GONE' && err.code !== 'DRIVE_GONE') {
      err = new AppError('TARGET_GONE', `The unit's drive ${gone.join(', ')} is no longer attached.`, { detail: `${err.code}: ${err.message}\n${err.detail ?? ''}`, hint: hintFor('TARGET_GONE'), step: err.step ?? run.step });
    }
    // A cancelled sync leaves its unit exported, nothing of it mounted: the drive may be unplugged,
    // and a resume imports it again. Best effort: the cancel is what the technician must hear.
    if (err.code === 'CANCELLED' && state.pool) await exportPool(state.pool).catch(() => {});
    throw err;
  } finally {
    state.watch?.stop();
    releaseDrives(state.devices, jobId);
  }
}

export function newJobId(): string {
  return randomUUID();
}

export { existsSync };
