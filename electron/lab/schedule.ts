// When the lab's points were "taken": a simulated history per system, thinned the way the
// appliance's local retention and the cloud's offsite retention do it (R20), so the lab shows
// points that exist locally, offsite, or both.
import { applyRetention, OFFSITE_RETENTION_DEFAULT, type RetentionPolicy } from '../chain/retention.ts';
import type { LabSystemSpec } from './config.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * The lab appliance's local policy: long enough intra-daily history to hold 300+ points. Weekly
 * points are kept to day 70 so the kept chain spans 60+ days whatever today's date is (monthly
 * thinning keeps month ends, and where they fall depends on the calendar).
 */
export const LAB_LOCAL_POLICY: RetentionPolicy = { intraDailyToDailyAfterDays: 7, dailyToWeeklyAfterDays: 28, weeklyToMonthlyAfterDays: 70, keepDays: 90 };

export interface SystemSchedule {
  /** Every point the lab takes, oldest first (epoch seconds). */
  all: number[];
  /** The points that remain on the appliance. */
  local: Set<number>;
  /** The points that are offsite. */
  offsite: Set<number>;
}

function rawTimes(spec: LabSystemSpec, now: number): number[] {
  const out: number[] = [];
  const start = now - spec.days * DAY;
  if (spec.schedule === 'long-chain') {
    // Hourly backups, every 30 minutes in the last week.
    for (let t = start; t <= now; t += t >= now - 7 * DAY ? HOUR / 2 : HOUR) out.push(t);
  } else {
    // One backup a day at 22:00 and three intra-daily ones today.
    const dayStart = (t: number) => t - (t % DAY);
    for (let d = dayStart(start); d < dayStart(now); d += DAY) out.push(d + 22 * HOUR);
    for (const h of [3, 2, 1]) out.push(now - h * HOUR);
  }
  return out.filter((t) => t >= start && t <= now);
}

/** The cloud takes only the last point of each day (the default, per the retention article). */
function lastOfEachDay(times: number[]): number[] {
  const byDay = new Map<number, number>();
  for (const t of times) byDay.set(Math.floor(t / DAY), Math.max(byDay.get(Math.floor(t / DAY)) ?? 0, t));
  return [...byDay.values()].sort((a, b) => a - b);
}

export function scheduleFor(spec: LabSystemSpec, now: number): SystemSchedule {
  const raw = rawTimes(spec, now);
  const points = raw.map((t) => ({ name: String(t), time: t }));
  const localKept = applyRetention(points, LAB_LOCAL_POLICY, now).kept.map((p) => p.time);
  let offsite: number[] = [];
  if (spec.offsiteLagDays !== null) {
    const shipped = lastOfEachDay(raw.filter((t) => t <= now - spec.offsiteLagDays! * DAY));
    offsite = applyRetention(shipped.map((t) => ({ name: String(t), time: t })), OFFSITE_RETENTION_DEFAULT, now).kept.map((p) => p.time);
  }
  const all = [...new Set([...localKept, ...offsite])].sort((a, b) => a - b);
  return { all, local: new Set(localKept), offsite: new Set(offsite) };
}
