// The CLI's way into the engine: the same dispatch every host uses, in process. A verb builds one
// request, calls it, and prints; a long operation is a job whose events the verb follows.
import { fromSerialized } from '../api/errors.ts';
import type { MethodName, MethodParams, MethodResult } from '../api/contract.ts';
import type { JobSpecInput, JobView } from '../api/schemas/jobs.ts';
import { dispatch } from '../engine/dispatch.ts';
import { subscribe } from '../engine/events.ts';
import type { ProgressSnapshot } from '../jobs/progress.ts';

let nextId = 1;

export async function call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
  const res = await dispatch({ id: nextId++, method, params });
  if (!res.ok) throw fromSerialized(res.error);
  return res.result as MethodResult<M>;
}

export interface FollowOptions {
  onProgress?: (p: ProgressSnapshot) => void;
  onLog?: (line: string) => void;
  /** The job as it started (its id, its steps). */
  onStart?: (job: JobView) => void;
  /** Ctrl+C and SIGTERM cancel the job through the engine instead of killing it mid-write. */
  cancelOnSignals?: boolean;
}

/** Starts a job and follows it to its end: its result, or its error thrown as an AppError. */
export async function runJob<T = unknown>(spec: JobSpecInput, opts: FollowOptions = {}): Promise<T> {
  let jobId: string | null = null;
  let settle: (v: JobView) => void = () => {};
  const ended = new Promise<JobView>((r) => (settle = r));
  // Subscribed before the start, so no event of this job is missed.
  const unsubscribe = subscribe((e) => {
    if (e.event === 'job.progress' && e.data.jobId === jobId) opts.onProgress?.(e.data);
    else if (e.event === 'job.log' && e.data.jobId === jobId) opts.onLog?.(e.data.line);
    else if (e.event === 'job.state' && e.data.jobId === jobId && ['done', 'failed', 'cancelled'].includes(e.data.state)) settle(e.data.job);
  });
  const cancel = () => {
    if (jobId) void call('jobs.cancel', { jobId });
  };
  if (opts.cancelOnSignals !== false) {
    process.on('SIGINT', cancel);
    process.on('SIGTERM', cancel);
  }
  try {
    const job = await call('jobs.start', spec);
    jobId = job.id;
    opts.onStart?.(job);
    if (['done', 'failed', 'cancelled'].includes(job.state)) settle(job);
    const end = await ended;
    if (end.state !== 'done') throw fromSerialized(end.error ?? { code: 'INTERNAL', message: `The job ended ${end.state}.` });
    return end.result as T;
  } finally {
    unsubscribe();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}
