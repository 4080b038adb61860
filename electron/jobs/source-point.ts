// A point a running sync is about to send or copy, looked up among the source's points as read at
// the start of the system: retention (or a technician) may have removed it since the plan.
import { AppError } from '../api/errors.ts';

export function pointStillOnSource<T>(snaps: ReadonlyMap<string, T>, system: string, point: string, step: string): T {
  const snap = snaps.get(point);
  if (snap) return snap;
  throw new AppError('SOURCE_POINT_GONE', `Point ${point} of ${system} no longer exists on the source (retention may have removed it during the sync).`, {
    step,
    hint: 'Plan the ticket again and run a new sync. Nothing on the source was changed.',
    data: { system, point },
  });
}
