// R20 preview: what retention deletes before the unit arrives, and warnings for the lock and selected points.
import { describe, expect, it } from 'vitest';
import { retentionPreview } from '../../../electron/chain/retention-preview.ts';
import { buildPlan } from '../../../electron/chain/plan.ts';
import { DAY, HOUR, inventory, point, series } from './helpers.ts';

const NOW = Date.UTC(2024, 5, 1) / 1000;

describe('retentionPreview', () => {
  // The lock is half a day short of offsite's one-year keep period; recent local points wait for sync.
  const lock = point(NOW - 364.5 * DAY);
  const recent = series(24, NOW - 2 * DAY, HOUR);
  const inv = inventory([lock, ...recent], [lock]);

  it('warns when retention would delete the lock before the unit arrives', () => {
    const p = retentionPreview(inv, { kind: 'newer-than-lock' }, {}, NOW, NOW + 5 * DAY);
    expect(p.runs).toBe(6);
    expect(p.lockDeleted.map((d) => d.side).sort()).toEqual(['local', 'offsite']);
    const off = p.lockDeleted.find((d) => d.side === 'offsite')!;
    expect(off.at).toBe(NOW + DAY); // the first daily run after it turns a year old
    expect(p.offsite.find((d) => d.lock)?.name).toBe(lock.name);
    expect(p.warnings.join(' ')).toMatch(/Offsite retention will delete the lock .* before the unit arrives on 2024-06-06/);
    // Points waiting for offsite sync (the whole selection) are never deleted locally.
    expect(p.selectedDeleted).toEqual([]);
    expect(p.local.filter((d) => !d.lock)).toEqual([]);
  });

  it('says nothing about a lock under a guard', () => {
    const p = retentionPreview(inv, { kind: 'newer-than-lock' }, {}, NOW, NOW + 5 * DAY, { holds: [lock.name] });
    expect(p.lockDeleted).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('says nothing when the unit arrives before retention reaches the lock', () => {
    const young = point(NOW - 100 * DAY);
    const p = retentionPreview(inventory([young, ...recent], [young]), { kind: 'newer-than-lock' }, { local: { intraDailyToDailyAfterDays: 7, dailyToWeeklyAfterDays: 7, weeklyToMonthlyAfterDays: 31, keepDays: 365 } }, NOW, NOW + 10 * DAY);
    expect(p.warnings).toEqual([]);
  });

  it('in a revRT, warns when offsite retention would delete selected points before they are copied', () => {
    // Hourly offsite points 6.5 days old: on day 7 they are thinned to one a day.
    const off = series(12, NOW - 6.5 * DAY, HOUR);
    const p = retentionPreview(inventory([], off), { kind: 'range', from: off[0].name, to: off[11].name }, {}, NOW, NOW + 3 * DAY, {
      direction: 'reverse',
      format: 'ntfs',
    });
    expect(p.selectedDeleted.length).toBeGreaterThan(0);
    expect(p.selectedDeleted.every((d) => d.side === 'offsite')).toBe(true);
    expect(p.warnings.join(' ')).toMatch(/Offsite retention will delete \d+ selected point\(s\) .* sync before then or place a guard/);
  });

  it('feeds the plan: warnings per system and in total', () => {
    const sizes = { 'agent-1': Object.fromEntries(recent.map((p) => [p.name, { incrementalBytes: 1e9 }])) };
    const plan = buildPlan({
      ticket: { format: 'zfs', disasterRecovery: false, selections: { 'agent-1': { kind: 'newer-than-lock' } } },
      inventories: [inv],
      sizes,
      retention: { now: NOW, arrival: NOW + 5 * DAY },
    });
    expect(plan.systems[0].retention?.lockDeleted).toBe(true);
    expect(plan.warnings.some((w) => /retention will delete the lock/.test(w))).toBe(true);
  });
});
