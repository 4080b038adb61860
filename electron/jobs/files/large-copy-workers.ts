// Large files of a browsable copy are copied on worker threads: read, SHA-256 and write with direct
// calls, chunk after chunk, while the main thread walks the tree and copies the small files. On the
// bench's two cores this puts the hashing beside the rest of the copy instead of in its way; the
// thread-pool round trips of async reads and writes (two per chunk) cost more than the copy itself.
//
// A worker answers as soon as a file is written and flushes it (fdatasync, on the thread pool) while
// it copies the next one, so the unit's disk works while the next files are read; the flush's
// outcome comes as a second answer. Cancelling sets a shared flag a worker reads between chunks.
import { Worker } from 'node:worker_threads';

/** What a worker needs besides the paths: the owner, mode and times to restore on the target. */
export interface LargeCopyJob {
  src: string;
  dst: string;
  /** Null on NTFS (ntfs-3g keeps neither). */
  owner: { uid: number; gid: number; mode: number } | null;
  /** utimes seconds (copy-tree's utimesSeconds). */
  atime: number;
  mtime: number;
}

export type LargeCopyFailure = { ok: false; side: 'source' | 'target' | 'cancelled'; code?: string; errno?: number; message: string };
export type LargeCopyOutcome = { ok: true; sha256: string; size: number } | LargeCopyFailure;

/** The copy's outcome, and its flush's (null: flushed) once the file's data is on the unit. */
export interface LargeCopy {
  outcome: LargeCopyOutcome;
  flushed: Promise<LargeCopyFailure | null>;
}

