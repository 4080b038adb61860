// R20 retention, as the retention article describes it. Thresholds are ages in days, counted from
// the time a run happens:
//   older than intraDailyToDailyAfterDays  → only the LAST point of each day survives;
//   older than dailyToWeeklyAfterDays      → only the last point of each (ISO, Monday-first) week
//                                            (and of each month, see below);
//   older than weeklyToMonthlyAfterDays    → only the last point of each month;
//   older than keepDays                    → deleted.
// "Last of its day/week/month" is judged among the points present when the run starts.
// Weeks straddle months, so thinning to weeklies also keeps the last point of each month: otherwise
// the point that should represent a month (say a Wednesday the 31st) is thinned away as a weekday
// before it is old enough to be kept as the monthly, and a month can vanish. With that, one run
// today gives the same survivors as a run every day up to today (without per-run limits), which
// keeps the preview and the lab's one-shot thinning consistent.
// Retention never deletes a point that still waits for offsite sync (pass it in protectedNames),
// and offsite retention deletes at most 300 points per run, oldest first; the rest wait for the
// next run. Everything is O(n) per run after one sort, because the lab thins whole chains and the
// retention preview simulates one run per day until the unit arrives.
import { AppError } from '../api/errors.ts';
import { dayNumber, monthNumber, weekNumber } from './calendar.ts';
import { DAY_SECONDS, sortedPoints } from './points.ts';
import type { Point } from './types.ts';

export interface RetentionPolicy {
  intraDailyToDailyAfterDays: number;
  dailyToWeeklyAfterDays: number;
  weeklyToMonthlyAfterDays: number;
  keepDays: number;
  /** The most points one run deletes; absent = no limit. */
  maxDeletesPerRun?: number;
}

/** R20 offsite defaults: daily after 7 days, weekly after 2 weeks, monthly after 6 weeks, kept 1 year, 300 per run. */
export const OFFSITE_RETENTION_DEFAULT: Readonly<RetentionPolicy> = Object.freeze({
  intraDailyToDailyAfterDays: 7,
  dailyToWeeklyAfterDays: 14,
  weeklyToMonthlyAfterDays: 42,
  keepDays: 365,
  maxDeletesPerRun: 300,
});

/**
 * Local defaults from the article's example, read as the appliance's settings (each an age, each
 * at least the previous one): intra-daily → daily after 7 days, daily → weekly after one week (so
 * with these defaults dailies go straight to weeklies at 7 days), weekly → monthly after one month
 * (31 days), keep three months (90 days). Local retention has no per-run limit.
 */
export const LOCAL_RETENTION_DEFAULT: Readonly<RetentionPolicy> = Object.freeze({
  intraDailyToDailyAfterDays: 7,
  dailyToWeeklyAfterDays: 7,
  weeklyToMonthlyAfterDays: 31,
  keepDays: 90,
});

export interface RetentionOptions {
  /** Points retention must keep: points waiting for offsite sync, and points under a guard. */
  protectedNames?: Iterable<string>;
  /** The appliance's offset from UTC, for where days start. Default 0 (UTC). */
  utcOffsetSeconds?: number;
}

export interface RetentionResult {
  kept: Point[];
  deleted: Point[];
  /** Kept only because the run reached its deletion limit; the next run takes them. */
  deferred: Point[];
}

export function validatePolicy(policy: RetentionPolicy, label = 'retention policy'): void {
  const steps: Array<[keyof RetentionPolicy, string]> = [
    ['intraDailyToDailyAfterDays', 'intra-daily to daily'],
    ['dailyToWeeklyAfterDays', 'daily to weekly'],
    ['weeklyToMonthlyAfterDays', 'weekly to monthly'],
    ['keepDays', 'keep'],
  ];
  let previous = 0;
  let previousName = '';
  for (const [key, words] of steps) {
    const v = policy?.[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new AppError('BAD_INPUT', `The ${label} needs a number of days for "${words}".`, { data: { field: key } });
    }
    if (v < previous) {
      throw new AppError('BAD_INPUT', `In the ${label}, "${words}" (${v} days) comes before "${previousName}" (${previous} days).`, {
        hint: 'Each step of a retention policy must be at least as long as the one before it.',
        data: { field: key },
      });
    }
    previous = v;
    previousName = words;
  }
  const cap = policy.maxDeletesPerRun;
  if (cap !== undefined && !(cap === Infinity || (Number.isInteger(cap) && cap >= 1))) {
    throw new AppError('BAD_INPUT', `The ${label}'s limit of points deleted per run must be a whole number of at least 1.`, { data: { field: 'maxDeletesPerRun' } });
  }
}

/**
 * A chain under retention: points sorted once, buckets computed once, then any number of runs.
 * Exported for the lab and the preview; applyRetention and simulateRetention are the usual entries.
 */
export class RetentionChain {
  readonly points: readonly Point[];
  private readonly day: Int32Array;
  private readonly week: Int32Array;
  private readonly month: Int32Array;
  private readonly alive: Uint8Array;
  private readonly guarded: Uint8Array;

