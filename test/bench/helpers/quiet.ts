// A timed run starts on a quiet machine: nothing left dirty in the page cache by the run before
// (the loop devices' backing files live there), and zfs-fuse done with its background work (after
// the lab is built it writes and frees for a while, taking a good part of one of the two cores,
// which costs a multi-threaded copy more than a single-threaded peer), and memory to write into that
// this VM has not handed back to its host (warmFreeMemory).
import { procStatFields } from '../../../electron/system/proc-stat.ts';
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import { freemem } from 'node:os';

function cpuTicks(pid: string): number {
  const f = procStatFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : 0; // utime + stime
}

/**
 * `sync`, then waits (at most `maxMs`) until zfs-fuse used under 2 % of a core for a second, then
 * leaves free memory the VM has not handed back to its host (warmFreeMemory).
 */
export async function quietMachine(maxMs = 20_000): Promise<void> {
  await execa('sync');
  const pid = (await execa('pgrep', ['-x', 'zfs-fuse'], { reject: false })).stdout.split('\n')[0];
  if (pid) await zfsFuseIdle(pid, maxMs);
  await warmFreeMemory();
}

async function zfsFuseIdle(pid: string, maxMs: number): Promise<void> {
  const end = Date.now() + maxMs;
  let last = cpuTicks(pid);
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuTicks(pid);
    if (now - last < 2) return; // ticks are 10 ms: under 20 ms of CPU in the last second
    last = now;
  }
}

/** Free memory a timed run can write into before the VM hands it back: more than any run writes. */
const WARM_MIB = 2048;

/**
 * Writes WARM_MIB into a file on /dev/shm and removes it, so the run that starts next writes into
 * memory freed a moment ago, whichever side it is and whatever ran before. This VM hands memory
 * freed for a few seconds back to its host (free page reporting), and writing into handed-back
 * memory from both cores at once is up to 4x slower (docs/sync.md); without this the run that goes
 * first in a pair, right after the previous pair's outputs were removed, is 2-3x faster than the
 * second. With it, that split is gone (both sides 0.54-0.91 s in every browsable pair on the
 * development VM), which says the run does write into this memory; why the kernel hands it out
 * before the memory it reported earlier is not known. On a machine that is not a VM this costs a
 * second and changes nothing.
 */
async function warmFreeMemory(): Promise<void> {
  const file = `/dev/shm/rt-bench-warm-${process.pid}`;
  // Never more than a quarter of the free memory: on a small machine this must not push anything out.
  const mib = Math.min(WARM_MIB, Math.floor(freemem() / 4 / 2 ** 20));
  try {
    await execa('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${mib}`, 'status=none']);
  } finally {
    rmSync(file, { force: true });
  }
}
