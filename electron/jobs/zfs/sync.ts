// The ZFS sync job: a plan's points onto a unit, as named steps with a durable journal.
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest → eject
// Every finished point is proven on the unit (same GUID) and journaled before the next starts,
// so a killed job resumes at the first unproven point and never sends a proven one again.
// Nothing on the source is changed: no rollback, destroy or property; the lock point gets a hold
// (where the probe allows it) so retention cannot remove it while the unit is in transit.
// The steps are in sync-steps.ts, the shapes (request, result, journal records) in sync-types.ts.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { toAppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { logLine } from '../../system/log.ts';
import { exportPool } from '../../system/zfs/index.ts';
import { withJobRun, type JobRun } from '../job-run.ts';
import { runSteps } from '../job-steps.ts';
import { recordBenchRate } from '../bench-rate.ts';
import { namePulledDrive } from '../drive-watch.ts';
import type { SyncJournalRecord, ZfsSyncOptions, ZfsSyncRequest, ZfsSyncResult } from './sync-types.ts';
import { ZFS_SYNC, ZFS_SYNC_STEPS, zfsSyncState } from './sync-steps.ts';

export function syncJobId(ticketId: string): string {
  return `sync-${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export type { ZfsSyncSystem, ZfsSyncRequest, ZfsSyncResult, TargetRecord, PointRecord, SyncJournalRecord, ZfsSyncHooks, ZfsSyncOptions } from './sync-types.ts';
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
    const err = namePulledDrive(toAppError(e), state.devices, run.step);
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
