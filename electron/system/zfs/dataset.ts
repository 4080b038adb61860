// Datasets: create, destroy, clone, rollback, rename, mount.
import { AppError } from '../../api/errors.ts';
import { zfs, expectZfs } from './exec.ts';
import { assertDatasetName, assertSnapshotName } from './names.ts';
import { retryBusy } from './pool.ts';

export async function createDataset(name: string, props: Record<string, string> = {}, opts: { parents?: boolean } = {}): Promise<void> {
  assertDatasetName(name);
  const args = ['create'];
  if (opts.parents) args.push('-p');
  for (const [k, v] of Object.entries(props)) args.push('-o', `${k}=${v}`);
  args.push(name);
  await zfs(args, `create dataset ${name}`);
}

/** Destroys a dataset or snapshot; `recursive` also its children and snapshots. */
export async function destroy(name: string, opts: { recursive?: boolean } = {}): Promise<void> {
  if (name.includes('@')) assertSnapshotName(name);
  else assertDatasetName(name);
  await retryBusy(() => zfs(['destroy', ...(opts.recursive ? ['-r'] : []), name], `destroy ${name}`));
}

export async function clone(snapshot: string, target: string, props: Record<string, string> = {}): Promise<void> {
  assertSnapshotName(snapshot);
  assertDatasetName(target);
  const args = ['clone'];
  for (const [k, v] of Object.entries(props)) args.push('-o', `${k}=${v}`);
  args.push(snapshot, target);
  await zfs(args, `clone ${snapshot} to ${target}`);
}

/** Roll a dataset back to a snapshot; `destroyNewer` (-r) removes the later snapshots. Merge-back only, never on a source. */
export async function rollback(snapshot: string, opts: { destroyNewer?: boolean } = {}): Promise<void> {
  assertSnapshotName(snapshot);
  await zfs(['rollback', ...(opts.destroyNewer ? ['-r'] : []), snapshot], `roll back to ${snapshot}`, [
    expectZfs('MERGE_NEWER_POINTS', /more recent snapshots exist/i, 'Newer points exist after that point; rolling back would remove them.'),
  ]);
}

export async function rename(from: string, to: string): Promise<void> {
  if (from.includes('@')) {
    assertSnapshotName(from);
    assertSnapshotName(to);
  } else {
    assertDatasetName(from);
    assertDatasetName(to);
  }
  await retryBusy(() => zfs(['rename', from, to], `rename ${from} to ${to}`));
}

export async function mount(name: string): Promise<void> {
  assertDatasetName(name);
  const r = await zfs(['mount', name], `mount ${name}`, [], { okCodes: [1] });
  // "already mounted" is the state we wanted.
  if (r.exitCode !== 0 && !/already mounted/i.test(r.stderr)) {
    throw new AppError('TOOL_FAILED', `zfs could not mount ${name}.`, { detail: r.stderr });
  }
}

export async function unmount(name: string): Promise<void> {
  assertDatasetName(name);
  await retryBusy(() => zfs(['unmount', name], `unmount ${name}`));
}
