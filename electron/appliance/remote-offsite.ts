// The offsite side read from another ZFS host over ssh (issue 5: "another ZFS host, local pool or
// ssh"): one `zfs get` of every system's snapshots under the offsite root, with GUIDs, so points are
// matched by GUID exactly as with a local offsite pool. Read-only: nothing is run there but `zfs get`.
import { runOnNas, type NasHost } from '../drives/nas.ts';
import { groupRows, num, parseGetRows } from '../system/zfs/parse.ts';
import { assertDatasetName, splitSnapshot } from '../system/zfs/names.ts';
import type { SnapshotInfo } from '../system/zfs/list.ts';

export interface RemoteOffsite {
  host: NasHost;
  /** The dataset holding one dataset per protected system, on that host. */
  root: string;
}

/** Snapshots per system name (the dataset right under the root), oldest first as ZFS lists them. */
export async function readRemoteOffsite(o: RemoteOffsite): Promise<Map<string, SnapshotInfo[]>> {
  assertDatasetName(o.root);
  // Depth 2: the root's children (systems) and their snapshots, nothing deeper.
  const r = await runOnNas(o.host, ['zfs', 'get', '-Hp', '-d', '2', '-o', 'name,property,value', 'guid,creation,used,referenced', o.root], `read the offsite points under ${o.root}`);
  const out = new Map<string, SnapshotInfo[]>();
  for (const [name, p] of groupRows(parseGetRows(r.stdout))) {
    if (!name.includes('@') || !name.startsWith(`${o.root}/`)) continue;
    const { dataset, snap } = splitSnapshot(name);
    const system = dataset.slice(o.root.length + 1);
    if (system.includes('/')) continue;
    const list = out.get(system) ?? [];
    list.push({ name, dataset, snap, guid: p.guid, creation: num(p.creation) ?? 0, usedBytes: num(p.used) ?? 0, referencedBytes: num(p.referenced) ?? 0 });
    out.set(system, list);
  }
  return out;
}
