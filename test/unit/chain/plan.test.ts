// buildPlan end to end: per system and in total, media (R3), drives (R4, R5), fee (R6), time (R8).
import { describe, expect, it } from 'vitest';
import { usableBytes } from '../../../electron/chain/layout.ts';
import { buildPlan, type PlanInput } from '../../../electron/chain/plan.ts';
import type { SizeTable } from '../../../electron/chain/sizing.ts';
import type { Point } from '../../../electron/chain/types.ts';
import { GB, MB, TB } from '../../../electron/chain/units.ts';
import { inventory, series, T0, thrown } from './helpers.ts';

function table(ps: Point[], s: { inc?: number; full?: number; used?: number; image?: number }): SizeTable {
  return Object.fromEntries(ps.map((p) => [p.name, { incrementalBytes: s.inc, fullBytes: s.full, fsUsedBytes: s.used, imageBytes: s.image }]));
}

const a = series(5, T0, 3600, { seed: 1 });
const b = series(4, T0 + 100, 3600, { seed: 2 });

function input(over: Partial<PlanInput['ticket']> = {}, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    ticket: { format: 'zfs', disasterRecovery: false, selections: { a: { kind: 'newer-than-lock' }, b: { kind: 'latest' } }, ...over },
    inventories: [inventory(a, a.slice(0, 2), 'a'), inventory(b, [], 'b', 'share')],
    sizes: { a: table(a, { inc: 10 * GB, full: 100 * GB }), b: table(b, { inc: 5 * GB, full: 50 * GB }) },
    ...extra,
  };
}

