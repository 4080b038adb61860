// R3 media choice, R4 drive eligibility, R5 striping and whole-point spreading.
import { describe, expect, it } from 'vitest';
import { METADATA_PARTITION_BYTES, usableBytes } from '../../../electron/chain/layout.ts';
import { ATTACH_DRIVE_MESSAGE, chooseMedia, drivesNeeded, isEligibleDrive } from '../../../electron/chain/media.ts';
import { spreadPoints } from '../../../electron/chain/spread.ts';
import { GB, TB } from '../../../electron/chain/units.ts';
import { thrown } from './helpers.ts';

describe('chooseMedia (R3)', () => {
  it('puts exactly 8 TB on USB in any format', () => {
    for (const f of ['zfs', 'ntfs', 'ext4', 'image'] as const) expect(chooseMedia(8 * TB, f).media).toBe('usb');
  });
  it('puts one byte over 8 TB of ZFS on a NAS unit', () => {
    expect(chooseMedia(8 * TB + 1, 'zfs').media).toBe('nas');
  });
  it('refuses anything but ZFS over 8 TB with PLAN_TOO_BIG', () => {
    for (const f of ['ntfs', 'ext4', 'image'] as const) {
      const e = thrown(() => chooseMedia(8 * TB + 1, f));
      expect(e.code).toBe('PLAN_TOO_BIG');
      expect(e.message).toMatch(/over the 8 TB limit/);
      expect(e.message).toMatch(/only ZFS on a NAS unit/);
    }
  });
});

describe('drive eligibility (R4)', () => {
  it('counts a drive of exactly 250 GB, not one byte less', () => {
    expect(isEligibleDrive(250 * GB)).toBe(true);
    expect(isEligibleDrive(250 * GB - 1)).toBe(false);
  });
  it('says "Please attach a RoundTrip drive" when nothing is attached', () => {
    const e = thrown(() => drivesNeeded(100 * GB, []));
    expect(e.message).toBe('Please attach a RoundTrip drive');
    expect(e.code).toBe('DRIVE_NOT_FOUND');
  });
  it('says the same when every attached drive is under 250 GB', () => {
    const e = thrown(() => drivesNeeded(10 * GB, [128 * GB, 250 * GB - 1]));
    expect(e.message).toBe(ATTACH_DRIVE_MESSAGE);
    expect(e.code).toBe('DRIVE_TOO_SMALL');
  });
  it('never uses a small drive, even when it would help', () => {
    const need = usableBytes(250 * GB, 'zfs') + 1;
    const e = thrown(() => drivesNeeded(need, [250 * GB, 200 * GB]));
    expect(e.code).toBe('DRIVE_TOO_SMALL');
    expect(e.message).toMatch(/hold .* together, but the plan needs/);
  });
});

describe('striped drives for ZFS (R5)', () => {
  it('adds capacities and uses the fewest drives, largest first', () => {
    const sizes = [1 * TB, 4 * TB, 2 * TB];
    const one = drivesNeeded(3 * TB, sizes);
    expect(one).toMatchObject({ count: 1, chosen: [1] });
    const two = drivesNeeded(5 * TB, sizes);
    expect(two).toMatchObject({ count: 2, chosen: [1, 2] });
    expect(two.capacityBytes).toBe(usableBytes(4 * TB, 'zfs') + usableBytes(2 * TB, 'zfs'));
    expect(drivesNeeded(6.5 * TB, sizes).count).toBe(3);
  });
  it('accounts for the layout: a 4 TB drive does not hold 4 TB of streams', () => {
    expect(usableBytes(4 * TB, 'zfs')).toBeLessThan(4 * TB - METADATA_PARTITION_BYTES);
    expect(drivesNeeded(4 * TB, [4 * TB, 4 * TB]).count).toBe(2);
  });
  it('needs one drive even for nothing (the manifest still goes on it)', () => {
    expect(drivesNeeded(0, [300 * GB]).count).toBe(1);
  });
});

describe('spreadPoints (R5, NTFS/EXT4/image)', () => {
  it('never splits a point and uses the fewest drives', () => {
    const items = [
      { id: 'a@1', bytes: 600 },
      { id: 'a@2', bytes: 500 },
      { id: 'a@3', bytes: 400 },
      { id: 'a@4', bytes: 300 },
    ];
    const s = spreadPoints(items, [1000, 1000, 1000]);
    expect(s.count).toBe(2);
    for (let d = 0; d < 3; d++) expect(s.usedBytes[d]).toBeLessThanOrEqual(1000);
    expect(s.assignment.map((a) => a.id)).toEqual(['a@1', 'a@2', 'a@3', 'a@4']);
    expect(s.usedBytes.reduce((x, y) => x + y, 0)).toBe(1800);
  });
  it('prefers the largest drive', () => {
    const s = spreadPoints([{ id: 'x', bytes: 10 }], [100, 500, 200]);
    expect(s.drives).toEqual([1]);
    expect(s.assignment[0].drive).toBe(1);
  });
  it('refuses a point larger than every drive, naming it', () => {
    const e = thrown(() => spreadPoints([{ id: 'agent-1@1700000000', bytes: 2000 }], [1000, 1500]));
    expect(e.code).toBe('DRIVE_TOO_SMALL');
    expect(e.message).toMatch(/agent-1@1700000000 needs .* never split/);
  });
  it('refuses when the points do not fit together, even if the total would', () => {
    // 3 × 600 on 2 × 1000: 1800 ≤ 2000 but no drive can take two points.
    const e = thrown(() => spreadPoints([600, 600, 600].map((b, i) => ({ id: `p${i}`, bytes: b })), [1000, 1000]));
    expect(e.code).toBe('DRIVE_TOO_SMALL');
    expect(e.message).toMatch(/without splitting a point/);
  });
});
