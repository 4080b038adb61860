// Opens a sealed stream file (format.ts) back into the plain stream, as a Transform. A record's
// plaintext is pushed only after its GCM tag has verified (decipher final() before push), so bad
// data never reaches the `zfs receive` behind it; the first failure ends the stream with its code:
//   SEALED_STREAM_FOREIGN   not a sealed stream, another unit's key, or not the stream expected
//   SEALED_CHUNK_TAMPERED   a record fails authentication (a flipped bit, records swapped or
//                           dropped, a record from another stream), or data after the final record
//   SEALED_STREAM_TRUNCATED the file ends before its final record
import { createDecipheriv, createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../api/errors.ts';
import {
  FLAG_FINAL,
  HEADER_BYTES,
  RECORD_HEAD_BYTES,
  TAG_BYTES,
  TRAILER_BYTES,
  dataKeyId,
  headerHash,
  nonce,
  parseHeader,
  recordAad,
  streamKey,
  type SealHeader,
} from './format.ts';

export interface OpenOptions {
  /** The stream id the unit's records name for this file (hex or bytes): another stream is refused. */
  streamId?: Buffer | string;
  /** A name for the file in sentences (e.g. the point it holds). */
  label?: string;
}

export interface OpenResult {
  streamId: string;
  plainBytes: number;
  sha256: string;
  records: number;
}

const HINT = 'Nothing from this stream was kept: the receive was stopped before the bad data. Bring the file from the unit again or ask for a new unit.';

export class OpenStream extends Transform {
  private header: SealHeader | null = null;
  private hHash: Buffer | null = null;
  private key: Buffer | null = null;
  private readonly dataKeyId: Buffer;
  private readonly expectId: Buffer | null;
  private readonly label: string;
  private headBuf = Buffer.alloc(HEADER_BYTES);
  private headFill = 0;
  private recHead = Buffer.alloc(RECORD_HEAD_BYTES);
  private recHeadFill = 0;
  private body: Buffer | null = null;
  private bodyLen = 0;
  private bodyFill = 0;
  private flags = 0;
  private index = 0n;
  private plainBytes = 0;
  private done = false;
  private readonly hash: Hash = createHash('sha256');
  private result: OpenResult | null = null;

  constructor(private readonly dataKey: Buffer, opts: OpenOptions = {}) {
    super({ readableHighWaterMark: 2 * 1024 * 1024, writableHighWaterMark: 1024 * 1024 });
    if (dataKey.length !== 32) throw new AppError('BAD_INPUT', 'A unit data key must be 32 bytes.');
    this.dataKeyId = dataKeyId(dataKey);
    this.expectId = opts.streamId === undefined ? null : typeof opts.streamId === 'string' ? Buffer.from(opts.streamId, 'hex') : opts.streamId;
    this.label = opts.label ?? 'this stream';
  }

  override _transform(data: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(data);
      cb();
    } catch (e) {
      this.wipe();
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    this.wipe();
    if (!this.done) {
      cb(
        new AppError('SEALED_STREAM_TRUNCATED', `The sealed file for ${this.label} is cut short: it ends before its last chunk (after ${this.plainBytes} bytes of the stream).`, {
          hint: 'The file on the unit is incomplete (copied short, or the drive was pulled while writing). ' + HINT,
          data: { records: Number(this.index), plainBytes: this.plainBytes },
        }),
      );
      return;
    }
    cb();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.wipe();
    cb(err);
  }

  finish(): OpenResult {
    if (!this.result) throw new AppError('INTERNAL', 'The sealed stream was read before it ended.');
    return this.result;
  }

  private wipe(): void {
    this.key?.fill(0);
    this.body?.fill(0);
  }

  private tampered(why: string): AppError {
    return new AppError('SEALED_CHUNK_TAMPERED', `The sealed file for ${this.label} has been changed or damaged: chunk ${this.index} ${why}.`, {
      hint: HINT,
      data: { record: Number(this.index) },
    });
  }

  private consume(data: Buffer): void {
    let off = 0;
    while (off < data.length) {
      if (this.done) throw this.tampered('is followed by data after the end of the stream');
      if (!this.header) {
        const n = Math.min(HEADER_BYTES - this.headFill, data.length - off);
        data.copy(this.headBuf, this.headFill, off, off + n);
        this.headFill += n;
        off += n;
        if (this.headFill === HEADER_BYTES) this.startStream();
        continue;
      }
      if (!this.body) {
        const n = Math.min(RECORD_HEAD_BYTES - this.recHeadFill, data.length - off);
        data.copy(this.recHead, this.recHeadFill, off, off + n);
        this.recHeadFill += n;
        off += n;
        if (this.recHeadFill === RECORD_HEAD_BYTES) this.startRecord();
        continue;
      }
      const n = Math.min(this.bodyLen + TAG_BYTES - this.bodyFill, data.length - off);
      data.copy(this.body, this.bodyFill, off, off + n);
      this.bodyFill += n;
      off += n;
      if (this.bodyFill === this.bodyLen + TAG_BYTES) this.endRecord();
    }
  }

  private startStream(): void {
    const h = parseHeader(this.headBuf);
    if (!timingSafeEqual(h.keyId, this.dataKeyId)) {
      throw new AppError('SEALED_STREAM_FOREIGN', `The sealed file for ${this.label} was sealed with another unit's key: it does not belong to this unit.`, {
        hint: 'Check that the file comes from the unit being merged; nothing was received from it.',
      });
    }
    if (this.expectId && !timingSafeEqual(h.streamId, this.expectId)) {
      throw new AppError('SEALED_STREAM_FOREIGN', `The sealed file for ${this.label} holds another stream than the unit's records name for it.`, {
        hint: 'The stream files on the unit have been renamed or mixed up; nothing was received from this one.',
        data: { expected: this.expectId.toString('hex'), found: h.streamId.toString('hex') },
      });
    }
    this.header = h;
    this.hHash = headerHash(this.headBuf);
    this.key = streamKey(this.dataKey, h.streamId);
    this.body = null;
  }

  private startRecord(): void {
    const length = this.recHead.readUInt32BE(0);
    const flags = this.recHead.readUInt8(4);
    const chunk = this.header!.chunkBytes;
    const final = flags === FLAG_FINAL;
    if ((flags !== 0 && !final) || (!final && length !== chunk) || (final && (length < TRAILER_BYTES || length > chunk + TRAILER_BYTES))) {
      throw this.tampered('has a damaged chunk header');
    }
    this.flags = flags;
    this.bodyLen = length;
    this.bodyFill = 0;
    this.body = Buffer.allocUnsafe(length + TAG_BYTES);
  }

  private endRecord(): void {
    const body = this.body!;
    const ct = body.subarray(0, this.bodyLen);
    const d = createDecipheriv('aes-256-gcm', this.key!, nonce(this.index), { authTagLength: 16 });
    d.setAAD(recordAad(this.hHash!, this.index, this.flags, this.bodyLen));
    d.setAuthTag(body.subarray(this.bodyLen));
    let plain: Buffer;
    try {
      plain = d.update(ct);
      d.final();
    } catch {
      throw this.tampered('fails its authentication (changed, moved, or taken from another stream)');
    }
    body.fill(0);
    this.body = null;
    this.recHeadFill = 0;
    if (this.flags === FLAG_FINAL) {
      const data = plain.subarray(0, plain.length - TRAILER_BYTES);
      const trailer = plain.subarray(plain.length - TRAILER_BYTES);
      this.hash.update(data);
      const total = this.plainBytes + data.length;
      const sha = this.hash.digest();
      if (trailer.readBigUInt64BE(0) !== BigInt(total) || !timingSafeEqual(trailer.subarray(8), sha)) {
        throw this.tampered('closes a stream whose length or SHA-256 does not match the one sealed');
      }
      this.plainBytes = total;
      this.done = true;
      this.result = { streamId: this.header!.streamId.toString('hex'), plainBytes: total, sha256: sha.toString('hex'), records: Number(this.index) + 1 };
      this.index++;
      if (data.length) this.push(data);
      return;
    }
    this.hash.update(plain);
    this.plainBytes += plain.length;
    this.index++;
    this.push(plain);
  }
}
