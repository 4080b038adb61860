// `npm run bench -- --runs` prints every timed run of a figure to stderr; without it the bench's
// stderr stays as it was (the --json document on stdout is never touched).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logRuns } from '../../bench/figure.ts';

describe('logRuns', () => {
  const prev = process.env.ROUNDTRIP_BENCH_RUNS;
  afterEach(() => {
    vi.restoreAllMocks();
    if (prev === undefined) delete process.env.ROUNDTRIP_BENCH_RUNS;
    else process.env.ROUNDTRIP_BENCH_RUNS = prev;
  });

  it('prints one line per run, each side\'s seconds beside the other\'s, when --runs asked for them', () => {
    process.env.ROUNDTRIP_BENCH_RUNS = '1';
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true));
    logRuns('browse_copy_vs_cp', { 'cp -a': [0.5, 1.25], ours: [0.75] });
    expect(lines).toEqual(['browse_copy_vs_cp run 0: cp -a 0.500 s, ours 0.750 s\n', 'browse_copy_vs_cp run 1: cp -a 1.250 s, ours -\n']);
  });

  it('prints nothing otherwise', () => {
    delete process.env.ROUNDTRIP_BENCH_RUNS;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    logRuns('browse_copy_vs_cp', { 'cp -a': [0.5], ours: [0.75] });
    expect(write).not.toHaveBeenCalled();
  });
});
