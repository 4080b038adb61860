// A browsable copy of one mounted tree onto a unit's filesystem, with a SHA-256 of every file taken
// from the bytes as they are read (one read of the source, no second pass), names mapped for NTFS,
// holes kept (64 KiB pieces of zeros are not written, then the file is cut to its size), and times,
// owner and permissions restored (owner and permissions on ext4 only: ntfs-3g keeps neither).
// Speed: the walk and files up to 1 MiB use direct calls (a thread-pool round trip per call cost
// more than the copy itself for small files); larger files go to worker threads that copy and hash
// them with direct calls too (large-copy-workers.ts), beside the walk, and are flushed in the
// background.
// A file the source cannot read is listed with its error and the copy goes on; a failure of the
// unit (full, gone) stops the copy.
import { createHash } from 'node:crypto';
import { lstat, mkdir, lchown, lutimes, chmod, chown, utimes, rm } from 'node:fs/promises';
import { closeSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, fchmodSync, fchownSync, ftruncateSync, futimesSync, openSync, readSync, writeSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../api/errors.ts';
import type { FileEntry, ProblemEntry } from './file-entry.ts';
import { LargeCopyWorkers, type LargeCopyFailure } from './large-copy-workers.ts';
import { ntfsNamesForDirectory } from './ntfs-names.ts';

// Large files move in 512 KiB chunks: each chunk is read, hashed and written while it is still in
// the core's cache (measured on the bench: 1 MiB chunks cost about 10 % more CPU for the same copy).
export const CHUNK_BYTES = 512 * 1024;
const ZERO = Buffer.alloc(CHUNK_BYTES);

export interface CopyTreeOptions {
  /** The unit is NTFS: names are mapped, owner and permissions are not set. */
  ntfs: boolean;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
  /** Paths (relative, `/`-separated) left out, e.g. the appliance's own `.roundtrip` folder of a share. */
  exclude?: (rel: string) => boolean;
  /** Large files copied at the same time (worker threads). */
  concurrency?: number;
}

export interface CopyTreeResult {
  files: FileEntry[];
  unreadable: ProblemEntry[];
  skipped: ProblemEntry[];
  bytes: number;
  renamed: number;
}

/** Errors of the unit's side: they end the job. Errors of the source's side are listed per file. */
class TargetError extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException, readonly path: string) {
    super(cause.message);
  }
}

/** Errors libuv has no name for (Node says "Unknown system error -117"). */
const ERRNO: Record<number, [string, string]> = {
  [-117]: ['EUCLEAN', 'the source filesystem is damaged here (structure needs cleaning)'],
  [-74]: ['EBADMSG', 'the source filesystem is damaged here (bad message)'],
};

export function errText(e: unknown): string {
  const x = e as NodeJS.ErrnoException;
  if (typeof x?.errno === 'number' && ERRNO[x.errno]) return `${ERRNO[x.errno][0]}: ${ERRNO[x.errno][1]}`;
  return x?.code ? `${x.code}: ${x.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}` : String(e);
}

/** Names of the unit's failures that are per file (the name or path cannot be held), not the unit's end. */
const PER_FILE_TARGET = new Set(['ENAMETOOLONG', 'EINVAL', 'EILSEQ']);

export function targetFailure(e: NodeJS.ErrnoException, path: string, step?: string): AppError {
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new AppError('TARGET_FULL', 'The unit is full: this point does not fit on the drive it was planned for.', {
      step,
      detail: `${path}: ${e.message}`,
      hint: 'Add a drive or choose fewer points, then run the sync again. Nothing on the source was changed.',
    });
  }
  if (['EIO', 'ENODEV', 'ENXIO', 'ENOTCONN', 'EROFS', 'ESHUTDOWN'].includes(e.code ?? '')) {
    return new AppError('TARGET_GONE', 'The unit stopped answering while files were written to it.', {
      step,
      detail: `${path}: ${e.message}`,
      hint: "Check the drive's cable and power, plug it in again, then run the sync with --resume.",
    });
  }
  return new AppError('TOOL_FAILED', `Writing to the unit failed (${e.code ?? 'error'}).`, { step, detail: `${path}: ${e.message}` });
}

function mtimeNs(st: BigIntStats): string {
  return st.mtimeNs.toString();
}

/**
 * Seconds for utimes, which passes a double and truncates it to a timespec: a double keeps about
 * a quarter microsecond at today's times, so the value is nudged up until truncation gives back the
 * source's microsecond. Times are kept to the microsecond (NTFS keeps 100 ns anyway).
 */