// Plain JavaScript evaluated in the worker, so it needs no TypeScript loader there (tsx, vitest).
// Holes: a 64 KiB piece of zeros is not written, and the file is cut to its size at the end.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const CHUNK = workerData.chunkBytes, PIECE = 64 * 1024, PROGRESS = 8 * 1024 * 1024;
const cancelled = new Int32Array(workerData.cancel);
const buf = Buffer.allocUnsafe(CHUNK);
const zero = Buffer.alloc(CHUNK);
function fail(side, e) { return { ok: false, side, code: e.code, errno: e.errno, message: e.message }; }
/** Writes buf[0..n) at pos, leaving out the pieces of zeros; says whether it left any. */
function writeData(fout, n, pos) {
  if (n === CHUNK && !buf.equals(zero)) {
    // The common case, a chunk with data: one compare per piece, one write if none is zero.
    let anyZero = false;
    for (let p = 0; p < n && !anyZero; p += PIECE) anyZero = buf.subarray(p, p + PIECE).equals(zero.subarray(0, PIECE));
    if (!anyZero) { fs.writeSync(fout, buf, 0, n, pos); return false; }
  }
  let holes = false;
  for (let p = 0; p < n; p += PIECE) {
    const end = Math.min(n, p + PIECE);
    if (buf.subarray(p, end).equals(zero.subarray(0, end - p))) holes = true;
    else fs.writeSync(fout, buf, p, end - p, pos + p);
  }
  return holes;
}
function copy(id, job) {
  let fin, fout = -1, keep = false;
  try { fin = fs.openSync(job.src, 'r'); } catch (e) { return fail('source', e); }
  try {
    try { fout = fs.openSync(job.dst, 'w', 0o600); } catch (e) { return fail('target', e); }
    const hash = createHash('sha256');
    let pos = 0, holes = false, unreported = 0;
    for (;;) {
      if (Atomics.load(cancelled, 0)) return { ok: false, side: 'cancelled', message: 'cancelled' };
      let n;
      try { n = fs.readSync(fin, buf, 0, CHUNK, pos); } catch (e) { return fail('source', e); }
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      try { holes = writeData(fout, n, pos) || holes; } catch (e) { return fail('target', e); }
      pos += n;
      unreported += n;
      if (unreported >= PROGRESS) { parentPort.postMessage({ id, bytes: unreported }); unreported = 0; }
    }
    try {
      if (holes) fs.ftruncateSync(fout, pos);
      if (job.owner) {
        // Owner before mode: chown clears set-uid bits.
        fs.fchownSync(fout, job.owner.uid, job.owner.gid);
        fs.fchmodSync(fout, job.owner.mode);
      }
      fs.futimesSync(fout, job.atime, job.mtime);
    } catch (e) { return fail('target', e); }
    if (unreported) parentPort.postMessage({ id, bytes: unreported });
    keep = true;
    const fd = fout;
    fs.fdatasync(fd, (e) => fs.close(fd, () => parentPort.postMessage({ id, flushed: e ? fail('target', e) : null })));
    return { ok: true, sha256: hash.digest('hex'), size: pos };
  } finally {
    fs.closeSync(fin);
    if (fout >= 0 && !keep) fs.closeSync(fout);
  }
}
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, done: copy(m.id, m.job) }));
`;

interface Pending {
  resolve: (o: LargeCopyOutcome) => void;
  flushed: (f: LargeCopyFailure | null) => void;
  onBytes?: (n: number) => void;
}

/** A few workers for one copy; `close()` ends them. */
export class LargeCopyWorkers {
  private readonly cancel = new SharedArrayBuffer(4);
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: Array<(w: Worker | null) => void> = [];
  private alive = 0;
  private readonly dead = new Set<Worker>();
  private readonly pending = new Map<number, Pending>();
  /** Which worker has which copy, so a worker that dies fails only its own. */
  private readonly owner = new Map<number, Worker>();
  private nextId = 1;

  constructor(count: number, chunkBytes: number) {
    for (let i = 0; i < count; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { chunkBytes, cancel: this.cancel } });
      w.on('message', (m: { id: number; bytes?: number; done?: LargeCopyOutcome; flushed?: LargeCopyFailure | null }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        if (m.bytes) p.onBytes?.(m.bytes);
        if (m.done) {
          this.release(w);
          p.resolve(m.done);
          // A copy that failed has no flush to wait for.
          if (!m.done.ok) this.finish(m.id, null);
        }
        if (m.flushed !== undefined) this.finish(m.id, m.flushed);
      });
      // A worker that dies (error, or exit without one) fails what it had; the others go on.
      const died = (why: string) => {
        if (!this.all.includes(w) || this.dead.has(w)) return;
        this.dead.add(w);
        const i = this.idle.indexOf(w);
        if (i >= 0) this.idle.splice(i, 1);
        for (const [id, p] of this.pending) {
          if (this.owner.get(id) !== w) continue;
          const failure: LargeCopyFailure = { ok: false, side: 'target', message: `copy worker failed: ${why}` };
          p.resolve(failure);
          this.finish(id, failure);
        }
        // With none left, the files waiting for one fail too instead of waiting for good.
        if (--this.alive === 0) for (const next of this.waiting.splice(0)) next(null);
      };
      w.on('error', (e) => died(e.message));
      w.on('exit', (code) => died(`it stopped (exit ${code})`));
      this.all.push(w);
      this.idle.push(w);
      this.alive++;
    }
  }

  private finish(id: number, flushed: LargeCopyFailure | null): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.owner.delete(id);
    p.flushed(flushed);
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private take(): Promise<Worker | null> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return this.alive === 0 ? Promise.resolve(null) : new Promise((r) => this.waiting.push(r));
  }

  /** Copies one file on the next free worker. */
  async copy(job: LargeCopyJob, onBytes?: (n: number) => void): Promise<LargeCopy> {
    const w = await this.take();
    if (!w) return { outcome: { ok: false, side: 'target', message: 'the copy workers stopped' }, flushed: Promise.resolve(null) };
    const id = this.nextId++;
    this.owner.set(id, w);
    let flushedNow: (f: LargeCopyFailure | null) => void = () => {};
    const flushed = new Promise<LargeCopyFailure | null>((r) => (flushedNow = r));
    const outcome = await new Promise<LargeCopyOutcome>((resolve) => {
      this.pending.set(id, { resolve, flushed: flushedNow, onBytes });
      w.postMessage({ id, job });
    });
    return { outcome, flushed };
  }

  /** Every worker stops at its next chunk; what they had answers `cancelled`. */
  cancelAll(): void {
    Atomics.store(new Int32Array(this.cancel), 0, 1);
  }

  async close(): Promise<void> {
    // Ended on purpose: their exit is not a death to report.
    for (const w of this.all) this.dead.add(w);
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
