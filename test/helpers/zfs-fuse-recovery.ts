// A deadlocked zfs-fuse, told and restarted: for the test run only (global-lab.ts at its start,
// zfs-watchdog.ts during it). The engine never restarts a daemon on its own.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { AppError } from '../../electron/api/errors.ts';
import { logLine } from '../../electron/system/log.ts';
import { run } from '../../electron/system/run.ts';
import { zfsAnswers } from '../../electron/system/zfs/answers.ts';
import { forgetZfsReady } from '../../electron/system/zfs/daemon.ts';
import { startZfsFuse, zfsFuseMounts, zfsFuseRunning } from '../../electron/system/zfs-fuse/daemon.ts';

/**
 * The zfs-fuse mounts that do not answer a stat within `timeoutMs`. zfs-fuse can deadlock on its
 * own locks while zpool and zfs still answer (its control socket is served by other threads), and
 * then every file access on its datasets waits for good. The stat runs in a child that is killed
 * (SIGKILL: a FUSE wait only yields to a fatal signal), so the caller never hangs.
 */
export async function stuckZfsFuseMounts(timeoutMs = 5000): Promise<string[]> {
  const stuck: string[] = [];
  for (const m of zfsFuseMounts()) {
    const r = await run('stat', ['-t', m], { op: `see whether ${m} answers`, anyExit: true, timeoutMs, killSignal: 'SIGKILL' });
    if (r.timedOut) stuck.push(m);
  }
  return stuck;
}

/**
 * Why a running zfs-fuse counts as deadlocked, and by what it showed (zpool or one of its mounts
 * does not answer), or null when it answers or none runs.
 */
export async function zfsFuseWedgedBy(timeoutMs = 10_000): Promise<{ why: string; by: 'zpool' | 'mounts' } | null> {
  if (!(await zfsFuseRunning())) return null;
  if (!(await zfsAnswers(timeoutMs))) return { why: `zpool did not answer within ${timeoutMs / 1000} s`, by: 'zpool' };
  const stuck = await stuckZfsFuseMounts(timeoutMs);
  return stuck.length ? { why: `its mounts ${stuck.join(', ')} did not answer within ${timeoutMs / 1000} s`, by: 'mounts' } : null;
}

/** zfsFuseWedgedBy's reason alone. */
export async function zfsFuseWedged(timeoutMs = 10_000): Promise<string | null> {
  return (await zfsFuseWedgedBy(timeoutMs))?.why ?? null;
}

/**
 * Aborts the FUSE connections of zfs-fuse's mounts (fusectl's `abort`): every request waiting on
 * them fails at once. A deadlocked daemon can have a thread in the kernel (sync() waiting for a
 * mount that waits for the daemon), and then not even SIGKILL ends it until its connections go.
 */
async function abortZfsFuseConnections(): Promise<void> {
  const ctl = '/sys/fs/fuse/connections';
  if (!existsSync(`${ctl}/`) || readdirSync(ctl).length === 0) await run('mount', ['-t', 'fusectl', 'none', ctl], { op: 'mount fusectl', anyExit: true });
  const minors = new Set(
    readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f[f.indexOf('-') + 1] === 'fuse.zfs')
      .map((f) => f[2].split(':')[1]),
  );
  for (const m of minors) {
    try {
      writeFileSync(`${ctl}/${m}/abort`, '1');
    } catch {
      /* gone meanwhile */
    }
  }
}

/**
 * Kills a zfs-fuse that no longer serves its mounts and starts a new one. Only for a daemon known
 * to be deadlocked (see zfsFuseWedged): whatever it had in flight is lost, as after a crash.
 */
export async function restartZfsFuse(reason: string): Promise<void> {
  logLine('zfs', { op: 'restart zfs-fuse', reason });
  await run('pkill', ['-9', '-x', 'zfs-fuse'], { op: 'kill a deadlocked zfs-fuse', anyExit: true });
  await abortZfsFuseConnections();
  // Wait for it to be gone, zombie included (it still holds its socket until it is reaped).
  const pidsLeft = async () => (await run('pgrep', ['-x', 'zfs-fuse'], { op: 'look for a killed zfs-fuse', anyExit: true })).stdout.split('\n').filter(Boolean);
  let pids = await pidsLeft();
  for (let i = 0; i < 100 && pids.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    pids = await pidsLeft();
  }
  // A zombie whose other threads are still in the kernel still holds the pools' files and the socket.
  const stillThreads = pids.some((pid) => {
    try {
      return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0') > 1;
    } catch {
      return false;
    }
  });
  if (stillThreads || (await zfsFuseRunning())) throw new AppError('ZFS_DAEMON', 'The ZFS service (zfs-fuse) is stuck and could not be stopped; restart the machine.');
  forgetZfsReady();
  await startZfsFuse();
}
