// R9 around a sync: the appliance's own local backups pause before the sync's work and resume
// after it ends in every way (done, failed, cancelled). The technician may choose otherwise; a bench
// with no commands configured says so. A failed pause stops the sync before anything is erased; a
// failed resume is said loudly but does not turn a good sync into a failure. Several syncs may run
// at once: the backups resume when the last one holding them paused ends.
import { AppError } from '../../api/errors.ts';
import type { LocalBackupsRecord } from '../../api/schemas/jobs.ts';
import { logLine } from '../../system/log.ts';
import { getTicketSettings } from '../../tickets/settings.ts';
import { commandText, localBackupsPlanSentence } from '../../tickets/model/local-backups-text.ts';
import { withLocalBackupsLock } from './bench-lock.ts';
import { endMarker, heldMarkers, readMarker, writeHeldMarker, type LocalBackupsMarker } from './markers.ts';
import { recovered } from './recovering.ts';
import { resumeAll } from './resume-all.ts';
import { runLocalBackupsCommand } from './run-command.ts';

export interface LocalBackupsJob {
  jobId: string;
  /** The technician's choice (R9's default: true). */
  pause: boolean;
  log(line: string): void;
  record(r: LocalBackupsRecord): void;
}

/** Ends the hold: resumes the local backups unless another sync still needs them paused. */
export type LocalBackupsRelease = () => Promise<void>;

/** Pauses the local backups for a sync; throws LOCAL_BACKUPS_PAUSE_FAILED (after resuming them) when the pause fails. */
export async function pauseLocalBackupsFor(job: LocalBackupsJob): Promise<LocalBackupsRelease> {
  const commands = getTicketSettings().localBackups;
  const say = (state: LocalBackupsRecord['state'], sentence: string) => {
    job.log(sentence);
    job.record({ chosen: job.pause, state, sentence, at: new Date().toISOString() });
  };
  if (!job.pause || !commands) {
    say(commands ? 'not-chosen' : 'not-configured', localBackupsPlanSentence(commands, job.pause));
    return async () => {};
  }
  await recovered();
  const failed = await withLocalBackupsLock(async () => {
    // The marker first: an engine killed while the pause runs leaves the next one its resume.
    writeHeldMarker(job.jobId, commands.resume);
    job.log(`Pausing the appliance's local backups: ${commandText(commands.pause)}`);
    const r = await runLocalBackupsCommand('pause', commands.pause);
    if (r.ok) {
      say('paused', `The appliance's local backups are paused (${r.command}); they resume when the sync ends.`);
      return null;
    }
    return r.why ?? 'it failed';
  });
  if (failed === null) return () => release(job, commands.resume);
  // A pause that failed half-way may have paused some of them: the resume runs all the same.
  await release(job, commands.resume);
  const sentence = `The pause command failed (${failed}), so the sync did not start and nothing was erased. Check the pause command in the bench's settings, or start the sync without pausing local backups.`;
  logLine('error', { job: job.jobId, op: 'pause local backups', failed });
  say('pause-failed', sentence);
  throw new AppError('LOCAL_BACKUPS_PAUSE_FAILED', sentence, { data: { jobId: job.jobId } });
}

async function release(job: LocalBackupsJob, resume: string[]): Promise<void> {
  await withLocalBackupsLock(async () => {
    // Ours is ended before the others are looked at: two syncs ending at once cannot both leave the
    // resume to the other.
    const own: LocalBackupsMarker = readMarker(job.jobId) ?? { jobId: job.jobId, state: 'held', resume, pid: process.pid, pidStart: null, at: new Date().toISOString() };
    if (own.state === 'held') endMarker(own, 'the sync ended');
    const { alive, orphaned } = heldMarkers();
    const other = alive.find((m) => m.jobId !== job.jobId);
    if (other) {
      const sentence = `The appliance's local backups stay paused: job ${other.jobId} still runs a sync with them paused, and they resume when it ends.`;
      job.log(sentence);
      job.record({ chosen: job.pause, state: 'left-to-other-sync', sentence, at: new Date().toISOString() });
      return;
    }
    const outcome = await resumeAll([own, ...orphaned], `the sync of job ${job.jobId} ended`);
    job.log(outcome.sentence);
    job.record({ chosen: job.pause, state: outcome.ok ? 'resumed' : 'resume-failed', sentence: outcome.sentence, at: new Date().toISOString() });
  });
}
