// The hashing of send streams runs on a worker thread, so the main thread only moves the bytes:
// on two cores zfs-fuse takes about one, and hashing inline (two SHA-256 passes) would slow every
// stream by a third. One worker per process serves every stream by id; it is created on first use
// and never keeps the process alive.
import { Worker } from 'node:worker_threads';

// Plain JavaScript evaluated in the worker, so it needs no TypeScript loader there.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'open') sessions.set(m.id, { whole: createHash('sha256'), content: createHash('sha256') });
  else if (m.type === 'data') {
    const s = sessions.get(m.id);
    const buf = Buffer.from(m.buf);
    s.whole.update(buf);
    if (m.pre) s.content.update(Buffer.from(m.pre));
    if (m.contentEnd > m.contentStart) s.content.update(buf.subarray(m.contentStart, m.contentEnd));
    parentPort.postMessage({ type: 'ack', id: m.id, bytes: buf.length });
  } else if (m.type === 'end') {
    const s = sessions.get(m.id);
    sessions.delete(m.id);
    parentPort.postMessage({ type: 'digests', id: m.id, sha256: s.whole.digest('hex'), contentDigest: s.content.digest('hex') });
  }
});
`;

type Listener = (m: { type: 'ack'; bytes: number } | { type: 'digests'; sha256: string; contentDigest: string }) => void;

let worker: Worker | null = null;
let nextId = 1;
const listeners = new Map<number, Listener>();
let open = 0;

function theWorker(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (m: { id: number } & Parameters<Listener>[0]) => listeners.get(m.id)?.(m));
    worker.on('error', (e) => {
      for (const l of listeners.values()) l({ type: 'digests', sha256: '', contentDigest: `error: ${e.message}` });
      worker = null;
    });
    worker.unref();
  }
  return worker;
}

export interface DigestSession {
  /** The content digest takes `pre` (bytes held back earlier), then `contentStart..contentEnd` of `chunk`. */
  data(chunk: Buffer, contentStart: number, contentEnd: number, pre?: Buffer): void;
  end(): Promise<{ sha256: string; contentDigest: string }>;
}

export function openDigestSession(onAck: (bytes: number) => void): DigestSession {
  const w = theWorker();
  const id = nextId++;
  open++;
  w.ref();
  let resolveEnd: ((d: { sha256: string; contentDigest: string }) => void) | null = null;
  listeners.set(id, (m) => {
    if (m.type === 'ack') onAck(m.bytes);
    else {
      listeners.delete(id);
      if (--open === 0) w.unref();
      resolveEnd?.({ sha256: m.sha256, contentDigest: m.contentDigest });
    }
  });
  w.postMessage({ type: 'open', id });
  return {
    data(chunk, contentStart, contentEnd, pre) {
      // A copy the worker owns: the chunk itself goes on down the pipe.
      const copy = new Uint8Array(chunk);
      const preCopy = pre?.length ? new Uint8Array(pre) : undefined;
      w.postMessage({ type: 'data', id, buf: copy, contentStart, contentEnd, pre: preCopy }, preCopy ? [copy.buffer, preCopy.buffer] : [copy.buffer]);
    },
    end() {
      return new Promise((resolve) => {
        resolveEnd = resolve;
        w.postMessage({ type: 'end', id });
      });
    },
  };
}
