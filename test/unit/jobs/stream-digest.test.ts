// The stream digest against sha256 computed directly: whatever the chunking, it is the stream's
// SHA-256, it keeps the stream's first and last 312-byte records, and with recorded records put in
// place of its own it gives the recorded digest exactly when the bytes between them are the same.
import { describe, it, expect } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { decodeRecords, DRR_RECORD_BYTES, encodeRecords, StreamDigest, type StreamRecords } from '../../../electron/jobs/stream-digest.ts';

function cut(data: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const c of cuts) {
    if (at >= data.length) break;
    chunks.push(data.subarray(at, Math.min(data.length, at + c)));
    at += c;
  }
  if (at < data.length) chunks.push(data.subarray(at));
  return chunks;
}

async function digestOf(chunks: Buffer[], substitute?: StreamRecords) {
  const d = new StreamDigest(undefined, substitute);
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), d, new Writable({ write(c, _e, cb) { out.push(c); cb(); } }));
  return { ...d.finish(), passed: Buffer.concat(out) };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const R = DRR_RECORD_BYTES;
const sizes = fc.integer({ min: 2 * R, max: 300_000 });
const cuts = fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 12 });

describe('StreamDigest', () => {
  it('passes every byte on unchanged, hashes the whole stream and keeps its first and last records', async () => {
    await fc.assert(
      fc.asyncProperty(sizes, cuts, async (size, cs) => {
        const data = randomBytes(size);
        const r = await digestOf(cut(data, cs));
        expect(r.passed.equals(data)).toBe(true);
        expect(r.bytes).toBe(size);
        expect(r.sha256).toBe(sha(data));
        expect(r.records.head.equals(data.subarray(0, R))).toBe(true);
        expect(r.records.tail.equals(data.subarray(size - R))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('the same point sent from elsewhere (other records, same middle) gives the recorded digest; one changed byte does not', async () => {
    await fc.assert(
      fc.asyncProperty(sizes, cuts, cuts, fc.nat(), async (size, cs1, cs2, flipAt) => {
        const source = randomBytes(size);
        const sent = await digestOf(cut(source, cs1));
        // The unit's stream: its own name in both records, the middle byte for byte the same.
        const unit = Buffer.concat([randomBytes(R), source.subarray(R, size - R), randomBytes(R)]);
        const again = await digestOf(cut(unit, cs2), sent.records);
        expect(again.sha256).toBe(sent.sha256);
        expect(again.passed.equals(unit)).toBe(true);
        if (size > 2 * R) {
          const flipped = Buffer.from(unit);
          flipped[R + (flipAt % (size - 2 * R))] ^= 1;
          expect((await digestOf(cut(flipped, cs2), sent.records)).sha256).not.toBe(sent.sha256);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('hashes a stream far larger than its memory (64 MiB) and the records survive base64', async () => {
    const block = randomBytes(1024 * 1024);
    async function* gen() {
      for (let i = 0; i < 64; i++) yield block;
    }
    const whole = createHash('sha256');
    for (let i = 0; i < 64; i++) whole.update(block);
    const d = new StreamDigest();
    await pipeline(Readable.from(gen()), d, new Writable({ write(_c, _e, cb) { cb(); } }));
    const r = d.finish();
    expect(r.sha256).toBe(whole.digest('hex'));
    const back = decodeRecords(encodeRecords(r.records))!;
    expect(back.head.equals(block.subarray(0, R)) && back.tail.equals(block.subarray(block.length - R))).toBe(true);
  });

  it('refuses records of the wrong size, and a manifest entry that does not decode gives nothing', () => {
    expect(() => new StreamDigest(undefined, { head: Buffer.alloc(10), tail: Buffer.alloc(R) })).toThrow(RangeError);
    expect(decodeRecords({ head: 'AAAA', tail: 'AAAA' })).toBeUndefined();
    expect(decodeRecords(undefined)).toBeUndefined();
  });
});
