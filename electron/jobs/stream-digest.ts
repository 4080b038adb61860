// A pass-through that measures a send stream on its way: bytes, SHA-256 of the whole stream, and the
// point's content digest. Chunks are handed on as they are; the hashing runs on a worker thread
// (digest-worker.ts) with at most MAX_IN_FLIGHT bytes queued there, so memory stays flat.
//
// Content digest: SHA-256 of the stream without its first and last 312-byte records (DRR_BEGIN and
// DRR_END). Those two carry the dataset's name and a checksum over it, so they differ between the
// source and the unit; everything between — objects, data blocks, frees — is the same bytes on both
// sides for the same point (checked on zfs-fuse: `cmp` of both sides' streams differs only there).
import { Transform, type TransformCallback } from 'node:stream';
import { openDigestSession, type DigestSession } from './digest-worker.ts';

export const DRR_RECORD_BYTES = 312;
const MAX_IN_FLIGHT = 16 * 1024 * 1024;

export class StreamDigest extends Transform {
  bytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private headLeft = DRR_RECORD_BYTES;
  private inFlight = 0;
  private waiting: (() => void) | null = null;
  private readonly session: DigestSession;
  private digests: { sha256: string; contentDigest: string } | null = null;
  private ending: Promise<{ sha256: string; contentDigest: string }> | null = null;

  constructor(private readonly onBytes?: (n: number) => void) {
    super({ highWaterMark: 1024 * 1024 });
    this.session = openDigestSession((n) => {
      this.inFlight -= n;
      if (this.waiting && this.inFlight <= MAX_IN_FLIGHT / 2) {
        const go = this.waiting;
        this.waiting = null;
        go();
      }
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.feed(chunk);
    this.inFlight += chunk.length;
    this.onBytes?.(chunk.length);
    this.push(chunk);
    // Back-pressure from the hashing side too: wait while the worker is far behind.
    if (this.inFlight > MAX_IN_FLIGHT) this.waiting = () => cb();
    else cb();
  }

  /** Works out which bytes of `chunk` belong to the content digest, and hands both to the worker. */
  private feed(chunk: Buffer): void {
    let start = 0;
    if (this.headLeft > 0) {
      start = Math.min(this.headLeft, chunk.length);
      this.headLeft -= start;
    }
    const c = chunk.subarray(start);
    // Hold back the last 312 bytes seen: they may be the END record.
    if (c.length >= DRR_RECORD_BYTES) {
      this.session.data(chunk, start, chunk.length - DRR_RECORD_BYTES, this.tail);
      this.tail = Buffer.from(c.subarray(c.length - DRR_RECORD_BYTES));
    } else {
      const joined = Buffer.concat([this.tail, c]);
      const keep = Math.min(DRR_RECORD_BYTES, joined.length);
      this.session.data(chunk, 0, 0, joined.subarray(0, joined.length - keep));
      this.tail = Buffer.from(joined.subarray(joined.length - keep));
    }
  }

  private endSession(): Promise<{ sha256: string; contentDigest: string }> {
    this.ending ??= this.session.end().then((d) => (this.digests = d));
    return this.ending;
  }

  override _flush(cb: TransformCallback): void {
    this.endSession().then(() => cb(), cb);
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    // A pipeline may destroy this stream once the receiver has closed, before _flush runs; and an
    // aborted stream must still close its session, or the worker would keep the process alive.
    void this.endSession().catch(() => {});
    cb(err);
  }

  /**
   * The digests, once every byte has been through (call after the pipeline resolved). Everything
   * that passed was already queued to the worker, so this only waits for it to catch up.
   */
  async finish(): Promise<{ bytes: number; sha256: string; contentDigest: string }> {
    const d = await this.endSession();
    return { bytes: this.bytes, ...d };
  }
}
