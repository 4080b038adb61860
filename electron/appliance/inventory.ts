// Reading protected systems and their points from real pools: the effectful side of the chain
// module's inventory. Systems are the datasets directly under a pool that carry roundtrip:kind.
import { AppError } from '../api/errors.ts';
import type { Point, SystemInventory, SystemKind } from '../chain/types.ts';
import { getUserProps, listDatasets, listSnapshots, datasetExists, type SnapshotInfo } from '../system/zfs/index.ts';
import { applyOffsiteAudit } from '../chain/audit.ts';
import { readRemoteOffsite } from './remote-offsite.ts';
import type { Sites } from './sites.ts';

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
    // A job's temporary reading clone (POOL/rtread-…) can be destroyed between the listing and
    // this look: gone is not a system, and never a reason to fail the whole inventory.
    const props = await getUserProps(ds.name).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'ZFS_NO_DATASET') return null;
      throw e;
    });
    if (!props) continue;
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
 * Inventories of every protected system on the appliance (`sites.appliance`), with offsite points
 * read from the dataset of the same name under `sites.offsite`: a local pool, or another ZFS host
 * over ssh when `sites.offsiteHost` is set, or an imported audit list (`sites.offsiteAudit`, whose
 * warnings go to `warnings`).
 */
export async function readInventories(sites: Sites, warnings?: string[]): Promise<Array<SystemInventory & { dataset: string; encrypted: boolean }>> {
  const systems = await listProtectedSystems(sites.appliance);
  const remote = sites.offsiteHost && sites.offsite ? await readRemoteOffsite({ host: sites.offsiteHost, root: sites.offsite }) : null;
  const out = [];
  for (const s of systems) {
    out.push({
      system: s.name,
      kind: s.kind,
      dataset: s.dataset,
      encrypted: s.encrypted,
      local: await pointsOf(s.dataset),
      offsite: remote ? (remote.get(s.name) ?? []).map(snapshotToPoint) : sites.offsite ? await pointsOf(`${sites.offsite}/${s.name}`) : [],
    });
  }
  if (!sites.offsiteAudit) return out;
  const applied = applyOffsiteAudit(out, sites.offsiteAudit);
  warnings?.push(...applied.warnings);
  return out.map((inv, i) => ({ ...inv, offsite: applied.inventories[i].offsite }));
}

/** Each system a ticket selects with its inventory, in the ticket's order; one not on the appliance is NOT_FOUND. */
export function selectedInventories<S extends { name: string }, I extends { system: string }>(selected: readonly S[], invs: readonly I[], ticketId: string, appliance: string): Array<{ sel: S; inv: I }> {
  return selected.map((sel) => {
    const inv = invs.find((i) => i.system === sel.name);
    if (!inv) throw new AppError('NOT_FOUND', `Protected system ${sel.name} of ticket ${ticketId} is not on the appliance ${appliance}.`);
    return { sel, inv };
  });
}
