// Taking snapshots (recovery points).
import { zfs } from './exec.ts';
import { assertDatasetName, assertSnapshotName, assertSnapshotShortName } from './names.ts';

export async function snapshot(dataset: string, snap: string, opts: { recursive?: boolean; props?: Record<string, string> } = {}): Promise<string> {
  assertDatasetName(dataset);
  assertSnapshotShortName(snap);
  const name = `${dataset}@${snap}`;
  const args = ['snapshot'];
  if (opts.recursive) args.push('-r');
  for (const [k, v] of Object.entries(opts.props ?? {})) args.push('-o', `${k}=${v}`);
  args.push(name);
  await zfs(args, `take point ${name}`);
  return name;
}

/** Guard a point against deletion (retention, a technician) while a unit depends on it. */
export async function hold(snapshotName: string, tag: string): Promise<void> {
  assertSnapshotName(snapshotName);
  assertSnapshotShortName(tag);
  await zfs(['hold', tag, snapshotName], `guard point ${snapshotName}`, [
    { match: /tag already exists/i, code: 'ZFS_EXISTS', message: `Point ${snapshotName} already carries the guard ${tag}.` },
  ]);
}

export async function release(snapshotName: string, tag: string): Promise<void> {
  assertSnapshotName(snapshotName);
  assertSnapshotShortName(tag);
  await zfs(['release', tag, snapshotName], `release the guard on ${snapshotName}`, [
    { match: /no such tag/i, code: 'NOT_FOUND', message: `Point ${snapshotName} carries no guard ${tag}.` },
  ]);
}
