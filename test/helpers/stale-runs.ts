// What an earlier test run left behind when it was killed before its cleanup (a CI time limit, its
// shell closed mid-run): its temp directories under /tmp/rt-*, their loop devices, mounts and
// zfs-fuse pools (the daemon imports them again from its cache, and their 300-point labs slow
// every zpool call). Removed before this run starts, but only when no other test run or engine is
// running, and only what lives in such a directory: never a device a test did not make.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { isPresent } from '../../electron/drives/sysfs.ts';
import { listLoops } from '../../electron/system/loop.ts';
import { listMounts } from '../../electron/system/mount.ts';
import { procStatFields } from '../../electron/system/proc-stat.ts';
import { zfsCmd } from './zfs-cmd.ts';

/** The directories tests make with mkdtemp (six random characters at the end)... */
const TEST_DIR = /^rt-[a-z0-9-]+-[A-Za-z0-9]{6}$/;
/** ...but not the engine's own (a drive's metadata partition mounted in rt-meta-*, the probe's pool). */
const ENGINE_DIR = /^rt-(meta|probe)-/;

/** This process and the ones that started it (npm, sh -c "... vitest run", timeout). */
function ancestors(): Set<string> {
  const out = new Set<string>();
  let pid = String(process.pid);
  while (pid && pid !== '0' && !out.has(pid)) {
    out.add(pid);
    pid = procStatFields(pid)?.[1] ?? '';
  }
  return out;
}

/** Another vitest run, a bench or an engine (CLI, serve) on this machine, besides this run. */
async function othersRunning(): Promise<boolean> {
  const r = await execa('pgrep', ['-f', 'vitest|roundtrip'], { reject: false });
  const mine = ancestors();
  return r.stdout.split('\n').filter((p) => p && !mine.has(p)).length > 0;
}

/** The pools with the tests' prefix (`rt`), their health and the paths of their vdevs. */
async function testPools(): Promise<Array<{ name: string; health: string; vdevs: string[] }>> {
  const list = await zfsCmd('zpool', ['list', '-H', '-o', 'name,health'], { reject: false });
  const pools = [];
  for (const line of list.stdout.split('\n')) {
    const [name, health] = line.split('\t');
    if (!name?.startsWith('rt')) continue;
    const status = await zfsCmd('zpool', ['status', name], { reject: false });
    pools.push({ name, health, vdevs: [...status.stdout.matchAll(/^\s+(\/\S+)\s/gm)].map((m) => m[1]) });
  }
  return pools;
}

/** Test pools with a vdev inside `dirs`, directly or through a loop device over a file there. */
async function poolsWithin(dirs: string[], loopDevs: string[]): Promise<string[]> {
  const inside = (v: string) => dirs.some((d) => v.startsWith(`${d}/`)) || loopDevs.some((l) => v === l || v.startsWith(`${l}p`));
  return (await testPools()).filter((p) => p.vdevs.some(inside)).map((p) => p.name);
}

/**
 * Pools of earlier test runs whose files are gone (the run was killed before its cleanup, and the
 * daemon imported them again from its cache) are listed as FAULTED for ever and slow every zpool
 * call. Only pools with the tests' own prefix and no vdev left on disk are exported (forgotten).
 */
export async function forgetDeadTestPools(): Promise<void> {
  const alive = (v: string) => (v.startsWith('/dev/') ? isPresent(v) : existsSync(v));
  for (const p of await testPools()) {
    if ((p.health !== 'FAULTED' && p.health !== 'UNAVAIL') || p.vdevs.length === 0 || p.vdevs.some(alive)) continue;
    console.warn(`test setup: forgetting the dead test pool ${p.name} (its files are gone)`);
    await zfsCmd('zpool', ['export', '-f', p.name], { reject: false });
  }
}

/** Removes the leftovers of killed runs; returns what it removed, for the log. */
export async function removeStaleTestLeftovers(): Promise<string[]> {
  const tmp = tmpdir();
  const dirs = readdirSync(tmp)
    .filter((n) => TEST_DIR.test(n) && !ENGINE_DIR.test(n))
    .map((n) => join(tmp, n))
    .filter((d) => statSync(d).isDirectory());
  if (dirs.length === 0 || (await othersRunning())) return [];
  const inside = (p: string) => dirs.some((d) => p === d || p.startsWith(`${d}/`));
  const removed: string[] = [];
  const loopDevs = (await listLoops()).filter((l) => inside(l.backingFile)).map((l) => l.device);
  for (const pool of await poolsWithin(dirs, loopDevs)) {
    await zfsCmd('zpool', ['destroy', '-f', pool], { reject: false });
    removed.push(`pool ${pool}`);
  }
  // Deepest first, so a mount inside another goes before it.
  const mounts = listMounts()
    .filter((m) => inside(m.target) || loopDevs.some((d) => m.source === d || m.source.startsWith(`${d}p`)))
    .map((m) => m.target)
    .sort()
    .reverse();
  for (const m of mounts) {
    await execa('umount', ['-l', m], { reject: false });
    removed.push(`mount ${m}`);
  }
  for (const l of loopDevs) {
    await execa('losetup', ['-d', l], { reject: false });
    removed.push(`loop ${l}`);
  }
  // A directory with a mount still inside is left as it is: removing it would erase what is mounted.
  const stillMounted = listMounts().map((m) => m.target);
  for (const d of dirs) {
    if (stillMounted.some((t) => t === d || t.startsWith(`${d}/`))) {
      removed.push(`(left ${d}: something is still mounted in it)`);
      continue;
    }
    if (existsSync(d)) rmSync(d, { recursive: true, force: true });
    removed.push(`dir ${d}`);
  }
  return removed;
}
