// When the file sync places points with exact sizes instead of the quick ones (referenced bytes,
// which are not an upper bound): always for browsable copies and raw images, and for the other
// image formats (whose measuring reads the volumes) only when a drive could fill.
import { describe, expect, it } from 'vitest';
import { needsExactSizes } from '../../../electron/jobs/files/placement.ts';

const GB = 1e9;

describe('needsExactSizes', () => {
  it('measures browsable copies and raw images always', () => {
    expect(needsExactSizes('browsable', undefined, 1 * GB, [1000 * GB])).toBe(true);
    expect(needsExactSizes('image', 'raw', 1 * GB, [1000 * GB])).toBe(true);
  });
  it('measures VHD, VHDX and VMDK only when the points need several drives or fill 80 % of one', () => {
    for (const f of ['vhd', 'vhdx', 'vmdk'] as const) {
      expect(needsExactSizes('image', f, 10 * GB, [1000 * GB]), f).toBe(false);
      expect(needsExactSizes('image', f, 800 * GB, [1000 * GB]), f).toBe(false);
      expect(needsExactSizes('image', f, 801 * GB, [1000 * GB]), f).toBe(true);
      expect(needsExactSizes('image', f, 10 * GB, [1000 * GB, 1000 * GB]), f).toBe(true);
    }
  });
});
