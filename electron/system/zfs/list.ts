// Listing pools, datasets and snapshots with numbers as numbers and GUIDs as exact decimal strings
// (they exceed 2^53, and `zfs list -o guid` abbreviates them).
import { parseGetRows, groupRows, num, parseZfsSize } from './parse.ts';
import { zfs, zpool } from './exec.ts';
import { assertDatasetName, assertPoolName, splitSnapshot } from './names.ts';

export interface PoolInfo {
  name: string;
  health: string;
  /** From `zpool list` (abbreviated by zfs-fuse, so approximate). */
  sizeBytes: number;
  allocBytes: number;
  freeBytes: number;
}

export interface DatasetInfo {
  name: string;
  type: 'filesystem' | 'volume' | 'snapshot';
  guid: string;
  usedBytes: number;
  availableBytes: number;
  referencedBytes: number;
  mountpoint?: string;
  mounted?: boolean;
  origin?: string;
  creation: number;
}

export interface SnapshotInfo {
  name: string;
  dataset: string;
  snap: string;
  guid: string;
  creation: number;
  usedBytes: number;
  referencedBytes: number;
}

export async function listPools(): Promise<PoolInfo[]> {
  const r = await zpool(['list', '-H', '-o', 'name,size,alloc,free,health'], 'list pools');
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, size, alloc, free, health] = line.split('\t');
      return { name, health, sizeBytes: parseZfsSize(size) ?? 0, allocBytes: parseZfsSize(alloc) ?? 0, freeBytes: parseZfsSize(free) ?? 0 };
    });
}

export async function poolExists(name: string): Promise<boolean> {
  assertPoolName(name);
  return (await listPools()).some((p) => p.name === name);
}

/** Device paths of a pool's vdevs as `zpool status` names them (files, /dev/... paths). */
export async function poolDevices(name: string): Promise<string[]> {
  assertPoolName(name);
  const r = await zpool(['status', name], `read the status of pool ${name}`);
  const devices: string[] = [];
  let inConfig = false;
  for (const line of r.stdout.split('\n')) {
    if (/^\s*NAME\s+STATE/.test(line)) {
      inConfig = true;
      continue;
    }
    if (!inConfig) continue;
    if (/^\s*errors:/.test(line) || line.trim() === '') {
      if (devices.length) break;
      continue;
    }
    const m = /^\s+(\S+)\s+(ONLINE|DEGRADED|FAULTED|OFFLINE|UNAVAIL|REMOVED)/.exec(line);
    if (!m) continue;
    const dev = m[1];
    if (dev === name || /^(mirror|raidz\d?|spares|logs|cache)(-\d+)?$/.test(dev)) continue;
    devices.push(dev);
  }
  return devices;
}

export async function poolStatusText(name: string): Promise<string> {
  assertPoolName(name);
  return (await zpool(['status', '-v', name], `read the status of pool ${name}`)).stdout;
}

const DATASET_PROPS = ['type', 'guid', 'used', 'available', 'referenced', 'mountpoint', 'mounted', 'origin', 'creation'];

function toDataset(name: string, p: Record<string, string>): DatasetInfo {
  return {
    name,
    type: p.type as DatasetInfo['type'],
    guid: p.guid,
    usedBytes: num(p.used) ?? 0,
    availableBytes: num(p.available) ?? 0,
    referencedBytes: num(p.referenced) ?? 0,
    mountpoint: p.mountpoint && p.mountpoint !== '-' ? p.mountpoint : undefined,
    mounted: p.mounted === 'yes' ? true : p.mounted === 'no' ? false : undefined,
    origin: p.origin && p.origin !== '-' ? p.origin : undefined,
    creation: num(p.creation) ?? 0,
  };
}

/** The dataset and (with depth) its descendants, snapshots excluded. */
export async function listDatasets(root: string, depth?: number): Promise<DatasetInfo[]> {
  assertDatasetName(root);
  const args = ['get', '-Hp', ...(depth === undefined ? ['-r'] : ['-d', String(depth)]), '-o', 'name,property,value', DATASET_PROPS.join(','), root];
  const rows = groupRows(parseGetRows((await zfs(args, `list datasets under ${root}`)).stdout));
  return [...rows].filter(([n]) => !n.includes('@')).map(([n, p]) => toDataset(n, p));
}

export async function getDataset(name: string): Promise<DatasetInfo> {
  const list = await listDatasets(name, 0);
  return list[0];
}

export async function datasetExists(name: string): Promise<boolean> {
  assertDatasetName(name);
  const r = await zfs(['get', '-Hp', '-o', 'name', 'type', name], `check dataset ${name}`, [], { okCodes: [1] });
  return r.exitCode === 0 && r.stdout.trim() === name;
}

/** Snapshots of one dataset, oldest first (the order ZFS created them in). */
export async function listSnapshots(dataset: string): Promise<SnapshotInfo[]> {
  assertDatasetName(dataset);
  const rows = groupRows(
    parseGetRows((await zfs(['get', '-Hp', '-d', '1', '-o', 'name,property,value', 'guid,creation,used,referenced', dataset], `list the points of ${dataset}`)).stdout),
  );
  const out: SnapshotInfo[] = [];
  for (const [name, p] of rows) {
    if (!name.startsWith(dataset + '@')) continue;
    const { snap } = splitSnapshot(name);
    out.push({ name, dataset, snap, guid: p.guid, creation: num(p.creation) ?? 0, usedBytes: num(p.used) ?? 0, referencedBytes: num(p.referenced) ?? 0 });
  }
  return out;
}