export function utimesSeconds(ns: bigint): number {
  const us = ns / 1000n;
  const wholeSec = Number(us / 1_000_000n);
  const wantNs = Number(us % 1_000_000n) * 1000;
  let d = Number(us) / 1e6;
  if (d < 1) return d;
  const ulp = 2 ** (Math.floor(Math.log2(d)) - 52);
  for (let i = 0; i < 8 && Math.trunc(d) === wholeSec && Math.trunc((d - Math.trunc(d)) * 1e9) < wantNs; i++) d += ulp;
  return d;
}

/** Holes are kept at this granularity: a piece of zeros is not written (the file system leaves a hole). */
const PIECE_BYTES = 64 * 1024;

/** The runs of `buf[0..n)` that hold data, as [start, end) pairs: zero pieces are left out. */
function dataRuns(buf: Buffer, n: number): Array<[number, number]> {
  if (n === CHUNK_BYTES && !buf.equals(ZERO)) {
    // The common case, a chunk with data: one compare per piece, one write if none is zero.
    let anyZero = false;
    for (let p = 0; p < n && !anyZero; p += PIECE_BYTES) anyZero = buf.subarray(p, p + PIECE_BYTES).equals(ZERO.subarray(0, PIECE_BYTES));
    if (!anyZero) return [[0, n]];
  }
  const runs: Array<[number, number]> = [];
  for (let p = 0; p < n; p += PIECE_BYTES) {
    const end = Math.min(n, p + PIECE_BYTES);
    if (buf.subarray(p, end).equals(ZERO.subarray(0, end - p))) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === p) last[1] = end;
    else runs.push([p, end]);
  }
  return runs;
}

/** Owner, permissions and times, set on the open target (no path lookups). */
function restoreFd(fd: number, st: BigIntStats, ntfs: boolean): void {
  if (!ntfs) {
    // Owner before mode: chown clears set-uid bits.
    fchownSync(fd, Number(st.uid), Number(st.gid));
    fchmodSync(fd, Number(st.mode & 0o7777n));
  }
  futimesSync(fd, utimesSeconds(st.atimeNs), utimesSeconds(st.mtimeNs));
}

function targetCall<T>(dst: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new TargetError(e as NodeJS.ErrnoException, dst);
  }
}

/** Files up to this size are copied with direct calls: a few microseconds each instead of a thread-pool round trip per call. */
export const SMALL_FILE_BYTES = 1024 * 1024;
const SMALL_BUF = Buffer.allocUnsafe(SMALL_FILE_BYTES + 1);

function copySmallSync(src: string, dst: string, st: BigIntStats, ntfs: boolean): { sha256: string; size: number } {
  const fin = openSync(src, 'r');
  let fout = -1;
  try {
    // One read for the data and, when the buffer is not filled, the end of the file with it.
    let n = 0;
    for (;;) {
      const r = readSync(fin, SMALL_BUF, n, SMALL_BUF.length - n, n);
      if (r === 0) break;
      n += r;
      if (n === SMALL_BUF.length) throw Object.assign(new Error('the file grew while it was read'), { code: 'EAGAIN' });
    }
    const hash = createHash('sha256').update(SMALL_BUF.subarray(0, n)).digest('hex');
    fout = targetCall(dst, () => openSync(dst, 'w', 0o600));
    const runs = dataRuns(SMALL_BUF, n);
    targetCall(dst, () => {
      for (const [s0, e0] of runs) writeSync(fout, SMALL_BUF, s0, e0 - s0, s0);
      if (runs.length !== 1 || runs[0][0] !== 0 || runs[0][1] !== n) ftruncateSync(fout, n);
      restoreFd(fout, st, ntfs);
    });
    return { sha256: hash, size: n };
  } finally {
    closeSync(fin);
    if (fout >= 0) closeSync(fout);
  }
}

/** A worker's failure as the copy's own errors: the unit's side ends the job, the source's is listed. */
function workerFailure(o: LargeCopyFailure, dst: string): Error {
  if (o.side === 'cancelled') return new AppError('CANCELLED', 'The copy was cancelled.');
  const e = Object.assign(new Error(o.message), { code: o.code, errno: o.errno }) as NodeJS.ErrnoException;
  return o.side === 'target' ? new TargetError(e, dst) : e;
}