describe('buildPlan', () => {
  it('reads the side the ticket names: a revRT from the appliance plans the appliance\'s points', () => {
    const sel = { a: { kind: 'latest' as const } };
    const sizes = { a: table(a, { used: 1 * GB }) };
    const inventories = [inventory(a, a.slice(0, 2), 'a')];
    const fromOffsite = buildPlan(input({ direction: 'reverse', format: 'ntfs', selections: sel }, { inventories, sizes }));
    expect(fromOffsite.systems[0].points).toEqual([a[1].name]);
    const fromAppliance = buildPlan(input({ direction: 'reverse', readFrom: 'appliance', format: 'ntfs', selections: sel }, { inventories, sizes }));
    expect(fromAppliance.direction).toBe('reverse');
    expect(fromAppliance.systems[0].points).toEqual([a[4].name]);
  });

  it('says which encrypted agents need their passphrase: for browsable copies and images, not for ZFS', () => {
    const inventories = [{ ...inventory(a, a.slice(0, 2), 'a'), encrypted: true }, inventory(b, [], 'b', 'share')];
    const sizes = { a: table(a, { used: 1 * GB, image: 2 * GB }), b: table(b, { used: 1 * GB }) };
    const ntfs = buildPlan(input({ format: 'ntfs', selections: { a: { kind: 'latest' }, b: { kind: 'latest' } } }, { inventories, sizes }));
    expect(ntfs.passphrasesNeeded).toEqual(['a']);
    expect(ntfs.systems[0].notes.join(' ')).toMatch(/a is an encrypted agent: .*passphrase/);
    expect(ntfs.systems[1].notes.join(' ')).not.toMatch(/passphrase/);
    const zfs = buildPlan(input({}, { inventories }));
    expect(zfs.passphrasesNeeded).toEqual([]);
    expect(zfs.systems[0].notes.join(' ')).not.toMatch(/passphrase/);
  });

  it('plans each system and totals them', () => {
    const plan = buildPlan(input({}, { drives: [{ path: '/dev/sdb', sizeBytes: 1 * TB }] }));
    expect(plan.systems.map((s) => s.system)).toEqual(['a', 'b']);
    const [sa, sb] = plan.systems;
    expect(sa).toMatchObject({ base: a[1].name, full: false, points: [a[2].name, a[3].name, a[4].name], dataBytes: 30 * GB });
    expect(sa.sends).toEqual([{ from: a[1].name, to: a[4].name, intermediates: true }]);
    expect(sb).toMatchObject({ base: null, full: true, fullReason: 'no-common-point', points: [b[3].name], dataBytes: 50 * GB });
    expect(sb.notes.join(' ')).toMatch(/Sent in full/);
    expect(plan.dataBytes).toBe(80 * GB);
    expect(plan.totalBytes).toBe(80 * GB);
    expect(plan.media).toBe('usb');
    expect(plan.drivesNeeded).toBe(1);
    expect(plan.drives?.chosen).toEqual(['/dev/sdb']);
    expect(plan.fee.usd).toBe(50);
    expect(plan.seconds).toBe(Math.ceil((80 * GB) / (15 * MB)));
    expect(plan.rateMeasured).toBe(false);
  });

  it('uses the bench\'s measured rate when there is one', () => {
    const plan = buildPlan(input({}, { measuredRate: 100 * MB }));
    expect(plan.seconds).toBe(800);
    expect(plan.rateBytesPerSec).toBe(100 * MB);
    expect(plan.rateMeasured).toBe(true);
  });

  it('moves the lock per system', () => {
    const plan = buildPlan(input({ lockOverrides: { a: a[0].name } }));
    expect(plan.systems[0].base).toBe(a[0].name);
    expect(plan.systems[0].dataBytes).toBe(40 * GB);
  });

  it('refuses a lock moved to a point offsite lacks', () => {
    const e = thrown(() => buildPlan(input({ lockOverrides: { a: a[3].name } })));
    expect(e.code).toBe('CHAIN_BAD_LOCK');
  });

  it('collects every system\'s problem in one refusal', () => {
    const e = thrown(() => buildPlan(input({ selections: { a: { kind: 'range', from: a[4].name, to: a[0].name }, b: { kind: 'newer-than-lock' }, c: { kind: 'latest' } } })));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/^3 systems cannot be planned/);
    const problems = e.data?.problems as Array<{ system: string; code: string }>;
    expect(problems.map((p) => [p.system, p.code])).toEqual([
      ['c', 'NOT_FOUND'],
      ['a', 'CHAIN_BAD_SELECTION'],
      ['b', 'CHAIN_BAD_SELECTION'],
    ]);
  });

  it('a default selection plans every system and reports those already up to date', () => {
    const plan = buildPlan({
      ...input({ selections: {}, defaultSelection: { kind: 'newer-than-lock' } }),
      inventories: [inventory(a, a.slice(0, 2), 'a'), inventory(b, b, 'b')],
    });
    expect(plan.systems.map((s) => [s.system, s.points.length])).toEqual([
      ['a', 3],
      ['b', 0],
    ]);
    expect(plan.systems[1].notes.join(' ')).toMatch(/up to date/);
  });

  it('an image export needs an image format', () => {
    expect(thrown(() => buildPlan(input({ format: 'image' }))).code).toBe('BAD_INPUT');
  });

  it('warns "Please attach a RoundTrip drive" when no listed drive has 250 GB', () => {
    const plan = buildPlan(input({}, { drives: [{ path: '/dev/sdc', sizeBytes: 250 * GB - 1 }] }));
    expect(plan.warnings).toContain('Please attach a RoundTrip drive');
    expect(plan.drivesNeeded).toBeNull();
    expect(plan.drives?.ineligible).toEqual(['/dev/sdc']);
    const none = buildPlan(input({}, { drives: [] }));
    expect(none.warnings).toContain('Please attach a RoundTrip drive');
  });

  it('counts a 250 GB drive (R4 boundary) and stripes drives for ZFS (R5)', () => {
    const need = usableBytes(250 * GB, 'zfs');
    const sizes = { a: table(a, { inc: need / 3, full: 0 }), b: table(b, { inc: 0, full: 0 }) };
    const one = buildPlan(input({}, { sizes, drives: [{ path: '/dev/sdd', sizeBytes: 250 * GB }] }));
    expect(one.drivesNeeded).toBe(1);
    const more = { a: table(a, { inc: need, full: 0 }), b: table(b, { inc: 0, full: 0 }) };
    const striped = buildPlan(input({}, { sizes: more, drives: [250, 250, 250, 250].map((g, i) => ({ path: `/dev/sd${i}`, sizeBytes: g * GB })) }));
    expect(striped.drivesNeeded).toBe(3);
  });

  it('spreads whole points over drives for NTFS', () => {
    const off = series(3);
    const plan = buildPlan({
      ticket: { direction: 'reverse', format: 'ntfs', disasterRecovery: true, selections: { s: { kind: 'range', from: off[0].name, to: off[2].name } } },
      inventories: [inventory([], off, 's')],
      sizes: { s: table(off, { used: 300 * GB }) },
      drives: [
        { path: '/dev/sdx', sizeBytes: 500 * GB },
        { path: '/dev/sdy', sizeBytes: 500 * GB },
        { path: '/dev/sdz', sizeBytes: 500 * GB },
      ],
    });
    expect(plan.drivesNeeded).toBe(3);
    expect(new Set(plan.drives?.assignment?.map((x) => x.drive)).size).toBe(3);
    expect(plan.fee).toMatchObject({ usd: 0, waived: true });
  });

  it('over 8 TB: ZFS goes to a NAS unit (R3)', () => {
    const big = { a: table(a, { inc: 3 * TB, full: 0 }), b: table(b, { inc: 0, full: 0 }) };
    const plan = buildPlan(input({}, { sizes: big, drives: [{ path: '/dev/sdb', sizeBytes: 10 * TB }] }));
    expect(plan.totalBytes).toBe(9 * TB);
    expect(plan.media).toBe('nas');
    expect(plan.drivesNeeded).toBeNull();
    expect(plan.warnings.join(' ')).toMatch(/NAS unit; the attached USB drives are not used/);
    expect(plan.fee.usd).toBe(400); // $50 for 2 TB + 7 started blocks
  });

  it('exactly 8 TB still goes on USB; a byte more does not', () => {
    const incs = [2 * TB, 3 * TB, 3 * TB]; // a[2..4] after the lock a[1]: exactly 8 000 000 000 000 bytes
    const aSizes = Object.fromEntries(a.map((p, i) => [p.name, { incrementalBytes: i >= 2 ? incs[i - 2] : 0 }]));
    const eight = buildPlan(input({}, { sizes: { a: aSizes, b: table(b, { full: 0 }) } }));
    expect(eight.totalBytes).toBe(8_000_000_000_000);
    expect(eight.media).toBe('usb');
    const over = buildPlan(input({}, { sizes: { a: aSizes, b: table(b, { full: 1 }) } }));
    expect(over.totalBytes).toBe(8_000_000_000_001);
    expect(over.media).toBe('nas');
  });

  it('over 8 TB in NTFS is refused with PLAN_TOO_BIG', () => {
    const off = series(3);
    const e = thrown(() =>
      buildPlan({
        ticket: { direction: 'reverse', format: 'ntfs', disasterRecovery: false, selections: { s: { kind: 'range', from: off[0].name, to: off[2].name } } },
        inventories: [inventory([], off, 's')],
        sizes: { s: table(off, { used: 3 * TB }) },
      }),
    );
    expect(e.code).toBe('PLAN_TOO_BIG');
    expect(e.message).toMatch(/NTFS of .* is over the 8 TB limit/);
  });
});

describe('planSummary', () => {
  it('puts the plan in words', async () => {
    const { planSummary } = await import('../../../electron/chain/plan-text.ts');
    const text = planSummary(buildPlan(input({}, { drives: [{ path: '/dev/sdb', sizeBytes: 1 * TB }] })));
    expect(text).toMatch(/^RoundTrip in ZFS, 2 system\(s\):/);
    expect(text).toContain(`a: 3 point(s) from lock ${a[1].name}, 30.00 GB`);
    expect(text).toContain('b: 1 point(s), first sent in full (no common point), 50.00 GB');
    expect(text).toContain('Media: 1 USB drive(s): /dev/sdb.');
    expect(text).toContain('Fee: $50.');
    expect(text).toMatch(/Time: about 1 h 29 min at 15.00 MB\/s \(estimate until a rate is measured\)\./);
  });
});
