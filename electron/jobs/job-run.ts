// What every long pipeline (ZFS sync, NAS sync, file sync, merge-back) runs inside, written once:
// the job lock (one run per job at a time, claimed before anything else), the durable journal (a
// new run sets the last one's aside: R9, it erases what that one wrote), the progress meter, the
// named step the job is in, and the failure record (failed or cancelled, with the step) that
// resume and the UI read. A pipeline declares its steps as data (job-steps.ts runs them in turn);
// entering a step it did not declare is a bug, caught by the tests (and logged on a bench, where
// the job goes on).
import { AppError } from '../api/errors.ts';
import { logLine } from '../system/log.ts';
import { recordJobFailure, type JobEndRecord } from './job-end.ts';
import { lockJob } from './job-lock.ts';
import { Journal } from './journal.ts';
import { ProgressMeter, type ProgressSnapshot } from './progress.ts';
import { renameSync } from 'node:fs';

export interface JobRunOptions {
  jobId: string;
  /** The job as the subject of a sentence: "The sync of ticket 1000001". */
  what: string;
  /** The steps, in order; a step with an item is "NAME ITEM" ("send WIN-FS01"). */
  steps: readonly string[];
  /** Set the previous run's journal aside (a new run, not a resume). */
  setAsideJournal: boolean;
  onProgress?: (p: ProgressSnapshot) => void;
  /** Runs after the lock is held and before the journal is touched (checks that must not cost a resumable journal). */
  before?: () => Promise<void>;
}

export class JobRun<R extends { type: string }> {
  readonly journal: Journal<R | JobEndRecord>;
  readonly meter: ProgressMeter;
  private current: string;

  constructor(private readonly opts: JobRunOptions) {
    this.journal = new Journal<R | JobEndRecord>(opts.jobId);
    if (opts.setAsideJournal && this.journal.exists()) renameSync(this.journal.file, this.journal.file.replace(/\.jsonl$/, `.${Date.now()}.jsonl`));
    this.meter = new ProgressMeter(opts.jobId, 0);
    if (opts.onProgress) this.meter.on('progress', opts.onProgress);
    this.current = opts.steps[0];
  }

  /** The step the job is in now: failures name it. */
  get step(): string {
    return this.current;
  }

  /** Enters a declared step (with its item and the item's bytes, for progress). */
  enter(step: string, item?: string, itemBytes = 0): void {
    if (!this.opts.steps.some((s) => step === s || step.startsWith(`${s} `))) {
      const message = `${this.opts.what} entered a step it does not declare: "${step}".`;
      logLine('error', { job: this.opts.jobId, code: 'INTERNAL', message });
      if (process.env.ROUNDTRIP_TEST === '1') throw new AppError('INTERNAL', message);
    }
    this.current = step;
    this.meter.setStep(step, item, itemBytes);
  }

  /** The records of earlier runs of this job (a resume reads them). */
  records(): R[] {
    return this.journal.read() as R[];
  }

  append(record: R): void {
    this.journal.append(record);
  }
}

/** Runs `work` as the job: locked, journaled, metered, its failure recorded with the step it was in. */
export async function withJobRun<R extends { type: string }, T>(opts: JobRunOptions, work: (run: JobRun<R>) => Promise<T>): Promise<T> {
  const unlock = lockJob(opts.jobId, opts.what);
  try {
    await opts.before?.();
    const run = new JobRun<R>(opts);
    run.meter.start();
    run.meter.setStep(run.step);
    try {
      return await work(run);
    } catch (e) {
      throw recordJobFailure(run.journal, e, run.step);
    } finally {
      run.meter.stop();
    }
  } finally {
    unlock();
  }
}
