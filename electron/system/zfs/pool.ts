// Creating, importing, exporting and destroying pools. Several devices make one striped pool (R5).
import { AppError } from '../../api/errors.ts';
import { zpool, expectZfs } from './exec.ts';
import { assertPoolName, assertDatasetName } from './names.ts';

export interface CreatePoolOptions {
  mountpoint?: string;
  /** Pool-level -o properties and root-dataset -O properties. */
  poolProps?: Record<string, string>;
  fsProps?: Record<string, string>;
  force?: boolean;
}

function assertDevice(dev: string): void {
  if (typeof dev !== 'string' || !dev.startsWith('/') || /[\s;&|`$<>\\'"]/.test(dev)) {
    throw new AppError('BAD_INPUT', `"${dev}" is not a device path RoundTrip Bench accepts (an absolute path without spaces or symbols).`);
  }
}

export async function createPool(name: string, devices: string[], opts: CreatePoolOptions = {}): Promise<void> {
  assertPoolName(name);
  if (devices.length === 0) throw new AppError('BAD_INPUT', 'A pool needs at least one device.');
  devices.forEach(assertDevice);
  const args = ['create'];
  if (opts.force) args.push('-f');
  if (opts.mountpoint) args.push('-m', opts.mountpoint);
  for (const [k, v] of Object.entries(opts.poolProps ?? {})) args.push('-o', `${k}=${v}`);
  for (const [k, v] of Object.entries(opts.fsProps ?? {})) args.push('-O', `${k}=${v}`);
  args.push(name, ...devices);
  await zpool(args, `create pool ${name}`, [
    expectZfs('DRIVE_BUSY', /is part of (active|exported|potentially active) pool|contains a filesystem|is in use/i, 'A device still carries an old pool or filesystem; it must be erased first.'),
    expectZfs('BAD_INPUT', /cannot open|no such file or directory/i, 'A device for the new pool does not exist.'),
  ]);
}

export async function destroyPool(name: string): Promise<void> {
  assertPoolName(name);
  await retryBusy(() => zpool(['destroy', '-f', name], `destroy pool ${name}`));
}

export async function exportPool(name: string, opts: { force?: boolean } = {}): Promise<void> {
  assertPoolName(name);
  await retryBusy(() => zpool(['export', ...(opts.force ? ['-f'] : []), name], `export pool ${name}`));
}

/** Import by name, searching `dirs` (directories of devices or files; -d may repeat). */
export async function importPool(name: string, opts: { dirs?: string[]; newName?: string; altroot?: string; force?: boolean; readonly?: boolean } = {}): Promise<void> {
  assertPoolName(name);
  if (opts.newName) assertPoolName(opts.newName);
  const args = ['import'];
  for (const d of opts.dirs ?? []) {
    assertDevice(d);
    args.push('-d', d);
  }
  if (opts.force) args.push('-f');
  if (opts.altroot) args.push('-R', opts.altroot);
  if (opts.readonly) args.push('-o', 'readonly=on');
  args.push(name);
  if (opts.newName) args.push(opts.newName);
  await zpool(args, `import pool ${name}`, [
    expectZfs('ZFS_NO_POOL', /no such pool available|cannot import .*: no such pool/i, `No pool named ${name} was found on the given devices.`),
  ]);
}

/** Pools that could be imported from `dirs`, by name. */
export async function importablePools(dirs: string[]): Promise<string[]> {
  dirs.forEach(assertDevice);
  const r = await zpool(['import', ...dirs.flatMap((d) => ['-d', d])], 'look for pools to import', [], { okCodes: [1] });
  return [...r.stdout.matchAll(/^\s*pool:\s*(\S+)/gm)].map((m) => m[1]);
}

export async function scrubPool(name: string): Promise<void> {
  assertPoolName(name);
  await zpool(['scrub', name], `scrub pool ${name}`);
}

/** zfs-fuse sometimes answers "busy" for a second or two after an unmount: retry briefly. */
export async function retryBusy<T>(fn: () => Promise<T>, tries = 10, delayMs = 500): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'ZFS_BUSY' || i >= tries - 1) throw e;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

export { assertDatasetName };
