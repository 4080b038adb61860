// Runs zfs/zpool after making sure the service is up, with the failures every zfs call may meet
// mapped to codes. Wrappers add their own expectations in front of these.
import { AppError, type ErrorCode } from '../../api/errors.ts';
import { run, type RunOptions, type RunResult } from '../run.ts';
import { ensureZfs, forgetZfsReady } from './daemon.ts';

type Expect = NonNullable<RunOptions['expect']>[number];

const COMMON: Expect[] = [
  { match: /dataset does not exist|could not find any snapshots|no such (dataset|snapshot)/i, code: 'ZFS_NO_DATASET', message: 'That dataset or snapshot does not exist.' },
  { match: /no such pool|pool .* does not exist/i, code: 'ZFS_NO_POOL', message: 'That pool does not exist or is not imported.' },
  { match: /dataset already exists|pool already exists|already exists/i, code: 'ZFS_EXISTS', message: 'A dataset, snapshot or pool with that name already exists.' },
  { match: /dataset is busy|pool is busy|device busy|is busy/i, code: 'ZFS_BUSY', message: 'ZFS says the dataset is busy: something still uses it.' },
  { match: /out of space|no space left/i, code: 'ZFS_NO_SPACE', message: 'The pool is out of space.' },
  { match: /Please make sure that the zfs-fuse daemon is running|failed to initialize ZFS library/i, code: 'ZFS_DAEMON', message: 'The ZFS service is not running.' },
];

export function expectZfs(code: ErrorCode, match: RegExp, message: string, hint?: string): Expect {
  return { match, code, message, hint };
}

/** Runs once more after restarting the daemon when it was found gone (zfs-fuse can crash). */
async function withDaemon(tool: 'zfs' | 'zpool', args: string[], op: string, extra: Expect[], opts: Partial<RunOptions>): Promise<RunResult> {
  await ensureZfs();
  try {
    return await run(tool, args, { ...opts, op, expect: [...extra, ...COMMON] });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'ZFS_DAEMON') throw e;
    forgetZfsReady();
    await ensureZfs();
    return run(tool, args, { ...opts, op, expect: [...extra, ...COMMON] });
  }
}

export function zfs(args: string[], op: string, extra: Expect[] = [], opts: Partial<RunOptions> = {}): Promise<RunResult> {
  return withDaemon('zfs', args, op, extra, opts);
}

export function zpool(args: string[], op: string, extra: Expect[] = [], opts: Partial<RunOptions> = {}): Promise<RunResult> {
  return withDaemon('zpool', args, op, extra, opts);
}
