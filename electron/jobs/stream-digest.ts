// A pass-through that measures a send stream on its way: bytes, SHA-256 of the whole stream, and the
// point's content digest. Chunks are handed on as they are (no copy of the data is kept).
//
// Content digest: SHA-256 of the stream without its first and last 312-byte records (DRR_BEGIN and
// DRR_END). Those two carry the dataset's name and a checksum over it, so they differ between the
// source and the unit; everything between — objects, data blocks, frees — is the same bytes on both
// sides for the same point (checked on zfs-fuse: `cmp` of both sides' streams differs only there).
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const DRR_RECORD_BYTES = 312;

export class StreamDigest extends Transform {
  bytes = 0;
  private readonly whole: Hash = createHash('sha256');
  private readonly content: Hash = createHash('sha256');
  private tail: Buffer = Buffer.alloc(0);
  private headLeft = DRR_RECORD_BYTES;

  constructor(private readonly onBytes?: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.whole.update(chunk);
    this.feedContent(chunk);
    this.onBytes?.(chunk.length);
    cb(null, chunk);
  }

  private feedContent(chunk: Buffer): void {
    let c = chunk;
    if (this.headLeft > 0) {
      const skip = Math.min(this.headLeft, c.length);
      this.headLeft -= skip;
      c = c.subarray(skip);
      if (c.length === 0) return;
    }
    // Hold back the last 312 bytes seen: they may be the END record.
    if (c.length >= DRR_RECORD_BYTES) {
      if (this.tail.length) this.content.update(this.tail);
      this.content.update(c.subarray(0, c.length - DRR_RECORD_BYTES));
      this.tail = Buffer.from(c.subarray(c.length - DRR_RECORD_BYTES));
    } else {
      const joined = Buffer.concat([this.tail, c]);
      const keep = Math.min(DRR_RECORD_BYTES, joined.length);
      this.content.update(joined.subarray(0, joined.length - keep));
      this.tail = joined.subarray(joined.length - keep);
    }
  }

  result(): { bytes: number; sha256: string; contentDigest: string } {
    return { bytes: this.bytes, sha256: this.whole.copy().digest('hex'), contentDigest: this.content.copy().digest('hex') };
  }
}
