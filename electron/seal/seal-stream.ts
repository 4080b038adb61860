// Seals a plain stream (a `zfs send`) into the sealed file format (format.ts), as a Transform.
// One chunk is held in memory: a full chunk goes out only when more data follows it, so the last
// data of the stream always travels in the final record (format.ts says why).
import { createCipheriv, createHash, randomBytes, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../api/errors.ts';
import {
  DEFAULT_CHUNK_BYTES,
  FLAG_FINAL,
  MAX_CHUNK_BYTES,
  MIN_CHUNK_BYTES,
  RECORD_HEAD_BYTES,
  SEAL_VERSION,
  TRAILER_BYTES,
  dataKeyId,
  encodeHeader,
  headerHash,
  nonce,
  recordAad,
  streamKey,
} from './format.ts';

export interface SealOptions {
  /** Plain bytes per record (DEFAULT_CHUNK_BYTES). */
  chunkBytes?: number;
  /** A given stream id (a resumed write, tests); a random one otherwise. */
  streamId?: Buffer;
  /**
   * Continue a file whose first `records` whole records are written (scanSealed): the same stream
   * sealed again with the same stream id and chunk size gives the same bytes (the key, nonces and
   * AAD depend on nothing else), so the header and those records are sealed, hashed and not pushed.
   * `lastTag`, the tag of the last written record, proves the stream sent again is the same one.
   */
  resume?: { records: number; lastTag: Buffer };
}

/** What a sealed stream was: for the unit's records in the app (never on the unit in clear). */
export interface SealResult {
  streamId: string;
  plainBytes: number;
  sealedBytes: number;
  /** SHA-256 of the plain stream (also inside the final record). */
  sha256: string;
  records: number;
}

export class SealStream extends Transform {
  readonly streamId: Buffer;
  private readonly key: Buffer;
  private readonly hHash: Buffer;
  private readonly header: Buffer;
  private readonly chunk: Buffer;
  private fill = 0;
  private index = 0n;
  private plainBytes = 0;
  private sealedBytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private result: SealResult | null = null;
  private readonly skip: bigint;
  private readonly lastTag: Buffer | null;

  constructor(dataKey: Buffer, opts: SealOptions = {}) {
    super({ readableHighWaterMark: 2 * 1024 * 1024, writableHighWaterMark: 1024 * 1024 });
    const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (dataKey.length !== 32) throw new AppError('BAD_INPUT', 'A unit data key must be 32 bytes.');
    if (!Number.isInteger(chunkBytes) || chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
      throw new AppError('BAD_INPUT', `A sealed chunk must be between ${MIN_CHUNK_BYTES} and ${MAX_CHUNK_BYTES} bytes.`);
    }
    this.streamId = opts.streamId ?? randomBytes(16);
    if (this.streamId.length !== 16) throw new AppError('BAD_INPUT', 'A sealed stream id must be 16 bytes.');
    this.key = streamKey(dataKey, this.streamId);
    this.header = encodeHeader({ version: SEAL_VERSION, chunkBytes, streamId: this.streamId, keyId: dataKeyId(dataKey) });
    this.hHash = headerHash(this.header);
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.skip = BigInt(opts.resume?.records ?? 0);
    this.lastTag = opts.resume?.lastTag ?? null;
    if (this.skip > 0n && !opts.streamId) throw new AppError('BAD_INPUT', 'A resumed sealed stream needs the stream id of the file it continues.');
  }

  override _transform(data: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      if (this.index === 0n && this.sealedBytes === 0) this.out(this.header);
      this.hash.update(data);
      this.plainBytes += data.length;
      let off = 0;
      while (off < data.length) {
        if (this.fill === this.chunk.length) {
          this.record(this.chunk, 0);
          this.fill = 0;
        }
        const n = Math.min(this.chunk.length - this.fill, data.length - off);
        data.copy(this.chunk, this.fill, off, off + n);
        this.fill += n;
        off += n;
      }
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (this.sealedBytes === 0) this.out(this.header);
      const sha = this.hash.digest();
      const trailer = Buffer.alloc(TRAILER_BYTES);
      trailer.writeBigUInt64BE(BigInt(this.plainBytes), 0);
      sha.copy(trailer, 8);
      const records = Number(this.index) + 1;
      this.record(this.chunk.subarray(0, this.fill), FLAG_FINAL, trailer);
      this.result = { streamId: this.streamId.toString('hex'), plainBytes: this.plainBytes, sealedBytes: this.sealedBytes, sha256: sha.toString('hex'), records };
      this.wipe();
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.wipe();
    cb(err);
  }

  /** The result, once the stream has ended (after the pipeline resolved). */
  finish(): SealResult {
    if (!this.result) throw new AppError('INTERNAL', 'The sealed stream was read before it ended.');
    return this.result;
  }

  private wipe(): void {
    this.key.fill(0);
    this.chunk.fill(0);
  }

  /** Pushes `b`, unless it is in the part of the file a resumed write already has (counted all the same). */
  private out(b: Buffer, index: bigint | 'header' = 'header'): void {
    this.sealedBytes += b.length;
    const written = this.skip > 0n && (index === 'header' || index < this.skip);
    if (!written) this.push(b);
  }

  private record(plain: Buffer, flags: number, trailer?: Buffer): void {
    const length = plain.length + (trailer?.length ?? 0);
    const head = Buffer.allocUnsafe(RECORD_HEAD_BYTES);
    head.writeUInt32BE(length, 0);
    head.writeUInt8(flags, 4);
    const c = createCipheriv('aes-256-gcm', this.key, nonce(this.index), { authTagLength: 16 });
    c.setAAD(recordAad(this.hHash, this.index, flags, length));
    const ct = c.update(plain);
    const ct2 = trailer ? c.update(trailer) : null;
    c.final();
    const tag = c.getAuthTag();
    if (this.lastTag && this.index === this.skip - 1n && !tag.equals(this.lastTag)) {
      throw new AppError('SEALED_STREAM_FOREIGN', 'The stream sent again is not the one whose sealed file was half written, so the file cannot be continued.', {
        hint: 'Write the stream file again from the start.',
      });
    }
    if (this.index < this.skip && flags === FLAG_FINAL) {
      throw new AppError('SEALED_STREAM_FOREIGN', 'The stream sent again is shorter than the half-written sealed file, so the file cannot be continued.', {
        hint: 'Write the stream file again from the start.',
      });
    }
    this.out(head, this.index);
    this.out(ct, this.index);
    if (ct2) this.out(ct2, this.index);
    this.out(tag, this.index);
    this.index++;
  }
}
