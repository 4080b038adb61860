// R20 retention: thinning to the last point of each day, week and month, the keep period, points
// waiting for offsite sync, and offsite's 300 points per run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, monthNumber, weekNumber } from '../../../electron/chain/calendar.ts';
import {
  applyRetention,
  dailyRuns,
  LOCAL_RETENTION_DEFAULT,
  OFFSITE_RETENTION_DEFAULT,
  simulateRetention,
  validatePolicy,
  type RetentionPolicy,
} from '../../../electron/chain/retention.ts';
import type { Point } from '../../../electron/chain/types.ts';
import { DAY, HOUR, point } from './helpers.ts';

// Monday 2024-01-01 00:00 UTC.
const MON = Date.UTC(2024, 0, 1) / 1000;
const names = (ps: Point[]) => ps.map((p) => p.name);
const at = (days: number, hours = 0) => point(MON + days * DAY + hours * HOUR);

describe('calendar buckets', () => {
  it('agree with Date for days, ISO weeks and months', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (t) => {
        const d = new Date(t * 1000);
        const day = dayNumber(t);
        expect(monthNumber(day)).toBe(d.getUTCFullYear() * 12 + d.getUTCMonth());
        // Monday-first weeks: same week iff same Monday.
        const monday = day - ((d.getUTCDay() + 6) % 7);
        expect(weekNumber(day)).toBe(weekNumber(monday));
        expect(weekNumber(monday - 1)).toBe(weekNumber(monday) - 1);
      }),
    );
  });
  it('shift days by the appliance offset', () => {
    expect(dayNumber(MON - 1)).toBe(dayNumber(MON) - 1);
    expect(dayNumber(MON - 1, 3600)).toBe(dayNumber(MON));
  });
});

