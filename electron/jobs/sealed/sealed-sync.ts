// The sealed sync job (docs/sealed-units.md): a plan's points onto a unit as sealed stream files,
// with the same job lock, journal, drive watch and resume as the ZFS sync (zfs/sync.ts). The steps
// are in sealed-steps.ts. The data key is zeroed and the unit's filesystems unmounted however the
// job ends; a killed job's mounts are released by the leftovers record at the next start.
import { toAppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { logLine } from '../../system/log.ts';
import { recordBenchRate } from '../bench-rate.ts';
import { withJobRun } from '../job-run.ts';
import { cleanupLeftovers } from '../files/leftovers.ts';
import { runSteps } from '../job-steps.ts';
import { namePulledDrive } from '../drive-watch.ts';
import { syncJobId } from '../zfs/sync.ts';
import { SEALED_SYNC, SEALED_SYNC_STEPS, sealedSyncState } from './sealed-steps.ts';
import type { SealedJournalRecord, SealedSyncOptions, SealedSyncRequest, SealedSyncResult } from './sealed-types.ts';

export { SEALED_SYNC_STEPS };
export type { SealedSyncRequest, SealedSyncResult } from './sealed-types.ts';

export async function runSealedSync(req: SealedSyncRequest, opts: SealedSyncOptions = {}): Promise<SealedSyncResult> {
  const started = Date.now();
  const jobId = req.jobId ?? syncJobId(req.ticketId);
  return withJobRun<SealedJournalRecord, SealedSyncResult>(
    {
      jobId,
      what: `The sealed sync of ticket ${req.ticketId}`,
      steps: SEALED_SYNC_STEPS,
      setAsideJournal: !req.resume,
      onProgress: opts.onProgress,
      // What a killed run left mounted goes first: its drives are about to be erased or mounted again.
      before: async () => {
        await cleanupLeftovers();
      },
    },
    async (run) => {
      const state = sealedSyncState(req, jobId, started, opts, run);
      run.meter.setTotal(state.systems.reduce((n, x) => n + (x.estimatedBytes ?? 0), 0));
      claimDrives(state.devices, jobId);
      try {
        await runSteps(SEALED_SYNC, state, run);
        recordBenchRate(state.bytes, Date.now() - state.sendStarted);
        logLine('job', { jobId, op: 'sealed sync done', bytes: state.bytes, sent: state.sent, skipped: state.skipped });
        return {
          jobId,
          resumed: state.resumed,
          unitId: state.target!.unitId,
          keyId: state.target!.keyId,
          bytes: state.bytes,
          sealedBytes: state.proven.reduce((n, p) => n + p.sealed.sealedBytes, 0),
          pointsSent: state.sent,
          pointsSkipped: state.skipped,
          systems: state.perSystem,
          manifest: state.manifest!,
          ejected: state.ejected,
          tookMs: Date.now() - started,
        };
      } catch (e) {
        throw namePulledDrive(toAppError(e), state.devices, run.step);
      } finally {
        state.watch?.stop();
        await state.mounted?.close().catch(() => {});
        state.dataKey?.fill(0);
        releaseDrives(state.devices, jobId);
      }
    },
  );
}
