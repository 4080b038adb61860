// A timed run starts on a quiet machine: nothing left dirty in the page cache by the run before
// (the loop devices' backing files live there), and zfs-fuse done with its background work (after
// the lab is built it writes and frees for a while, taking a good part of one of the two cores,
// which costs a multi-threaded copy more than a single-threaded peer).
import { readFileSync } from 'node:fs';
import { execa } from 'execa';

function cpuTicks(pid: string): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
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
