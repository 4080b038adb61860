// A guard for the whole test run: if zfs-fuse deadlocks anyway (its mounts or zpool stop answering
// for minutes), every test that touches it would wait for good and the run would end only at CI's
// time limit, with nothing said. Instead: print what the kernel shows (the stacks of the tasks in
// uninterruptible sleep, which name the deadlock), then restart zfs-fuse, aborting its FUSE
// connections so every waiting call fails. The tests that were waiting then fail with errors and
// the run ends, red but with the reason in its log.
import { readdirSync, readFileSync } from 'node:fs';
import { procStatFields } from '../../electron/system/proc-stat.ts';
import { restartZfsFuse, zfsFuseWedgedBy } from './zfs-fuse-recovery.ts';
import { recordRunEvent } from './run-events.ts';

/** How often to look, how long one answer may take, and how many stuck looks in a row count. */
const EVERY_MS = 30_000;
const ANSWER_MS = 60_000;
const STUCK_LOOKS = 3;

/** Each task in state D with its command and kernel stack; '' when there is none. */
export function stuckTaskStacks(): string {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        if (procStatFields(pid, tid)?.[0] !== 'D') continue;
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 300);
        let stack = '';
        try {
          stack = readFileSync(`/proc/${pid}/task/${tid}/stack`, 'utf8');
        } catch {
          stack = '(no stack)';
        }
        out.push(`task ${pid}/${tid}: ${cmd}\n${stack}`);
      } catch {
        /* ended meanwhile */
      }
    }
  }
  return out.join('\n');
}

/** Starts looking; returns the function that stops it. */
export function startZfsWatchdog(): () => void {
  let stuckLooks = 0;
  let busy = false;
  let stopped = false;
  const look = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const wedged = await zfsFuseWedgedBy(ANSWER_MS);
      const why = wedged?.why ?? null;
      const stacks = why ? stuckTaskStacks() : '';
      // A mount that does not answer a stat for a minute is stuck, whatever else shows: zfs-fuse's
      // listener deadlock (docs/foundation.md, the mount lock) leaves no task in D state once the
      // stat is killed, so a watchdog that waited for such tasks would look on while the run hangs.
      // zpool not answering counts only with tasks waiting in the kernel: a long zpool destroy holds
      // zfs-fuse's namespace lock for a while, slow but not stuck.
      stuckLooks = wedged && (wedged.by === 'mounts' || stacks) ? stuckLooks + 1 : 0;
      if (stuckLooks >= STUCK_LOOKS && !stopped) {
        console.error(`\nzfs watchdog: zfs-fuse is stuck (${why}, ${STUCK_LOOKS} looks in a row). Kernel stacks:\n${stacks || '(no task waits in the kernel)'}`);
        const first = stacks.split('\n').find((l) => l.startsWith('task ')) ?? '(no task waits in the kernel)';
        recordRunEvent(`zfs watchdog: zfs-fuse stuck (${why}); first stuck task: ${first}`);
        await restartZfsFuse(`test watchdog: ${why}`);
        console.error('zfs watchdog: zfs-fuse restarted; the tests that were waiting on it fail now.');
        recordRunEvent('zfs watchdog: zfs-fuse restarted');
        stuckLooks = 0;
      }
    } catch (e) {
      console.error(`zfs watchdog: ${(e as Error).message}`);
      recordRunEvent(`zfs watchdog failed: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void look(), EVERY_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
