// Whether ZFS answers at all: asked by ensureZfs, and by zfs-fuse's daemon start while it waits.
import { run } from '../run.ts';

/**
 * Whether zpool answers within `timeoutMs`; killed after it (SIGKILL: a wedged zfs-fuse may hold it
 * in a FUSE wait for good). Not held back by the zfs lock: it asks whether ZFS answers at all.
 */
export async function zfsAnswers(timeoutMs = 30_000): Promise<boolean> {
  const r = await run('zpool', ['list', '-H', '-o', 'name'], { op: 'see whether ZFS answers', anyExit: true, timeoutMs, killSignal: 'SIGKILL', zfsLock: 'none' });
  return r.exitCode === 0;
}
