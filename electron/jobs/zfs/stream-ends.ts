// A send stream's two ends, taken on its way without hashing it: its first and last records
// (stream-digest.ts explains why they are kept apart) and what the first one, DRR_BEGIN, names: the
// GUID of the point the stream makes and of the point it starts from. A sealed unit is a file, not
// a pool, so the sync proves a point from the stream itself: the BEGIN record's GUID must be the
// source's, and the opened stream's SHA-256 must be the one sealed into it.
import { Transform, type TransformCallback } from 'node:stream';
import { DRR_RECORD_BYTES, type StreamRecords } from '../stream-digest.ts';

/** DMU_BACKUP_MAGIC, the BEGIN record's magic, in the byte order of the machine that sent it. */
const BACKUP_MAGIC = 0x2f5bacbacn;
const DRR_BEGIN = 0;

export interface StreamBegin {
  /** The point the stream makes (decimal, as `zfs get guid` prints it). */
  toGuid: string;
  /** The point an incremental starts from; "0" for a full stream. */
  fromGuid: string;
}

/** What a stream's BEGIN record names; null when `head` is not one. */
export function parseBegin(head: Buffer): StreamBegin | null {
  if (head.length < 56) return null;
  for (const le of [true, false]) {
    const u32 = (o: number) => (le ? head.readUInt32LE(o) : head.readUInt32BE(o));
    const u64 = (o: number) => (le ? head.readBigUInt64LE(o) : head.readBigUInt64BE(o));
    if (u32(0) === DRR_BEGIN && u64(8) === BACKUP_MAGIC) return { toGuid: u64(40).toString(), fromGuid: u64(48).toString() };
  }
  return null;
}

/** A pass-through keeping the stream's first and last 312 bytes, and counting it. */
export class StreamEnds extends Transform {
  bytes = 0;
  private readonly head = Buffer.alloc(DRR_RECORD_BYTES);
  private headLen = 0;
  private tail: Buffer = Buffer.alloc(0);

  constructor(private readonly onBytes?: (n: number) => void) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.headLen < DRR_RECORD_BYTES) {
      const n = Math.min(DRR_RECORD_BYTES - this.headLen, chunk.length);
      chunk.copy(this.head, this.headLen, 0, n);
      this.headLen += n;
    }
    // The tail is the last 312 bytes after the head (the head and the END record never overlap).
    const after = this.bytes - chunk.length < DRR_RECORD_BYTES ? chunk.subarray(Math.max(0, DRR_RECORD_BYTES - (this.bytes - chunk.length))) : chunk;
    if (after.length >= DRR_RECORD_BYTES) this.tail = Buffer.from(after.subarray(after.length - DRR_RECORD_BYTES));
    else if (after.length) this.tail = Buffer.concat([this.tail, after]).subarray(-DRR_RECORD_BYTES);
    this.onBytes?.(chunk.length);
    cb(null, chunk);
  }

  records(): StreamRecords {
    return { head: Buffer.from(this.head.subarray(0, this.headLen)), tail: Buffer.from(this.tail) };
  }
}
