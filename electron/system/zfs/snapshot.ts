// Taking snapshots (recovery points).
import { zfs } from './exec.ts';
import { assertDatasetName, assertSnapshotShortName } from './names.ts';

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
