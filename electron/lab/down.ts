// `lab down`: removes exactly what `lab up` recorded — mounts, pools, loop devices, files — and nothing else.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { unregisterSites } from '../appliance/default-sites.ts';
import { unregisterDrives } from '../drives/registered-drives.ts';
import { detachLoop, listLoops } from '../system/loop.ts';
import { listMounts, unmount } from '../system/mount.ts';
import { destroyPool, poolExists } from '../system/zfs/index.ts';
import { readState, statePath } from './state.ts';
import { resolveLabDir } from './lab-dir.ts';

export async function labDown(opts: { dir?: string } = {}): Promise<{ removed: { pools: string[]; loops: string[]; files: string[]; mounts: string[] } }> {
  const dir = resolveLabDir(opts.dir);
  const state = readState(dir);
  const removed = { pools: [] as string[], loops: [] as string[], files: [] as string[], mounts: [] as string[] };
  if (!state) return { removed };

  // Mounts first: what the state recorded, and anything mounted below the lab's directory.
  const below = listMounts()
    .map((m) => m.target)
    .filter((t) => t.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const m of [...new Set([...state.mounts, ...below])]) {
    const mine = state.pools.some((p) => listMounts().some((x) => x.target === m && x.source.startsWith(p)));
    if (mine) continue; // pool datasets go with the pool
    await unmount(m, { lazyLastResort: true });
    removed.mounts.push(m);
  }
  for (const p of state.pools) {
    if (await poolExists(p)) {
      await destroyPool(p);
      removed.pools.push(p);
    }
  }
  // Detach only a loop device still backed by the file the lab attached to it.
  const loops = await listLoops();
  for (const l of state.loops) {
    if (loops.some((x) => x.device === l.device && x.backingFile === l.file)) {
      await detachLoop(l.device);
      removed.loops.push(l.device);
    }
  }
  unregisterDrives(state.loops.map((l) => l.device));
  for (const f of state.files) {
    if (existsSync(f)) {
      rmSync(f, { force: true });
      removed.files.push(f);
    }
  }
  for (const sub of ['work', 'mnt']) rmSync(join(dir, sub), { recursive: true, force: true });
  rmSync(join(dir, 'README.txt'), { force: true });
  unregisterSites(dir);
  rmSync(statePath(dir), { force: true });
  if (state.createdDir && readdirSync(dir).length === 0) rmdirSync(dir);
  return { removed };
}
