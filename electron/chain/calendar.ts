// Calendar buckets for retention: the day, ISO week (Monday first) and month a point falls in.
// Integer arithmetic instead of Date objects, because the lab and the retention preview bucket
// every point on every simulated day. Days are counted in UTC shifted by a fixed offset (the
// appliance's zone, when the caller knows it).
import { DAY_SECONDS } from './points.ts';

export function dayNumber(epochSeconds: number, utcOffsetSeconds = 0): number {
  return Math.floor((epochSeconds + utcOffsetSeconds) / DAY_SECONDS);
}

/** ISO weeks start on Monday; 1970-01-01 was a Thursday, so day 4 (1970-01-05) starts week 1. */
export function weekNumber(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** year * 12 + month (0-based) of a day number; Howard Hinnant's civil_from_days. */
export function monthNumber(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9; // 1..12
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + (month - 1);
}
