// R6 fee boundaries, exactly as the product page states them, on the data synced.
import { describe, expect, it } from 'vitest';
import { syncFee } from '../../../electron/chain/fees.ts';
import { buildPlan } from '../../../electron/chain/plan.ts';
import { TB } from '../../../electron/chain/units.ts';
import { inventory, series } from './helpers.ts';

describe('syncFee (R6)', () => {
  // Integer byte counts: 2.01 * 1e12 in floating point is not exactly 2 010 000 000 000.
  const cases: Array<[string, number, number]> = [
    ['0.1 TB', 100_000_000_000, 50],
    ['1 TB', 1_000_000_000_000, 50],
    ['2.0 TB exactly', 2_000_000_000_000, 50],
    ['one byte over 2 TB', 2_000_000_000_001, 100],
    ['2.01 TB', 2_010_000_000_000, 100],
    ['2.1 TB', 2_100_000_000_000, 100],
    ['3.0 TB exactly', 3_000_000_000_000, 100],
    ['one byte over 3 TB', 3_000_000_000_001, 150],
    ['3.1 TB', 3_100_000_000_000, 150],
    ['4.0 TB', 4_000_000_000_000, 150],
    ['4.1 TB', 4_100_000_000_000, 200],
  ];
  for (const [label, bytes, usd] of cases) {
    it(`${label} costs $${usd}`, () => {
      const fee = syncFee(bytes);
      expect(fee.usd).toBe(usd);
      expect(fee.waived).toBe(false);
    });
  }

  it('is waived for a disaster-recovery ticket, and says what it would have been', () => {
    const fee = syncFee(3_100_000_000_000, { disasterRecovery: true });
    expect(fee.usd).toBe(0);
    expect(fee.waived).toBe(true);
    expect(fee.explanation).toContain('$150');
  });

  it('is charged on the data synced, not on the drive or the layout overhead', () => {
    const local = series(3, 1_700_000_000, 3600);
    const sizes = Object.fromEntries(local.map((p) => [p.name, { fsUsedBytes: 1 * TB }]));
    const plan = buildPlan({
      ticket: { direction: 'reverse', format: 'ntfs', disasterRecovery: false, selections: { a: { kind: 'range', from: local[0].name, to: local[1].name } } },
      inventories: [inventory([], local, 'a')],
      sizes: { a: sizes },
      drives: [{ path: '/dev/sdx', sizeBytes: 8 * TB }],
    });
    expect(plan.dataBytes).toBe(2 * TB);
    expect(plan.totalBytes).toBeGreaterThan(2 * TB); // layout overhead on top
    expect(plan.fee.usd).toBe(50); // 2.0 TB of data, even though more is written
    const waived = buildPlan({
      ticket: { direction: 'reverse', format: 'ntfs', disasterRecovery: true, selections: { a: { kind: 'range', from: local[0].name, to: local[2].name } } },
      inventories: [inventory([], local, 'a')],
      sizes: { a: sizes },
    });
    expect(waived.fee).toMatchObject({ usd: 0, waived: true });
  });
});
