// Makes sure zfs and zpool answer before the engine's first zfs command, once per process (one
// promise). OpenZFS needs nothing started; zfs-fuse needs its user-space daemon, which its own
// folder starts (system/zfs-fuse/daemon.ts, loaded only there).
import { AppError } from '../../api/errors.ts';
import { hasTool } from '../run.ts';
import { zfsAnswers } from './answers.ts';
import { useZfsCommandDecorator, zfsFlavor, type ZfsFlavor } from './flavor.ts';

let ready: Promise<ZfsFlavor> | null = null;

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
        const { startZfsFuse } = await import('../zfs-fuse/daemon.ts');
        await startZfsFuse();
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
