// The sealed stream file (docs/sealed-units.md): a 48-byte header, then records, each one chunk of
// the plain stream encrypted with AES-256-GCM under a key of its own stream:
//
//   header  magic "RTBSEAL\0" (8) | version u8 (1) | reserved (3, zero) | chunk size u32 BE |
//           stream id (16, random) | key id (16, from the unit's data key; no KDF, no secret)
//   record  length u32 BE | flags u8 (bit 0: final) | ciphertext (length bytes) | GCM tag (16)
//
// Key:   HKDF-SHA256(ikm = unit data key, salt = stream id, info = "roundtrip-seal v1 stream key").
// Nonce: 4 zero bytes | record index u64 BE (unique per record, and each stream has its own key).
// AAD:   SHA-256(header) | record index u64 BE | flags u8 | length u32 BE.
// So a record authenticates only at its own place in its own stream: a record moved, dropped, or
// copied from another stream fails its tag. Every record but the last holds exactly `chunk size`
// bytes; the last one (flag final) holds the last 1..chunk size bytes of the stream (0 only for an
// empty stream) followed by the trailer: total plain length u64 BE | SHA-256 of the plain stream.
// The last data always travels in the final record, so a file cut after any record never hands
// the receiver a whole stream.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { AppError } from '../api/errors.ts';

export const SEAL_MAGIC = Buffer.from('RTBSEAL\0', 'latin1');
export const SEAL_VERSION = 1;
export const HEADER_BYTES = 48;
export const RECORD_HEAD_BYTES = 5;
export const TAG_BYTES = 16;
export const TRAILER_BYTES = 8 + 32;
export const FLAG_FINAL = 1;
/** Plain bytes per record: 1 MiB (measured 256 KiB-4 MiB in test/bench/sealed.bench.ts). */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
export const MIN_CHUNK_BYTES = 4096;
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;

export interface SealHeader {
  version: number;
  chunkBytes: number;
  streamId: Buffer;
  keyId: Buffer;
}

/** A short public name for a data key (HMAC under the key itself): tells units apart, reveals nothing. */
export function dataKeyId(dataKey: Buffer): Buffer {
  return createHmac('sha256', dataKey).update('roundtrip-seal v1 key id').digest().subarray(0, 16);
}

export function streamKey(dataKey: Buffer, streamId: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, streamId, 'roundtrip-seal v1 stream key', 32));
}

export function encodeHeader(h: SealHeader): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  SEAL_MAGIC.copy(b, 0);
  b.writeUInt8(h.version, 8);
  b.writeUInt32BE(h.chunkBytes, 12);
  h.streamId.copy(b, 16);
  h.keyId.copy(b, 32);
  return b;
}

/** The header's fields; SEALED_STREAM_FOREIGN when these bytes are not a sealed stream this app reads. */
export function parseHeader(b: Buffer): SealHeader {
  if (b.length < HEADER_BYTES || !b.subarray(0, 8).equals(SEAL_MAGIC)) {
    throw new AppError('SEALED_STREAM_FOREIGN', 'This file is not a sealed stream: it does not start like one.', {
      hint: 'Check that the file is a stream file from this unit; nothing was received from it.',
    });
  }
  const version = b.readUInt8(8);
  const chunkBytes = b.readUInt32BE(12);
  if (version !== SEAL_VERSION || chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
    throw new AppError('SEALED_STREAM_FOREIGN', `This sealed stream is in a format this version of RoundTrip Bench does not read (version ${version}).`, {
      hint: 'Update RoundTrip Bench, or check that the file is not damaged; nothing was received from it.',
    });
  }
  return { version, chunkBytes, streamId: Buffer.from(b.subarray(16, 32)), keyId: Buffer.from(b.subarray(32, 48)) };
}

export function headerHash(header: Buffer): Buffer {
  return createHash('sha256').update(header).digest();
}

export function nonce(index: bigint): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(index, 4);
  return n;
}

export function recordAad(hHash: Buffer, index: bigint, flags: number, length: number): Buffer {
  const a = Buffer.alloc(32 + 8 + 1 + 4);
  hHash.copy(a, 0);
  a.writeBigUInt64BE(index, 32);
  a.writeUInt8(flags, 40);
  a.writeUInt32BE(length, 41);
  return a;
}

/** Bytes of a sealed file for a plain stream of `plainBytes` (for sizing a unit). */
export function sealedSize(plainBytes: number, chunkBytes = DEFAULT_CHUNK_BYTES): number {
  const records = Math.max(1, Math.ceil(plainBytes / chunkBytes));
  return HEADER_BYTES + records * (RECORD_HEAD_BYTES + TAG_BYTES) + plainBytes + TRAILER_BYTES;
}
