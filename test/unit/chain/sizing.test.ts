// R2 sizing per format from measured sizes, plus the layout overhead.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { BROWSABLE_OVERHEAD_FRACTION, BROWSABLE_OVERHEAD_PER_POINT_BYTES, IMAGE_OVERHEAD_PER_POINT_BYTES } from '../../../electron/chain/layout.ts';
import { resolveSelection } from '../../../electron/chain/resolve.ts';
import { sizeForFormat } from '../../../electron/chain/sizing.ts';
import { GB } from '../../../electron/chain/units.ts';
import { inventory, series } from './helpers.ts';

// The seed's example: three points of 200, 225 and 275 GB.
const pts = series(3);
const sizes = {
  [pts[0].name]: { fullBytes: 200 * GB, fsUsedBytes: 200 * GB, imageBytes: 250 * GB },
  [pts[1].name]: { incrementalBytes: 30 * GB, fullBytes: 225 * GB, fsUsedBytes: 225 * GB, imageBytes: 250 * GB },
  [pts[2].name]: { incrementalBytes: 60 * GB, fullBytes: 275 * GB, fsUsedBytes: 275 * GB, imageBytes: 300 * GB },
};
const all = { kind: 'range' as const, from: pts[0].name, to: pts[2].name };

describe('sizeForFormat (R2)', () => {
  it('NTFS: the real sum of the three points is exactly 700 GB (not the article\'s rounder figure)', () => {
    const r = resolveSelection(inventory([], pts), all, 'ntfs', undefined, { direction: 'reverse' });
    const s = sizeForFormat('ntfs', r, sizes);
    expect(s.dataBytes).toBe(700 * GB);
    expect(s.overheadBytes).toBe(Math.ceil(700 * GB * BROWSABLE_OVERHEAD_FRACTION) + 3 * BROWSABLE_OVERHEAD_PER_POINT_BYTES);
    expect(s.bytes).toBe(s.dataBytes + s.overheadBytes);
    expect(s.perPoint).toEqual([200, 225, 275].map((g) => g * GB + Math.ceil(g * GB * BROWSABLE_OVERHEAD_FRACTION) + BROWSABLE_OVERHEAD_PER_POINT_BYTES));
    expect(sizeForFormat('ext4', resolveSelection(inventory([], pts), all, 'ext4', undefined, { direction: 'reverse' }), sizes).dataBytes).toBe(700 * GB);
  });

  it('ZFS: the first point in full plus the deltas, about 300 GB', () => {
    const r = resolveSelection(inventory([], pts), all, 'zfs', undefined, { direction: 'reverse' });
    const s = sizeForFormat('zfs', r, sizes);
    expect(s.dataBytes).toBe(290 * GB);
    expect(s.overheadBytes).toBe(0);
    expect(s.estimated).toBe(false);
  });

  it('ZFS from a lock: only the incremental streams', () => {
    const r = resolveSelection(inventory(pts, [pts[0]]), { kind: 'newer-than-lock' }, 'zfs');
    expect(sizeForFormat('zfs', r, sizes).dataBytes).toBe(90 * GB);
  });

  it('ZFS across skipped points: an upper-bound estimate, exact when the span is measured', () => {
    const r = resolveSelection(inventory(pts, [pts[0]]), { kind: 'latest' }, 'zfs');
    const est = sizeForFormat('zfs', r, sizes);
    expect(est.dataBytes).toBe(90 * GB);
    expect(est.estimated).toBe(true);
    expect(est.notes.join(' ')).toMatch(/upper bound/);
    const exact = sizeForFormat('zfs', r, sizes, { spans: [{ from: pts[0].name, to: pts[2].name, bytes: 70 * GB }] });
    expect(exact).toMatchObject({ dataBytes: 70 * GB, estimated: false });
  });

  it('image export: the sum of the images, the largest of the three', () => {
    const r = resolveSelection(inventory([], pts), all, 'image', undefined, { direction: 'reverse' });
    const s = sizeForFormat('image', r, sizes);
    expect(s.dataBytes).toBe(800 * GB);
    expect(s.overheadBytes).toBe(3 * IMAGE_OVERHEAD_PER_POINT_BYTES);
  });

  it('falls back to referenced bytes for a full stream, and says it is an estimate', () => {
    const withRef = pts.map((p) => ({ ...p, referencedBytes: 100 * GB }));
    const r = resolveSelection(inventory([], withRef), { kind: 'one', point: pts[0].name }, 'zfs', undefined, { direction: 'reverse' });
    const s = sizeForFormat('zfs', r, {});
    expect(s).toMatchObject({ dataBytes: 100 * GB, estimated: true });
  });

  it('refuses to guess a missing measurement, naming the points', () => {
    const r = resolveSelection(inventory(pts, [pts[0]]), { kind: 'newer-than-lock' }, 'zfs');
    try {
      sizeForFormat('zfs', r, { [pts[1].name]: { incrementalBytes: 1 } });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('BAD_INPUT');
      expect((e as AppError).message).toContain(pts[2].name);
    }
  });
});