describe('applyRetention', () => {
  const policy: RetentionPolicy = { intraDailyToDailyAfterDays: 2, dailyToWeeklyAfterDays: 14, weeklyToMonthlyAfterDays: 60, keepDays: 365 };

  it('keeps every point younger than the intra-daily period', () => {
    const pts = [at(10, 1), at(10, 2), at(10, 3)];
    expect(applyRetention(pts, policy, MON + 11 * DAY).deleted).toEqual([]);
  });

  it('keeps the LAST point of each day once intra-dailies age', () => {
    const pts = [at(0, 1), at(0, 12), at(0, 23), at(1, 5), at(1, 6)];
    const r = applyRetention(pts, policy, MON + 5 * DAY);
    expect(names(r.kept)).toEqual([at(0, 23).name, at(1, 6).name]);
    expect(names(r.deleted)).toEqual([at(0, 1).name, at(0, 12).name, at(1, 5).name]);
  });

  it('keeps the last point of each Monday-first week once dailies age', () => {
    // Days 0..13 = two ISO weeks (Mon 1 Jan – Sun 14 Jan 2024), one point a day.
    const pts = Array.from({ length: 14 }, (_, d) => at(d, 20));
    const r = applyRetention(pts, policy, MON + 40 * DAY);
    expect(names(r.kept)).toEqual([at(6, 20).name, at(13, 20).name]); // the two Sundays
  });

  it('keeps the last point of a month through the weekly stage, so the month keeps its point', () => {
    // Wed 31 Jan is not the last of its week (Mon 29 Jan – Sun 4 Feb) but is the last of January.
    const pts = [at(28, 23), at(30, 23), at(34, 23)];
    const r = applyRetention(pts, policy, MON + 50 * DAY);
    expect(names(r.kept)).toEqual([at(30, 23).name, at(34, 23).name]);
    // One run much later gives what a run every day would have given.
    const later = MON + 200 * DAY;
    const once = applyRetention(pts, policy, later);
    const daily = simulateRetention(pts, policy, dailyRuns(MON + 29 * DAY, later));
    expect(names(once.kept)).toEqual(names(daily.kept));
    expect(names(once.kept)).toEqual([at(30, 23).name, at(34, 23).name]);
  });

  it('keeps the last point of each month once weeklies age', () => {
    const pts = [at(0, 1), at(14, 1), at(30, 23), at(31, 1), at(59, 1)]; // Jan 1, Jan 15, Jan 31, Feb 1, Feb 29
    const r = applyRetention(pts, policy, MON + 200 * DAY);
    expect(names(r.kept)).toEqual([at(30, 23).name, at(59, 1).name]);
  });

  it('deletes everything older than the keep period', () => {
    const pts = [at(0), at(1)];
    const r = applyRetention(pts, { ...policy, keepDays: 100 }, MON + 100 * DAY + 1);
    expect(names(r.deleted)).toEqual([at(0).name]);
    expect(names(r.kept)).toEqual([at(1).name]);
  });

  it('never deletes a point waiting for offsite sync (or under a guard)', () => {
    const pts = [at(0, 1), at(0, 2), at(0, 3), at(1)];
    const r = applyRetention(pts, policy, MON + 400 * DAY, { protectedNames: [at(0, 1).name] });
    expect(names(r.kept)).toEqual([at(0, 1).name]);
  });

  it('offsite retention deletes at most 300 points per run, oldest first', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => point(MON + i * 60)); // 1000 points within one day
    const r = applyRetention(pts, OFFSITE_RETENTION_DEFAULT, MON + 30 * DAY);
    expect(r.deleted).toHaveLength(300);
    expect(r.deferred).toHaveLength(699);
    expect(r.deleted[0].name).toBe(pts[0].name);
    expect(r.kept).toHaveLength(700);
    const sim = simulateRetention(pts, OFFSITE_RETENTION_DEFAULT, dailyRuns(MON + 30 * DAY, MON + 34 * DAY));
    expect(sim.kept).toHaveLength(1);
    expect(new Set(sim.deleted.map((d) => d.at)).size).toBe(4); // 300 + 300 + 300 + 99
  });

  it('does not care about input order', () => {
    const pts = Array.from({ length: 50 }, (_, i) => point(MON + i * 7 * HOUR));
    const a = applyRetention(pts, policy, MON + 30 * DAY);
    const b = applyRetention([...pts].reverse(), policy, MON + 30 * DAY);
    expect(names(b.kept)).toEqual(names(a.kept));
  });

  it('thins a simulated 60-day chain of hourly points the way the lab expects', () => {
    const start = MON;
    const pts = Array.from({ length: 60 * 24 }, (_, i) => point(start + i * HOUR)); // 1440 points
    const now = start + 60 * DAY;
    const r = applyRetention(pts, LOCAL_RETENTION_DEFAULT, now);
    const kept = r.kept.map((p) => p.time);
    // Last 7 days: all 168 hourly points survive.
    expect(kept.filter((t) => t >= now - 7 * DAY)).toHaveLength(7 * 24);
    // Between 7 and 31 days old: the last point of each week (Sunday 23:00), and of January (Wed 31st).
    const weekly = kept.filter((t) => t < now - 7 * DAY && t >= now - 31 * DAY);
    expect(weekly.map((t) => new Date(t * 1000).toISOString().slice(0, 13))).toEqual(['2024-01-31T23', '2024-02-04T23', '2024-02-11T23', '2024-02-18T23']);
    // Older than 31 days (1–29 January): nothing; January is represented by its last point, the 31st.
    expect(kept.filter((t) => t < now - 31 * DAY)).toEqual([]);
    expect(r.kept.length + r.deleted.length).toBe(1440);
  });

  it('properties: nothing young or protected is deleted; survivors are last of their bucket; a second run changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 * 24 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 0, max: 520 * 24 }),
        (hours, prot, nowHours) => {
          const pts = [...new Set(hours)].map((h) => point(MON + h * HOUR));
          const protectedNames = prot.map((i) => pts[i % pts.length].name);
          const now = MON + nowHours * HOUR;
          const r = applyRetention(pts, policy, now, { protectedNames });
          expect(r.kept.length + r.deleted.length).toBe(pts.length);
          for (const p of r.deleted) {
            expect(protectedNames).not.toContain(p.name);
            expect(now - p.time).toBeGreaterThan(policy.intraDailyToDailyAfterDays * DAY);
          }
          const kept = r.kept;
          for (let i = 0; i < kept.length; i++) {
            const p = kept[i];
            if (protectedNames.includes(p.name)) continue;
            const age = now - p.time;
            expect(age).toBeLessThanOrEqual(policy.keepDays * DAY);
            const next = kept[i + 1];
            if (!next) continue;
            const dp = dayNumber(p.time);
            const dn = dayNumber(next.time);
            if (age > policy.weeklyToMonthlyAfterDays * DAY) expect(monthNumber(dn)).not.toBe(monthNumber(dp));
            else if (age > policy.dailyToWeeklyAfterDays * DAY) expect(weekNumber(dn) !== weekNumber(dp) || monthNumber(dn) !== monthNumber(dp)).toBe(true);
            else if (age > policy.intraDailyToDailyAfterDays * DAY) expect(dn).not.toBe(dp);
          }
          expect(applyRetention(r.kept, policy, now, { protectedNames }).deleted).toEqual([]);
          // Daily runs up to now leave what one run now leaves (no per-run limit here).
          const daily = simulateRetention(pts, policy, dailyRuns(MON - DAY, now), { protectedNames });
          expect(names(daily.kept)).toEqual(names(r.kept));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('policies', () => {
  it('offsite defaults are R20: 7 days, 2 weeks, 6 weeks, 1 year, 300 per run', () => {
    expect(OFFSITE_RETENTION_DEFAULT).toEqual({ intraDailyToDailyAfterDays: 7, dailyToWeeklyAfterDays: 14, weeklyToMonthlyAfterDays: 42, keepDays: 365, maxDeletesPerRun: 300 });
  });
  it('local defaults are the article\'s: 7 days, one week, one month, three months', () => {
    expect(LOCAL_RETENTION_DEFAULT).toEqual({ intraDailyToDailyAfterDays: 7, dailyToWeeklyAfterDays: 7, weeklyToMonthlyAfterDays: 31, keepDays: 90 });
  });
  it('refuses a policy whose steps go backwards', () => {
    expect(() => validatePolicy({ intraDailyToDailyAfterDays: 10, dailyToWeeklyAfterDays: 7, weeklyToMonthlyAfterDays: 31, keepDays: 90 })).toThrow(/comes before/);
    expect(() => validatePolicy({ ...LOCAL_RETENTION_DEFAULT, keepDays: -1 })).toThrow(/number of days/);
  });
  it('runs once a day until arrival, counting a run now', () => {
    expect(dailyRuns(MON, MON + 2 * DAY)).toEqual([MON, MON + DAY, MON + 2 * DAY]);
    expect(dailyRuns(MON, MON + DAY + 5)).toEqual([MON, MON + DAY, MON + DAY + 5]);
    expect(() => dailyRuns(MON, MON - 1)).toThrow(/before now/);
  });
});
