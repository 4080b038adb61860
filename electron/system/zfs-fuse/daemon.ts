// zfs-fuse's user-space daemon, started when zpool does not answer (ensureZfs): an exclusive lock
// directory stops two processes racing each other, and a live zfs-fuse process is never started twice.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { AppError } from '../../api/errors.ts';
import { logLine } from '../log.ts';
import { listMounts } from '../mount.ts';
import { run } from '../run.ts';
import { zfsAnswers } from '../zfs/answers.ts';

const LOCK_DIR = '/run/roundtrip-zfs-fuse.lock';
const PID_FILE = '/run/zfs-fuse.pid';

/** A zfs-fuse process runs (a zombie, killed and not yet reaped, does not: -r). */
export async function zfsFuseRunning(): Promise<boolean> {
  const r = await run('pgrep', ['-x', '-r', 'R,S,D,T,I', 'zfs-fuse'], { op: 'look for the zfs-fuse daemon', anyExit: true });
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

/** The mountpoints of the datasets zfs-fuse has mounted, deepest first. */
export function zfsFuseMounts(): string[] {
  return listMounts()
    .filter((m) => m.fstype === 'fuse.zfs')
    .map((m) => m.target)
    .sort()
    .reverse();
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
    await run('umount', ['-l', '/zfs-kstat'], { op: 'unmount a dead zfs-fuse daemon\'s kstat', anyExit: true });
  }
  // The dead daemon's dataset mounts answer nothing any more; the new one mounts them again.
  for (const target of zfsFuseMounts()) await run('umount', ['-l', target], { op: `unmount ${target} of a dead zfs-fuse daemon`, anyExit: true });
}

/** Starts the daemon unless one runs, and waits until zpool answers. */
export async function startZfsFuse(): Promise<void> {
  const release = await takeLock();
  try {
    if (await zfsFuseRunning()) {
      // Started by someone else (or still coming up): wait for it to answer.
    } else {
      logLine('zfs', { op: 'start zfs-fuse daemon' });
      await clearDeadDaemonLeftovers();
      // No kstat mount: a FUSE mount the daemon leaves behind when it dies only gets in the way.
      const r = await run('zfs-fuse', ['-p', PID_FILE, '--no-kstat-mount'], { op: 'start the zfs-fuse daemon', anyExit: true });
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
