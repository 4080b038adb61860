// zfs-fuse needs its user-space daemon; OpenZFS does not. Start it when needed, once:
// an in-process promise stops two callers racing here, and an exclusive lock directory stops
// two processes racing each other; a live zfs-fuse process is never started twice.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { AppError } from '../../api/errors.ts';
import { logLine } from '../log.ts';
import { listMounts } from '../mount.ts';
import { hasTool, toolEnv } from '../run.ts';
import { useZfsCommandDecorator, zfsFlavor, type ZfsFlavor } from './flavor.ts';

const LOCK_DIR = '/run/roundtrip-zfs-fuse.lock';
const PID_FILE = '/run/zfs-fuse.pid';
let ready: Promise<ZfsFlavor> | null = null;

async function zfsAnswers(timeoutMs = 30_000): Promise<boolean> {
  const r = await execa('zpool', ['list', '-H', '-o', 'name'], { reject: false, env: toolEnv(), timeout: timeoutMs, killSignal: 'SIGKILL' });
  return r.exitCode === 0;
}

async function fuseDaemonRunning(): Promise<boolean> {
  // -r: a zombie (killed, not yet reaped) is not running.
  const r = await execa('pgrep', ['-x', '-r', 'R,S,D,T,I', 'zfs-fuse'], { reject: false });
  return r.exitCode === 0;
}

async function takeLock(): Promise<() => void> {
  for (let i = 0; i < 200; i++) {
    try {
      mkdirSync(LOCK_DIR);
      return () => {
        try {
          rmdirSync(LOCK_DIR);
        } catch {
          /* already gone */
        }
      };
    } catch {
      // A lock older than a minute belongs to a process that died mid-start.
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > 60_000) rmdirSync(LOCK_DIR);
      } catch {
        /* raced with its owner */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new AppError('ZFS_DAEMON', 'Another program is starting ZFS and did not finish; try again in a minute.');
}

/**
 * A zfs-fuse that died (killed, machine restarted without /run cleared) leaves its pid file,
 * and a new daemon refuses to start while that file exists; it may also leave its kstat FUSE
 * mount. Called only when no zfs-fuse process runs, so both are certainly stale.
 */
async function clearDeadDaemonLeftovers(): Promise<void> {
  if (existsSync(PID_FILE)) {
    logLine('zfs', { op: 'remove stale zfs-fuse pid file', pid: readFileSync(PID_FILE, 'utf8').trim() });
    rmSync(PID_FILE, { force: true });
  }
  if (listMounts().some((m) => m.target === '/zfs-kstat' && m.fstype.startsWith('fuse'))) {
    await execa('umount', ['-l', '/zfs-kstat'], { reject: false });
  }
  // The dead daemon's dataset mounts answer nothing any more; the new one mounts them again.
  for (const target of zfsFuseMounts()) await execa('umount', ['-l', target], { reject: false });
}

async function startFuseDaemon(): Promise<void> {
  const release = await takeLock();
  try {
    if (await fuseDaemonRunning()) {
      // Started by someone else (or still coming up): wait for it to answer.
    } else {
      logLine('zfs', { op: 'start zfs-fuse daemon' });
      await clearDeadDaemonLeftovers();
      // No kstat mount: a FUSE mount the daemon leaves behind when it dies only gets in the way.
      const r = await execa('zfs-fuse', ['-p', PID_FILE, '--no-kstat-mount'], { reject: false, env: toolEnv() });
      if (r.exitCode !== 0) {
        throw new AppError('ZFS_DAEMON', 'The ZFS service (zfs-fuse) could not be started.', { detail: `${r.stderr}\n${r.stdout}` });
      }
    }
    for (let i = 0; i < 100; i++) {
      if (await zfsAnswers()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new AppError('ZFS_DAEMON', 'The ZFS service (zfs-fuse) is running but does not answer.');
  } finally {
    release();
  }
}

/** The mountpoints of the datasets zfs-fuse has mounted, deepest first. */
function zfsFuseMounts(): string[] {
  return listMounts()
    .filter((m) => m.fstype === 'fuse.zfs')
    .map((m) => m.target)
    .sort()
    .reverse();
}

/**
 * The zfs-fuse mounts that do not answer a stat within `timeoutMs`. zfs-fuse can deadlock on its
 * own locks while zpool and zfs still answer (its control socket is served by other threads), and
 * then every file access on its datasets waits for good. The stat runs in a child that is killed
 * (SIGKILL: a FUSE wait only yields to a fatal signal), so the caller never hangs.
 */
export async function stuckZfsFuseMounts(timeoutMs = 5000): Promise<string[]> {
  const stuck: string[] = [];
  for (const m of zfsFuseMounts()) {
    const r = await execa('stat', ['-t', m], { reject: false, timeout: timeoutMs, killSignal: 'SIGKILL' });
    if (r.timedOut) stuck.push(m);
  }
  return stuck;
}

/**
 * Why a running zfs-fuse counts as deadlocked, and by what it showed (zpool or one of its mounts
 * does not answer), or null when it answers or none runs.
 */
export async function zfsFuseWedgedBy(timeoutMs = 10_000): Promise<{ why: string; by: 'zpool' | 'mounts' } | null> {
  if (!(await fuseDaemonRunning())) return null;
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
  if (!existsSync(`${ctl}/`) || readdirSync(ctl).length === 0) await execa('mount', ['-t', 'fusectl', 'none', ctl], { reject: false });
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
  await execa('pkill', ['-9', '-x', 'zfs-fuse'], { reject: false });
  await abortZfsFuseConnections();
  // Wait for it to be gone, zombie included (it still holds its socket until it is reaped).
  const pidsLeft = async () => (await execa('pgrep', ['-x', 'zfs-fuse'], { reject: false })).stdout.split('\n').filter(Boolean);
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
  if (stillThreads || (await fuseDaemonRunning())) throw new AppError('ZFS_DAEMON', 'The ZFS service (zfs-fuse) is stuck and could not be stopped; restart the machine.');
  ready = null;
  await startFuseDaemon();
}

/** After a command found the daemon gone (it can crash): the next ensureZfs() checks and restarts it. */
export function forgetZfsReady(): void {
  ready = null;
}

/** Makes sure zfs/zpool commands work, with the command decorator this ZFS needs. Cheap after the first call. */
export function ensureZfs(): Promise<ZfsFlavor> {
  if (!ready) {
    ready = (async () => {
      await useZfsCommandDecorator();
      if (!(await hasTool('zfs')) || !(await hasTool('zpool'))) {
        throw new AppError('TOOL_MISSING', 'ZFS is not installed on this machine.', { hint: 'Run "npm run setup" as root to install it.' });
      }
      const flavor = zfsFlavor();
      if (await zfsAnswers()) return flavor;
      if (flavor === 'zfs-fuse') {
        await startFuseDaemon();
        return flavor;
      }
      throw new AppError('ZFS_DAEMON', 'ZFS is installed but does not answer; is the zfs kernel module loaded?');
    })();
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}
