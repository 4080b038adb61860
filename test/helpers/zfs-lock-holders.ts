// For the tests of the zfs-fuse locks themselves (system/zfs-fuse/lock.ts, zfs-fuse/receive-lock.ts):
// a lock directory of the file's own, and stand-ins that hold the locks through the real locker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { execa } from 'execa';
import { underZfsLock, zfsFuseGatePath } from '../../electron/system/zfs-fuse/lock.ts';

/**
 * The describe block's own lock files: the other test files' zfs commands and mounts (the other
 * worker) would otherwise take part, and a mount of theirs waiting makes every zfs command here
 * wait too. Call inside the describe.
 */
export function useOwnZfsLockDir(prefix: string): void {
  let lockDir = '';
  beforeAll(() => {
    lockDir = mkdtempSync(join(tmpdir(), `rt-${prefix}-`));
    process.env.ROUNDTRIP_ZFS_LOCK_DIR = lockDir;
  });
  afterAll(() => {
    delete process.env.ROUNDTRIP_ZFS_LOCK_DIR;
    rmSync(lockDir, { recursive: true, force: true });
  });
}

/**
 * Holds the lock in `mode` (and the mount lock with `mounts`) for `ms`, through the real locker, as
 * a kernel mount or a zfs command would; resolves once it is held. `ended`: the wall-clock time (ms)
 * the holder printed just before it let go, so a command that got the lock after it started later
 * (comparing times, not the order in which Node sees the processes end, which can differ).
 */
export async function holdLock(mode: 'shared' | 'exclusive', ms: number, opts: { mounts?: boolean } = {}) {
  // One process (perl), so that killing it lets the lock go at once.
  const script = `$| = 1; print "held\\n"; sleep(${ms / 1000}); printf "%d\\n", time() * 1000;`;
  const l = underZfsLock('perl', ['-MTime::HiRes=time,sleep', '-e', script], mode, opts);
  const child = execa(l.cmd, l.args);
  // flock runs the command only once it has the lock: its first line says so.
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  // NaN when it was killed (a test that kills it does not need the time; one that awaits it fails
  // on NaN), so a holder killed at a test's end is no unhandled rejection.
  const ended = child.then(
    (r) => Number(String(r.stdout).trim().split('\n').pop()),
    () => NaN,
  );
  // Wrapped: an execa child is a promise, and returning it from here would wait for it.
  return { child, ended };
}

/**
 * Starts a command that can mount (a stand-in, under the real locker with the mount lock) and
 * gives the time (ms) it started, NaN if it failed. `timeoutMs`: a lock held for good fails the
 * test instead of hanging it.
 */
export function mounterStartedAt(timeoutMs?: number): Promise<number> {
  const l = underZfsLock('sh', ['-c', 'date +%s%3N'], 'shared', { mounts: true });
  return execa(l.cmd, l.args, { timeout: timeoutMs }).then(
    (r) => Number(r.stdout.trim()),
    () => NaN,
  );
}

/**
 * Resolves once a mount waiting for the lock holds the gate (so zfs commands started from now on
 * queue behind it), as `flock -n` on the gate sees it: a fixed sleep instead was too short on a
 * loaded machine, where starting the mount's locker took longer.
 */
export async function gateHeld(timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  // flock(1): exit 99 when the gate is held by someone else (-E), 0 when it was free (and let go at once).
  while ((await execa('flock', ['-n', '-E', '99', zfsFuseGatePath(), 'true'], { reject: false })).exitCode !== 99) {
    if (Date.now() > end) throw new Error(`no mount took the gate ${zfsFuseGatePath()} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