  constructor(points: readonly Point[], opts: RetentionOptions = {}) {
    this.points = sortedPoints(points);
    const n = this.points.length;
    this.day = new Int32Array(n);
    this.week = new Int32Array(n);
    this.month = new Int32Array(n);
    this.alive = new Uint8Array(n).fill(1);
    this.guarded = new Uint8Array(n);
    const offset = opts.utcOffsetSeconds ?? 0;
    for (let i = 0; i < n; i++) {
      const d = dayNumber(this.points[i].time, offset);
      this.day[i] = d;
      this.week[i] = weekNumber(d);
      this.month[i] = monthNumber(d);
    }
    if (opts.protectedNames) {
      const names = opts.protectedNames instanceof Set ? (opts.protectedNames as Set<string>) : new Set(opts.protectedNames);
      if (names.size > 0) for (let i = 0; i < n; i++) if (names.has(this.points[i].name)) this.guarded[i] = 1;
    }
  }

  isAlive(i: number): boolean {
    return this.alive[i] === 1;
  }

  /** One retention run at `now`: returns the deleted indices (oldest first) and how many were deferred by the limit. */
  run(policy: RetentionPolicy, now: number): { deleted: number[]; deferred: number[] } {
    const intra = now - policy.intraDailyToDailyAfterDays * DAY_SECONDS;
    const daily = now - policy.dailyToWeeklyAfterDays * DAY_SECONDS;
    const weekly = now - policy.weeklyToMonthlyAfterDays * DAY_SECONDS;
    const keep = now - policy.keepDays * DAY_SECONDS;
    const candidates: number[] = [];
    // Newest to oldest, remembering the next surviving point: a point is the last of its bucket
    // when the next surviving point falls in another bucket.
    let next = -1;
    for (let i = this.points.length - 1; i >= 0; i--) {
      if (!this.alive[i]) continue;
      const t = this.points[i].time;
      let drop = false;
      if (t < intra && !this.guarded[i]) {
        if (t < keep) drop = true;
        else if (t < weekly) drop = next !== -1 && this.month[next] === this.month[i];
        else if (t < daily) drop = next !== -1 && this.week[next] === this.week[i] && this.month[next] === this.month[i];
        else drop = next !== -1 && this.day[next] === this.day[i];
      }
      if (drop) candidates.push(i);
      next = i;
    }
    candidates.reverse(); // oldest first: the order a limited run deletes in
    const cap = policy.maxDeletesPerRun ?? Infinity;
    const deleted = candidates.length > cap ? candidates.slice(0, cap) : candidates;
    const deferred = candidates.length > cap ? candidates.slice(cap) : [];
    for (const i of deleted) this.alive[i] = 0;
    return { deleted, deferred };
  }

  survivors(): Point[] {
    const out: Point[] = [];
    for (let i = 0; i < this.points.length; i++) if (this.alive[i]) out.push(this.points[i]);
    return out;
  }
}

/** One retention run at `now` (epoch seconds). Input order does not matter; results are oldest first. */
export function applyRetention(points: readonly Point[], policy: RetentionPolicy, now: number, opts: RetentionOptions = {}): RetentionResult {
  validatePolicy(policy);
  const chain = new RetentionChain(points, opts);
  const { deleted, deferred } = chain.run(policy, now);
  return {
    kept: chain.survivors(),
    deleted: deleted.map((i) => chain.points[i]),
    deferred: deferred.map((i) => chain.points[i]),
  };
}

export interface RetentionSimulation {
  kept: Point[];
  /** Every deleted point with the time of the run that deleted it, in deletion order. */
  deleted: Array<{ point: Point; at: number }>;
  runs: number[];
}

/** Several runs in a row (for example one per day until a unit arrives). */
export function simulateRetention(points: readonly Point[], policy: RetentionPolicy, runTimes: readonly number[], opts: RetentionOptions = {}): RetentionSimulation {
  validatePolicy(policy);
  const chain = new RetentionChain(points, opts);
  const deleted: Array<{ point: Point; at: number }> = [];
  const runs = [...runTimes].sort((a, b) => a - b);
  for (const at of runs) for (const i of chain.run(policy, at).deleted) deleted.push({ point: chain.points[i], at });
  return { kept: chain.survivors(), deleted, runs };
}

/**
 * Run times between now and a later date: one now (a run may happen at any moment, so counting it
 * errs on the side of warning), one each following day, and one at the end itself.
 */
export function dailyRuns(now: number, until: number): number[] {
  if (!Number.isFinite(now) || !Number.isFinite(until)) throw new AppError('BAD_INPUT', 'Retention runs need two dates in epoch seconds.');
  if (until < now) throw new AppError('BAD_INPUT', `The arrival date ${new Date(until * 1000).toISOString().slice(0, 10)} is before now.`);
  const runs: number[] = [];
  for (let t = now; t < until; t += DAY_SECONDS) runs.push(t);
  runs.push(until);
  return runs;
}