/** Copies `srcRoot` into `dstRoot` (which must not exist yet) and describes every entry. */
export async function copyTree(srcRoot: string, dstRoot: string, opts: CopyTreeOptions): Promise<CopyTreeResult> {
  const files: Array<FileEntry | null> = [];
  const unreadable: ProblemEntry[] = [];
  const skipped: ProblemEntry[] = [];
  const dirs: Array<{ dst: string; st: BigIntStats }> = [];
  let bytes = 0;
  let renamed = 0;
  // Two cores on the bench: the main thread walks and copies the small files, workers the large ones.
  const limit = Math.max(1, opts.concurrency ?? 2);
  // Large files queued for the workers before the walk waits: the walk goes on to the small files
  // (on this thread) while the workers copy the large ones.
  const queued = 64;
  const running = new Set<Promise<void>>();
  let fatal: unknown = null;
  let sinceYield = 0;
  /** Each large file's flush: null when its data is on the unit, else the failure to throw. */
  const flushes: Array<Promise<Error | null>> = [];

  const onTarget = <T>(p: Promise<T>, path: string) => p.catch((e) => Promise.reject(new TargetError(e, path)));

  try {
    await onTarget(mkdir(dstRoot, { recursive: true, mode: 0o700 }), dstRoot);
  } catch (e) {
    throw targetFailure((e as TargetError).cause, dstRoot);
  }
  const rootSt = await lstat(srcRoot, { bigint: true });
  dirs.push({ dst: dstRoot, st: rootSt });

  // Made on the first large file (a tree of small files needs none).
  const pool: { workers: LargeCopyWorkers | null } = { workers: null };
  const cancelWorkers = () => pool.workers?.cancelAll();
  opts.signal?.addEventListener('abort', cancelWorkers);

  const copyLargeOnWorker = async (src: string, dst: string, st: BigIntStats): Promise<{ sha256: string; size: number }> => {
    const workers = (pool.workers ??= new LargeCopyWorkers(limit, CHUNK_BYTES));
    const owner = opts.ntfs ? null : { uid: Number(st.uid), gid: Number(st.gid), mode: Number(st.mode & 0o7777n) };
    const { outcome: o, flushed } = await workers.copy({ src, dst, owner, atime: utimesSeconds(st.atimeNs), mtime: utimesSeconds(st.mtimeNs) }, (n) => {
      bytes += n;
      opts.onBytes?.(n);
    });
    if (!o.ok) throw workerFailure(o, dst);
    // The flush runs on while the next files are copied; the copy waits for all of them at its end.
    // Kept as a value, not a rejection: a flush failing while the walk goes on must not be an
    // unhandled rejection before the end looks at it.
    flushes.push(flushed.then((f) => (f ? workerFailure(f, dst) : null)));
    return { sha256: o.sha256, size: o.size };
  };

  const copyOne = async (slot: number, src: string, dst: string, entry: FileEntry, st: BigIntStats) => {
    try {
      let r: { sha256: string; size: number };
      if (st.size <= BigInt(SMALL_FILE_BYTES)) {
        r = copySmallSync(src, dst, st, opts.ntfs);
        bytes += r.size;
        opts.onBytes?.(r.size);
      } else {
        r = await copyLargeOnWorker(src, dst, st);
      }
      entry.sha256 = r.sha256;
      entry.size = r.size;
      if (st.blocks * 512n < st.size) entry.sparse = true;
      files[slot] = entry;
    } catch (e) {
      if (e instanceof TargetError) {
        if (PER_FILE_TARGET.has(e.cause.code ?? '')) {
          skipped.push({ path: entry.path, error: `not copied: the unit cannot hold this name or path (${errText(e.cause)})` });
          await rm(dst, { force: true }).catch(() => {});
          return;
        }
        throw e;
      }
      if (e instanceof AppError) throw e;
      unreadable.push({ path: entry.path, error: errText(e) });
      await rm(dst, { force: true }).catch(() => {});
    }
  };

  const schedule = async (fn: () => Promise<void>) => {
    while (running.size >= queued) await Promise.race(running);
    if (fatal) throw fatal;
    const p: Promise<void> = fn()
      .catch((e) => {
        fatal ??= e;
      })
      .finally(() => running.delete(p));
    running.add(p);
  };

  // Depth first, names sorted, so the manifest lists a tree the same way every time.
  const walk = async (srcDir: string, dstDir: string, rel: string, unitRel: string) => {
    let names: string[];
    try {
      names = readdirSync(srcDir).sort();
    } catch (e) {
      unreadable.push({ path: rel || '.', error: `folder not readable: ${errText(e)}` });
      return;
    }
    const unitNames = opts.ntfs ? ntfsNamesForDirectory(names) : names;
    for (let i = 0; i < names.length; i++) {
      if (fatal) throw fatal;
      if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The copy was cancelled.');
      const name = names[i];
      const r = rel ? `${rel}/${name}` : name;
      if (opts.exclude?.(r)) continue;
      const ur = unitRel ? `${unitRel}/${unitNames[i]}` : unitNames[i];
      const src = join(srcDir, name);
      const dst = join(dstDir, unitNames[i]);
      let st: BigIntStats;
      try {
        st = lstatSync(src, { bigint: true });
      } catch (e) {
        unreadable.push({ path: r, error: errText(e) });
        continue;
      }
      const entry: FileEntry = {
        path: r,
        ...(ur !== r ? { unitPath: ur } : {}),
        type: 'file',
        size: 0,
        mtimeNs: mtimeNs(st),
        mode: Number(st.mode & 0o7777n),
        uid: Number(st.uid),
        gid: Number(st.gid),
      };
      if (ur !== r && unitNames[i] !== name) renamed++;
      if (st.isDirectory()) {
        entry.type = 'dir';
        try {
          targetCall(dst, () => mkdirSync(dst, { mode: 0o700 }));
        } catch (e) {
          const te = e as TargetError;
          if (PER_FILE_TARGET.has(te.cause.code ?? '')) {
            skipped.push({ path: r, error: `folder not copied: the unit cannot hold this name or path (${errText(te.cause)})` });
            continue;
          }
          throw e;
        }
        files.push(entry);
        dirs.push({ dst, st });
        await walk(src, dst, r, ur);
      } else if (st.isFile()) {
        const slot = files.push(null) - 1;
        if (st.size <= BigInt(SMALL_FILE_BYTES)) {
          await copyOne(slot, src, dst, entry, st);
          // Direct calls do not yield: let progress, cancelling and the large copies run now and then.
          if (++sinceYield >= 64) {
            sinceYield = 0;
            await new Promise((r) => setImmediate(r));
          }
        } else await schedule(() => copyOne(slot, src, dst, entry, st));
      } else if (st.isSymbolicLink()) {
        entry.type = 'symlink';
        let target: string;
        try {
          target = readlinkSync(src);
        } catch (e) {
          unreadable.push({ path: r, error: errText(e) });
          continue;
        }
        entry.target = target;
        entry.size = Buffer.byteLength(target);
        try {
          targetCall(dst, () => symlinkSync(target, dst));
          await onTarget(restore(dst, st, opts.ntfs, true), dst);
          files.push(entry);
        } catch (e) {
          const te = e as TargetError;
          if (!(te instanceof TargetError) || !PER_FILE_TARGET.has(te.cause.code ?? '')) throw e;
          skipped.push({ path: r, error: `symlink not copied: the unit cannot hold it (${errText(te.cause)})` });
        }
      } else {
        skipped.push({ path: r, error: 'special file (device, FIFO or socket): recorded, not copied' });
      }
    }
  };

  try {
    await walk(srcRoot, dstRoot, '', '');
    while (running.size) await Promise.race(running);
    if (fatal) throw fatal;
    const flushFailed = (await Promise.all(flushes)).find((f) => f !== null);
    if (flushFailed) throw flushFailed;
    // Folders last, deepest first: writing into a folder changes its time.
    for (const d of dirs.reverse()) await onTarget(restore(d.dst, d.st, opts.ntfs, false), d.dst);
  } catch (e) {
    pool.workers?.cancelAll();
    // The copies still running first (one may end past its last cancel check and add a flush),
    // then every flush: the workers are ended only once no descriptor of theirs is still open.
    while (running.size) await Promise.race(running);
    await Promise.all(flushes);
    if (e instanceof TargetError) throw targetFailure(e.cause, e.path);
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', cancelWorkers);
    await pool.workers?.close();
  }
  return { files: files.filter((f): f is FileEntry => f !== null), unreadable, skipped, bytes, renamed };
}

async function restore(dst: string, st: BigIntStats, ntfs: boolean, link: boolean): Promise<void> {
  if (!ntfs) {
    // Owner before mode: chown clears set-uid bits.
    if (link) await lchown(dst, Number(st.uid), Number(st.gid));
    else {
      await chown(dst, Number(st.uid), Number(st.gid));
      await chmod(dst, Number(st.mode & 0o7777n));
    }
  }
  if (link) await lutimes(dst, utimesSeconds(st.atimeNs), utimesSeconds(st.mtimeNs));
  else await utimes(dst, utimesSeconds(st.atimeNs), utimesSeconds(st.mtimeNs));
}
