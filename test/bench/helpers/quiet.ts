// A timed run starts on a quiet machine: nothing left dirty in the page cache by the run before
// (the loop devices' backing files live there), and zfs-fuse done with its background work (after
// the lab is built it writes and frees for a while, taking a good part of one of the two cores,
// which costs a multi-threaded copy more than a single-threaded peer).
import { procStatFields } from '../../../electron/system/proc-stat.ts';
import { execa } from 'execa';

function cpuTicks(pid: string): number {
  const f = procStatFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : 0; // utime + stime
}

/** `sync`, then waits (at most `maxMs`) until zfs-fuse used under 2 % of a core for a second. */
export async function quietMachine(maxMs = 20_000): Promise<void> {
  await execa('sync');
  const pid = (await execa('pgrep', ['-x', 'zfs-fuse'], { reject: false })).stdout.split('\n')[0];
  if (!pid) return;
  const end = Date.now() + maxMs;
  let last = cpuTicks(pid);
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuTicks(pid);
    if (now - last < 2) return; // ticks are 10 ms: under 20 ms of CPU in the last second
    last = now;
  }
}
