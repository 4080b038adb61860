// Reading protected systems and their points from real pools: the effectful side of the chain
// module's inventory. Systems are the datasets directly under a pool that carry roundtrip:kind.
import type { Point, SystemInventory, SystemKind } from '../chain/types.ts';
import { getUserProps, listDatasets, listSnapshots, datasetExists, type SnapshotInfo } from '../system/zfs/index.ts';

export interface ProtectedSystem {
  name: string;
  dataset: string;
  kind: SystemKind;
  encrypted: boolean;
  os?: string;
  volumes: string[];
}

export async function listProtectedSystems(root: string): Promise<ProtectedSystem[]> {
  const out: ProtectedSystem[] = [];
  for (const ds of await listDatasets(root, 1)) {
    if (ds.name === root) continue;
    const props = await getUserProps(ds.name);
    const kind = props['roundtrip:kind'];
    if (kind !== 'agent' && kind !== 'share') continue;
    out.push({
      name: ds.name.slice(root.length + 1),
      dataset: ds.name,
      kind,
      encrypted: props['roundtrip:encrypted'] === 'yes',
      os: props['roundtrip:os'],
      volumes: props['roundtrip:volumes'] ? props['roundtrip:volumes'].split(',').map((v) => v.split(':')[0]) : [],
    });
  }
  return out;
}

/** A snapshot becomes a point: its name is its epoch time; other names keep ZFS's creation time. */
export function snapshotToPoint(s: SnapshotInfo): Point {
  const t = /^\d{9,11}$/.test(s.snap) ? Number(s.snap) : s.creation;
  return { name: s.snap, time: t, guid: s.guid, usedBytes: s.usedBytes, referencedBytes: s.referencedBytes };
}

export async function pointsOf(dataset: string): Promise<Point[]> {
  if (!(await datasetExists(dataset))) return [];
  return (await listSnapshots(dataset)).map(snapshotToPoint);
}

/**
 * Inventories of every protected system under `localRoot`, with offsite points read from the
 * dataset of the same name under `offsiteRoot` (a local pool; NAS hosts over ssh and audit lists
 * are merged in by their own readers).
 */
export async function readInventories(localRoot: string, offsiteRoot?: string): Promise<Array<SystemInventory & { dataset: string; encrypted: boolean }>> {
  const systems = await listProtectedSystems(localRoot);
  const out = [];
  for (const s of systems) {
    out.push({
      system: s.name,
      kind: s.kind,
      dataset: s.dataset,
      encrypted: s.encrypted,
      local: await pointsOf(s.dataset),
      offsite: offsiteRoot ? await pointsOf(`${offsiteRoot}/${s.name}`) : [],
    });
  }
  return out;
}
