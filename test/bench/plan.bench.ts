// Benchmark: planning 200 protected systems × 10,000 points each (2 million points) from
// inventories held in memory. Only buildPlan is timed; building the inventories and size tables
// is not. Run with `npm run bench`; the figure is plan_2m_points_ms (median of 3 runs after a warm-up).
import { buildPlan, type PlanInput } from '../../electron/chain/plan.ts';
import type { PointSizes } from '../../electron/chain/sizing.ts';
import type { Point, SystemInventory } from '../../electron/chain/types.ts';
import { GB, MB, TB } from '../../electron/chain/units.ts';

const SYSTEMS = 200;
const POINTS = 10_000;
const T0 = 1_600_000_000;
const STEP = 900; // a point every 15 minutes

function makeInput(): PlanInput {
  const inventories: SystemInventory[] = [];
  const sizes: Record<string, Record<string, PointSizes>> = {};
  for (let s = 0; s < SYSTEMS; s++) {
    const system = `agent-${s}`;
    const local: Point[] = new Array(POINTS);
    const table: Record<string, PointSizes> = {};
    const seed = BigInt(s + 1) * 10n ** 15n;
    for (let i = 0; i < POINTS; i++) {
      const time = T0 + i * STEP;
      const name = String(time);
      local[i] = { name, time, guid: (seed + BigInt(i)).toString(), usedBytes: 1 * MB, referencedBytes: 50 * GB };
      table[name] = { incrementalBytes: 1 * MB + (i % 7) * 100_000, fullBytes: 50 * GB };
    }
    // Offsite holds most of the chain with holes (retention), and lags by a varying number of points.
    const lag = 50 + (s % 20) * 25;
    const offsite = local.slice(0, POINTS - lag).filter((_, i) => i % 3 !== 1).map((p) => ({ ...p }));
    inventories.push({ system, kind: s % 10 === 0 ? 'share' : 'agent', local, offsite });
    sizes[system] = table;
  }
  return {
    ticket: { format: 'zfs', disasterRecovery: false, selections: {}, defaultSelection: { kind: 'newer-than-lock' } },
    inventories,
    sizes,
    drives: [
      { path: '/dev/sdb', sizeBytes: 4 * TB },
      { path: '/dev/sdc', sizeBytes: 4 * TB },
    ],
  };
}

export async function figures(): Promise<Array<{ name: string; value: number; unit: string }>> {
  const input = makeInput();
  buildPlan(input); // warm-up: JIT and inline caches
  const runs: number[] = [];
  let systems = 0;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const plan = buildPlan(input);
    runs.push(performance.now() - t);
    systems = plan.systems.length;
  }
  if (systems !== SYSTEMS) throw new Error(`planned ${systems} systems, expected ${SYSTEMS}`);
  runs.sort((a, b) => a - b);
  return [{ name: 'plan_2m_points_ms', value: Math.round(runs[1] * 10) / 10, unit: 'ms' }];
}
