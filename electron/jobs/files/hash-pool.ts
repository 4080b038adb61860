// SHA-256 of the browsable copy's files on a worker thread, so hashing runs on the second core while
// the main thread (and libuv's pool) move the bytes. The bytes are not copied to the worker: files
// are read into slots of one SharedArrayBuffer, written to the unit from there, and the worker hashes
// the same slot. A slot is free again once its write is done and the worker has hashed it; with
// SLOTS slots of SLOT_BYTES, memory stays flat (16 MiB) whatever the tree.
// One worker per process, created on first use; it never keeps the process alive when idle.
import { Worker } from 'node:worker_threads';

export const SLOT_BYTES = 1024 * 1024;
/** A slot's buffer is one page longer: a small file's read asks for one byte more than it may hold. */
const SLOT_STRIDE = SLOT_BYTES + 4096;
const SLOTS = 16;

// Plain JavaScript evaluated in the worker, so it needs no TypeScript loader there.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
let sab = null;
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'init') { sab = m.sab; return; }
  // A message is one or more pieces: [session, slot, length, last] each.
  const done = [];
  for (let i = 0; i < m.p.length; i += 4) {
    const id = m.p[i], slot = m.p[i + 1], len = m.p[i + 2], last = m.p[i + 3];
    let h = sessions.get(id);
    if (!h) { h = createHash('sha256'); sessions.set(id, h); }
    if (len > 0) h.update(new Uint8Array(sab, slot * ${SLOT_STRIDE}, len));
    if (last) { sessions.delete(id); done.push(id, h.digest('hex')); }
  }
  parentPort.postMessage({ slots: m.p.filter((v, i) => i % 4 === 1 && v >= 0), done });
});
`;

interface Pool {
  worker: Worker;
  buffers: Buffer[];
  free: number[];
  /** Outstanding holds per slot (the write and the hash): free at zero. */
  holds: number[];
  waiting: Array<() => void>;
  digests: Map<number, { resolve: (d: string) => void; reject: (e: Error) => void }>;
  failed: Error | null;
  busy: number;
}

let pool: Pool | null = null;
let nextId = 1;

function thePool(): Pool {
  if (pool && !pool.failed) return pool;
  const sab = new SharedArrayBuffer(SLOT_STRIDE * SLOTS);
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const p: Pool = {
    worker,
    buffers: Array.from({ length: SLOTS }, (_, i) => Buffer.from(sab, i * SLOT_STRIDE, SLOT_STRIDE)),
    free: Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i),
    holds: new Array<number>(SLOTS).fill(0),
    waiting: [],
    digests: new Map(),
    failed: null,
    busy: 0,
  };
  worker.postMessage({ type: 'init', sab });
  worker.on('message', (m: { slots: number[]; done: Array<number | string> }) => {
    for (const s of m.slots) release(p, s);
    for (let i = 0; i < m.done.length; i += 2) {
      const d = p.digests.get(m.done[i] as number);
      p.digests.delete(m.done[i] as number);
      d?.resolve(m.done[i + 1] as string);
    }
  });
  worker.on('error', (e) => {
    p.failed = e;
    for (const d of p.digests.values()) d.reject(e);
    p.digests.clear();
    for (const w of p.waiting.splice(0)) w();
  });
  worker.unref();
  pool = p;
  return p;
}

function release(p: Pool, slot: number): void {
  if (--p.holds[slot] > 0) return;
  p.free.push(slot);
  p.waiting.shift()?.();
}

/** Hashing for one copy: slots to read into, and a digest per file. */
export class FileHasher {
  private readonly p = thePool();
  private closed = false;
  private readonly pending = new Set<number>();

  constructor() {
    if (this.p.busy++ === 0) this.p.worker.ref();
  }

  /** A free slot, held once (for its write): `null` means none is free now, wait with `slot()`. */
  trySlot(): number | null {
    if (this.p.failed) throw this.p.failed;
    const s = this.p.free.pop();
    if (s === undefined) return null;
    this.p.holds[s] = 1;
    return s;
  }

  async slot(): Promise<number> {
    for (;;) {
      const s = this.trySlot();
      if (s !== null) return s;
      await new Promise<void>((r) => this.p.waiting.push(r));
    }
  }

  buffer(slot: number): Buffer {
    return this.p.buffers[slot];
  }

  /** Gives the slot back without hashing it (its write is done, or nothing was read). */
  done(slot: number): void {
    release(this.p, slot);
  }

  /** A new file's session id and the promise of its digest (settled once `add(..., last)` was hashed). */
  open(): { id: number; digest: Promise<string> } {
    const id = nextId++;
    this.pending.add(id);
    const digest = new Promise<string>((resolve, reject) =>
      this.p.digests.set(id, {
        resolve: (d) => (this.pending.delete(id), resolve(d)),
        reject: (e) => (this.pending.delete(id), reject(e)),
      }),
    );
    // Nobody may await it before the end; a failure is seen there, not as an unhandled rejection.
    digest.catch(() => {});
    return { id, digest };
  }

  /**
   * Hashes `len` bytes of the slot as the next piece of file `id` (the slot is held until the worker
   * is done with it). `slot` -1 with `len` 0 only ends the file.
   */
  add(id: number, slot: number, len: number, last: boolean): void {
    if (slot >= 0) this.p.holds[slot]++;
    this.p.worker.postMessage({ p: [id, slot, len, last ? 1 : 0] });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Files left unfinished (the copy failed): end their sessions so the worker forgets them.
    if (!this.p.failed) for (const id of this.pending) this.add(id, -1, 0, true);
    if (--this.p.busy === 0) this.p.worker.unref();
  }
}
