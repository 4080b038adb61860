// R8: until the bench has measured a real rate, a sync is estimated at the wizard's average of
// 15 MB/s (decimal megabytes, 120 Mbit/s).
import { AppError } from '../api/errors.ts';
import { MB } from './units.ts';

export const DEFAULT_RATE_BYTES_PER_SEC = 15 * MB;

/** Whole seconds to write `bytes`, at the measured rate when there is one. */
export function estimateSeconds(bytes: number, measuredBytesPerSec?: number | null): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new AppError('BAD_INPUT', 'The size to estimate a time for must be a number of bytes.');
  const rate = measuredBytesPerSec ?? DEFAULT_RATE_BYTES_PER_SEC;
  if (!Number.isFinite(rate) || rate <= 0) throw new AppError('BAD_INPUT', 'The measured rate must be a positive number of bytes per second.');
  return Math.ceil(bytes / rate);
}

/** "3 h 42 min" for a plan's summary. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  const d = Math.floor(h / 24);
  const rh = h % 24;
  return rh ? `${d} d ${rh} h` : `${d} d`;
}
