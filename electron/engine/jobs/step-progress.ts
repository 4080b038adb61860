// Progress for work that counts steps rather than bytes (a format, a verify that does not report
// bytes): a snapshot with the step named and no bytes, the percent from steps done.
import type { ProgressSnapshot } from '../../jobs/progress.ts';

export function stepSnapshot(jobId: string, started: number, step: string, item: string | undefined, done: number, total: number): ProgressSnapshot {
  return {
    jobId,
    step,
    ...(item ? { item } : {}),
    bytesDone: 0,
    bytesTotal: 0,
    itemBytesDone: 0,
    itemBytesTotal: 0,
    rate: 0,
    averageRate: 0,
    etaSeconds: null,
    percent: total > 0 ? Math.min(100, (done * 100) / total) : 0,
    elapsedMs: Date.now() - started,
    at: Date.now(),
  };
}
