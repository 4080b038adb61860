// The sync bench's headline figure: the median over rounds of peer time / our time.
import { describe, it, expect } from 'vitest';
import { medianPairRatio } from '../../bench/figure.ts';

describe('medianPairRatio', () => {
  it('is the middle round\'s ratio, not moved by one lucky run of either side', () => {
    // Round 3 has a lucky peer (0.5 s), round 4 a lucky us (0.5 s): the best-of ratio would be 1.0
    // either way; the median of the pairs says we are at 0.9 of the peer.
    expect(medianPairRatio([0.9, 0.9, 0.5, 0.9, 0.9], [1, 1, 1, 0.5, 1])).toBe(0.9);
  });

  it('takes the mean of the two middle ratios for an even number of rounds', () => {
    expect(medianPairRatio([1, 1, 1, 1], [1, 2, 0.5, 1.25])).toBe(0.9);
  });

  it('refuses rounds that do not pair up', () => {
    expect(() => medianPairRatio([1, 2], [1])).toThrow(RangeError);
    expect(() => medianPairRatio([], [])).toThrow(RangeError);
  });
});
