// How every job ends badly: the error carries the step it happened in, and the journal says
// whether it was cancelled or failed (so resume and the UI know), written best-effort because the
// journal's own disk may be what failed.
import { AppError, toAppError } from '../api/errors.ts';

export type JobEndRecord = { type: 'failed'; code: string; message: string; step?: string } | { type: 'cancelled'; step?: string };

/** The error as an AppError that names a step: its own, else `step`. */
export function withStep(e: unknown, step: string): AppError {
  const err = toAppError(e);
  return err.step ? err : new AppError(err.code, err.message, { detail: err.detail, hint: err.hint, data: err.data, step });
}

export function recordJobFailure(journal: { append(r: JobEndRecord): void }, e: unknown, step: string): AppError {
  const err = withStep(e, step);
  try {
    if (err.code === 'CANCELLED') journal.append({ type: 'cancelled', step: err.step });
    else journal.append({ type: 'failed', code: err.code, message: err.message, step: err.step });
  } catch {
    /* the journal's disk may be what failed */
  }
  return err;
}
