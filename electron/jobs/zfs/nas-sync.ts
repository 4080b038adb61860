// The ZFS sync job into a NAS unit over ssh (R3: above 8 TB, ZFS only). The same steps, journal,
// job lock, guards and proofs as the USB pipeline (sync.ts), with the unit a dataset on the NAS:
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest
// The unit is `POOL/rt_<ticket>` on the NAS (user properties roundtrip:unit=yes, roundtrip:ticket,
// roundtrip:unit-id); each system is `POOL/rt_<ticket>/SYSTEM`. Every point is received through
// `ssh NAS zfs receive`, measured on the way (StreamDigest), proven by its GUID on the NAS and
// journaled before the next starts, so a killed job resumes at the first unproven point. The sealed
// manifest is a file `.roundtrip-manifest.json` in the unit dataset's mountpoint on the NAS (and its
// checksum the property roundtrip:manifest-sha256), so any bench reads it over ssh without our database.
// The steps are in nas-sync-steps.ts, the shapes in nas-sync-types.ts, the unit's reads in nas-unit.ts.
import { AppError, toAppError } from '../../api/errors.ts';
import { logLine } from '../../system/log.ts';
import { recordBenchRate } from '../bench-rate.ts';
import { Journal } from '../journal.ts';
import { withJobRun, type JobRun } from '../job-run.ts';
import { runSteps } from '../job-steps.ts';
import { NAS_SYNC, NAS_SYNC_STEPS, nasHint, nasSyncState } from './nas-sync-steps.ts';
import type { NasSyncJournalRecord, NasTargetRecord, ZfsNasSyncOptions, ZfsNasSyncRequest, ZfsNasSyncResult } from './nas-sync-types.ts';
import { syncJobId } from './sync.ts';

// The sync's callers reach the unit's dataset and manifest through it as well.
export { nasUnitDataset, readNasManifest } from './nas-unit.ts';
export { NAS_SYNC_STEPS };
export type { NasSyncJournalRecord, NasTargetRecord, ZfsNasSyncOptions, ZfsNasSyncRequest, ZfsNasSyncResult } from './nas-sync-types.ts';

/** The NAS target of an interrupted sync of this ticket on this bench, if its journal has one. */
export function nasTargetOf(ticketId: string): NasTargetRecord | null {
  const j = new Journal<NasSyncJournalRecord>(syncJobId(ticketId));
  if (!j.exists()) return null;
  return j.read().find((r): r is NasTargetRecord => r.type === 'nas-target') ?? null;
}

export async function runZfsNasSync(req: ZfsNasSyncRequest, opts: ZfsNasSyncOptions = {}): Promise<ZfsNasSyncResult> {
  const started = Date.now();
  const jobId = req.jobId ?? syncJobId(req.ticketId);
  // R9: a new run erases what an earlier run wrote; its journal is set aside.
  return withJobRun<NasSyncJournalRecord, ZfsNasSyncResult>(
    { jobId, what: `The sync of ticket ${req.ticketId}`, steps: NAS_SYNC_STEPS, setAsideJournal: !req.resume, onProgress: opts.onProgress },
    (run) => runLocked(req, jobId, started, opts, run),
  );
}

async function runLocked(req: ZfsNasSyncRequest, jobId: string, started: number, opts: ZfsNasSyncOptions, run: JobRun<NasSyncJournalRecord>): Promise<ZfsNasSyncResult> {
  const s = nasSyncState(req, jobId, started, opts, run);
  run.meter.setTotal(s.total);
  try {
    await runSteps(NAS_SYNC, s, run);
    const nas = s.nas!;
    const target = s.target!;
    recordBenchRate(s.bytes, Date.now() - s.sendStarted);
    logLine('job', { jobId, op: 'zfs nas sync done', nas: nas.host, dataset: target.dataset, bytes: s.bytes, sent: s.sent, skipped: s.skipped });
    return {
      jobId,
      resumed: s.resumed,
      nas: { host: nas.host, port: nas.port ?? 22, hostname: target.hostname },
      pool: target.pool,
      dataset: target.dataset,
      unitId: target.unitId,
      bytes: s.bytes,
      pointsSent: s.sent,
      pointsSkipped: s.skipped,
      systems: s.perSystem,
      manifest: s.manifest!,
      manifestPath: s.manifestPath!,
      tookMs: Date.now() - started,
    };
  } catch (e) {
    const err = toAppError(e);
    // A NAS unit's own hint where it has one (the connection, the remote pool), then as every job ends.
    throw new AppError(err.code, err.message, { detail: err.detail, hint: nasHint(err.code) ?? err.hint, data: err.data, step: err.step ?? run.step });
  }
}
