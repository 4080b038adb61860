// @vitest-environment happy-dom
// The Run step's bytes per system from a sync's progress items: the system's own item carries its
// estimate, each "SYSTEM@POINT" item one stream's bytes; neither is counted twice.
import { describe, expect, it } from 'vitest';
import { perSystem } from '../../../renderer/screens/ticket/run/JobPanel.tsx';

describe('perSystem', () => {
  it('sums the streams as done against the estimate, and counts streams only', () => {
    const rows = perSystem({
      'WIN-FS01': { done: 0, total: 53_700_000 },
      'WIN-FS01@1': { done: 30_000_000, total: 30_000_000 },
      'WIN-FS01@2': { done: 24_200_000, total: 24_200_000 },
      'LNX-WEB01': { done: 1_000, total: 5_000 },
    });
    expect(rows).toEqual([
      { system: 'WIN-FS01', done: 54_200_000, total: 54_200_000, streams: 2 },
      { system: 'LNX-WEB01', done: 1_000, total: 5_000, streams: 0 },
    ]);
  });

  it('uses the streams\' own totals where the system has no estimate (file syncs)', () => {
    expect(perSystem({ 'A@1': { done: 5, total: 10 }, 'A@2': { done: 0, total: 20 } })).toEqual([{ system: 'A', done: 5, total: 30, streams: 2 }]);
  });
});
