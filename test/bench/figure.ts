// What every bench file gives `npm run bench`: named figures, each with its unit.
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** Megabytes (10^6 bytes) per second over `seconds`. */
export function mbPerSecond(bytes: number, seconds: number): number {
  return Math.round((bytes / 1e6 / seconds) * 10) / 10;
}

/**
 * Each timed run of a pair of sides, to stderr, when `npm run bench -- --runs` asked for them: which
 * runs were the best, and how far apart the rest were.
 */
export function logRuns(figure: string, sides: Record<string, number[]>): void {
  if (process.env.ROUNDTRIP_BENCH_RUNS !== '1') return;
  const names = Object.keys(sides);
  const n = Math.max(...names.map((k) => sides[k].length));
  for (let i = 0; i < n; i++) {
    process.stderr.write(`${figure} run ${i}: ${names.map((k) => `${k} ${sides[k][i] === undefined ? '-' : `${sides[k][i].toFixed(3)} s`}`).join(', ')}\n`);
  }
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 1000;
}

/**
 * The median over rounds of peer seconds / our seconds (the same bytes each side): our throughput
 * against the peer's, each round's pair measured one right after the other, so a machine that
 * drifts between rounds slows both. Not moved by one lucky run of either side, as the ratio of the
 * best runs is. Only for a bench whose pairs are alike (the sync bench), not where the second run
 * of a pair is slowed by the first (the files bench, helpers/in-turn.ts).
 */
export function medianPairRatio(peerSeconds: number[], ourSeconds: number[]): number {
  if (peerSeconds.length !== ourSeconds.length || peerSeconds.length === 0) throw new RangeError('one peer time per round of ours');
  const r = peerSeconds.map((p, i) => p / ourSeconds[i]).sort((a, b) => a - b);
  const mid = r.length >> 1;
  const m = r.length % 2 ? r[mid] : (r[mid - 1] + r[mid]) / 2;
  return Math.round(m * 1000) / 1000;
}

/**
 * The best ratio of throughputs (peer seconds / ours) `cores` can allow when ours does all the
 * peer's work (`peerCpuSeconds`, the machine's CPU in the peer's run) and `extraCpuSeconds` more:
 * `cores` do at most `cores` CPU seconds per second, whatever the order of the work, so ours takes
 * at least (peer + extra) / cores. Above 1 when the peer leaves enough of the cores idle.
 */
export function cpuCeilingRatio(peerSeconds: number, peerCpuSeconds: number, extraCpuSeconds: number, cores: number): number {
  if (!(peerSeconds > 0) || !(peerCpuSeconds >= 0) || !(extraCpuSeconds >= 0) || !(cores >= 1)) throw new RangeError('times must be positive and cores at least 1');
  const work = peerCpuSeconds + extraCpuSeconds;
  if (work === 0) return Infinity;
  return Math.round((peerSeconds / (work / cores)) * 1000) / 1000;
}

/** The p-th percentile (0-100) of `xs` by nearest rank, rounded to 3 decimals. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new RangeError('no values');
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return Math.round(sorted[rank - 1] * 1000) / 1000;
}
