// `lab status`: what the lab holds now, checked against the machine.
import { listLoops } from '../system/loop.ts';
import { listSnapshots, poolExists } from '../system/zfs/index.ts';
import { readState, type LabState } from './state.ts';
import { resolveLabDir } from './lab-dir.ts';

export async function labHealthy(state: LabState): Promise<boolean> {
  for (const p of state.pools) if (!(await poolExists(p))) return false;
  const loops = await listLoops();
  return state.loops.every((l) => loops.some((x) => x.device === l.device && x.backingFile === l.file));
}

export interface LabStatus {
  up: boolean;
  healthy: boolean;
  dir: string;
  state: LabState | null;
  systems: Array<LabState['systems'][number] & { newestLocal?: string; newestOffsite?: string }>;
}

export async function labStatus(opts: { dir?: string } = {}): Promise<LabStatus> {
  const dir = resolveLabDir(opts.dir);
  const state = readState(dir);
  if (!state) return { up: false, healthy: false, dir, state: null, systems: [] };
  const healthy = state.complete && (await labHealthy(state));
  const systems = [];
  for (const s of state.systems) {
    if (!healthy) {
      systems.push(s);
      continue;
    }
    const local = await listSnapshots(s.dataset);
    const off = s.offsiteDataset ? await listSnapshots(s.offsiteDataset) : [];
    systems.push({ ...s, localPoints: local.length, offsitePoints: off.length, newestLocal: local.at(-1)?.snap, newestOffsite: off.at(-1)?.snap });
  }
  return { up: true, healthy, dir, state, systems };
}
