// zfs and zpool as the tests run them directly: under the engine's zfs lock (shared), so a test's
// own zfs command never meets another file's kernel mount of an image on zfs-fuse (see
// electron/system/zfs-fuse/lock.ts: the two together hang zfs-fuse for good).
import { execa } from 'execa';
import { lockedCommand, underZfsLock } from '../../electron/system/zfs-fuse/lock.ts';

export interface CmdResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** zfs or zpool (shared lock), or a kernel mount of a loop device (the lock alone). Rejects on failure unless reject is false. */
export async function zfsCmd(tool: 'zfs' | 'zpool' | 'mount', args: readonly string[], opts: { reject?: boolean; input?: string } = {}): Promise<CmdResult> {
  const l = tool === 'mount' ? underZfsLock(tool, args, 'exclusive') : lockedCommand(tool, args);
  const r = await execa(l.cmd, l.args, { reject: opts.reject ?? true, input: opts.input });
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}
