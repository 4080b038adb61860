// The files bench's ceiling for image_export_vs_qemu_img: what the cores allow when ours does the
// peer's work and more.
import { describe, it, expect } from 'vitest';
import { cpuCeilingRatio } from '../../bench/figure.ts';

describe('cpuCeilingRatio', () => {
  it('is the peer\'s time over the least time the cores need for all of our work', () => {
    // The peer: 1.0 s, 1.2 CPU s. Ours adds 1.5 CPU s: 2.7 CPU s on two cores take 1.35 s at least.
    expect(cpuCeilingRatio(1.0, 1.2, 1.5, 2)).toBe(0.741);
  });

  it('is above 1 when the peer leaves the cores idle enough for the extra work', () => {
    // The peer mostly waits for the disk: 2 s, 0.5 CPU s; 0.5 CPU s more fit beside it.
    expect(cpuCeilingRatio(2, 0.5, 0.5, 2)).toBe(4);
  });

  it('counts one core as one', () => {
    expect(cpuCeilingRatio(1, 1, 1, 1)).toBe(0.5);
  });

  it('refuses times and core counts that mean nothing', () => {
    expect(() => cpuCeilingRatio(0, 1, 1, 2)).toThrow(RangeError);
    expect(() => cpuCeilingRatio(1, -1, 1, 2)).toThrow(RangeError);
    expect(() => cpuCeilingRatio(1, 1, Number.NaN, 2)).toThrow(RangeError);
    expect(() => cpuCeilingRatio(1, 1, 1, 0)).toThrow(RangeError);
  });
});
