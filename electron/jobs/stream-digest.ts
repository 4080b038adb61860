// A pass-through that measures a send stream on its way: its bytes and ONE SHA-256, computed inline.
// Chunks are handed on as they are; memory is one chunk plus two 312-byte records.
//
// Why one pass, and why inline: a `zfs send | zfs receive` on zfs-fuse is bound by latency, and
// every CPU cycle spent beside it slows it (measured in docs/sync.md: a second SHA-256 pass cost
// ~15%, and hashing on a worker thread cost more than it saved in copies and messages).
//
// The records: a send stream starts with a DRR_BEGIN and ends with a DRR_END record, 312 bytes
// each. They carry the dataset's name (and a checksum over it), so they differ between a point sent
// from the source and the same point sent from the unit; every byte between them is the same on both
// sides (checked on zfs-fuse with `cmp`). At sync the stream's own SHA-256 is recorded together with
// its two records (`records`). To prove a point later, the point is sent again from wherever it now
// lives, and hashed with the recorded records in place of its own (`substitute`): the result equals
// the recorded SHA-256 exactly when every byte between the records is the same.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const DRR_RECORD_BYTES = 312;

/** The first and last records of a stream, as sent from the source. */
export interface StreamRecords {
  head: Buffer;
  tail: Buffer;
}

export interface StreamMeasure {
  bytes: number;
  /** SHA-256 of the stream, with `substitute`'s records in place of its own when given. */
  sha256: string;
  /** This stream's own first and last records. */
  records: StreamRecords;
}

export class StreamDigest extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly head = Buffer.alloc(DRR_RECORD_BYTES);
  private headLen = 0;
  /** The newest bytes after the head, not hashed yet: they may be the END record. */
  private held: Buffer = Buffer.alloc(0);
  private result: StreamMeasure | null = null;

  constructor(
    private readonly onBytes?: (n: number) => void,
    private readonly substitute?: StreamRecords,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    if (substitute && (substitute.head.length !== DRR_RECORD_BYTES || substitute.tail.length !== DRR_RECORD_BYTES)) {
      throw new RangeError(`recorded stream records must be ${DRR_RECORD_BYTES} bytes each`);
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.measure(chunk);
    cb(null, chunk);
  }

  /** Measures a chunk without passing it on (for a caller that moves the bytes itself). */
  measure(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.feed(chunk);
    this.onBytes?.(chunk.length);
  }

  private feed(chunk: Buffer): void {
    let c = chunk;
    if (this.headLen < DRR_RECORD_BYTES) {
      const n = Math.min(DRR_RECORD_BYTES - this.headLen, c.length);
      c.copy(this.head, this.headLen, 0, n);
      this.headLen += n;
      c = c.subarray(n);
      if (this.headLen === DRR_RECORD_BYTES) this.hash.update(this.substitute?.head ?? this.head);
    }
    if (c.length >= DRR_RECORD_BYTES) {
      if (this.held.length) this.hash.update(this.held);
      this.hash.update(c.subarray(0, c.length - DRR_RECORD_BYTES));
      this.held = Buffer.from(c.subarray(c.length - DRR_RECORD_BYTES));
    } else if (c.length > 0) {
      const joined = Buffer.concat([this.held, c]);
      const cut = Math.max(0, joined.length - DRR_RECORD_BYTES);
      if (cut) this.hash.update(joined.subarray(0, cut));
      this.held = joined.subarray(cut);
    }
  }

  /** The measure, once every byte has been through (call after the pipeline resolved). */
  finish(): StreamMeasure {
    if (this.result) return this.result;
    const whole = this.headLen === DRR_RECORD_BYTES && this.held.length === DRR_RECORD_BYTES;
    // A stream too short to hold both records is hashed as it is (and will not match anything real).
    if (this.headLen < DRR_RECORD_BYTES) this.hash.update(this.head.subarray(0, this.headLen));
    this.hash.update(whole ? (this.substitute?.tail ?? this.held) : this.held);
    this.result = {
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
      records: { head: Buffer.from(this.head.subarray(0, this.headLen)), tail: Buffer.from(this.held) },
    };
    return this.result;
  }
}

/** Records as kept in journals and manifests (base64), and back. */
export function encodeRecords(r: StreamRecords): { head: string; tail: string } {
  return { head: r.head.toString('base64'), tail: r.tail.toString('base64') };
}

export function decodeRecords(r: { head: string; tail: string } | undefined): StreamRecords | undefined {
  if (!r) return undefined;
  const head = Buffer.from(r.head, 'base64');
  const tail = Buffer.from(r.tail, 'base64');
  return head.length === DRR_RECORD_BYTES && tail.length === DRR_RECORD_BYTES ? { head, tail } : undefined;
}
