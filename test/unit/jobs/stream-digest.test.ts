// The stream digest against sha256 computed directly: whatever the chunking, the whole-stream hash
// is the stream's SHA-256 and the content digest is the SHA-256 of all but the first and last 312 bytes.
import { describe, it, expect } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { DRR_RECORD_BYTES, StreamDigest } from '../../../electron/jobs/stream-digest.ts';

async function digestOf(chunks: Buffer[]) {
  const d = new StreamDigest();
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), d, new Writable({ write(c, _e, cb) { out.push(c); cb(); } }));
  return { ...(await d.finish()), passed: Buffer.concat(out) };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('StreamDigest', () => {
  it('passes every byte on unchanged and hashes the stream and its content', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 700, max: 300_000 }), fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 12 }), async (size, cuts) => {
        const data = randomBytes(size);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const c of cuts) {
          if (at >= size) break;
          chunks.push(data.subarray(at, Math.min(size, at + c)));
          at += c;
        }
        if (at < size) chunks.push(data.subarray(at));
        const r = await digestOf(chunks);
        expect(r.passed.equals(data)).toBe(true);
        expect(r.bytes).toBe(size);
        expect(r.sha256).toBe(sha(data));
        expect(r.contentDigest).toBe(sha(data.subarray(DRR_RECORD_BYTES, size - DRR_RECORD_BYTES)));
      }),
      { numRuns: 40 },
    );
  });

  it('hashes a stream far larger than what it lets queue for the worker (64 MiB through a 16 MiB limit)', async () => {
    const block = randomBytes(1024 * 1024);
    async function* gen() {
      for (let i = 0; i < 64; i++) yield block;
    }
    const whole = createHash('sha256');
    for (let i = 0; i < 64; i++) whole.update(block);
    const d = new StreamDigest();
    await pipeline(Readable.from(gen()), d, new Writable({ write(_c, _e, cb) { cb(); } }));
    expect((await d.finish()).sha256).toBe(whole.digest('hex'));
  });
});
