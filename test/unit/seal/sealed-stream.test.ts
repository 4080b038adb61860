// The sealed stream format (electron/seal/): round trips of every boundary size, and each kind of
// tampering refused with its own code before any of the bad chunk's bytes are handed on.
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { HEADER_BYTES, RECORD_HEAD_BYTES, TAG_BYTES, OpenStream, SealStream, scanSealed, sealedSize, type OpenOptions, type SealOptions } from '../../../electron/seal/index.ts';

const CHUNK = 4096;
const REC = RECORD_HEAD_BYTES + CHUNK + TAG_BYTES;

/** Feeds `data` in uneven pieces, as a pipe would. */
function pieces(data: Buffer): Readable {
  const out: Buffer[] = [];
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = [1, 777, 5000, 65536, 3][i % 5];
    out.push(data.subarray(off, off + n));
    off += n;
  }
  return Readable.from(out);
}

async function seal(key: Buffer, data: Buffer, chunkBytes = CHUNK, more: SealOptions = {}) {
  const s = new SealStream(key, { chunkBytes, ...more });
  const parts: Buffer[] = [];
  await pipeline(pieces(data), s, new Writable({ write: (c, _e, cb) => (parts.push(c), cb()) }));
  return { file: Buffer.concat(parts), result: s.finish(), streamId: s.streamId };
}

/** The plain bytes the opener handed on, and its error if it refused. */
async function open(key: Buffer, file: Buffer, opts: OpenOptions = {}) {
  const o = new OpenStream(key, opts);
  const parts: Buffer[] = [];
  let error: AppError | null = null;
  try {
    await pipeline(pieces(file), o, new Writable({ write: (c, _e, cb) => (parts.push(c), cb()) }));
  } catch (e) {
    error = e as AppError;
  }
  return { plain: Buffer.concat(parts), error, result: error ? null : o.finish() };
}

describe('sealed stream format', () => {
  const key = randomBytes(32);

  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 123]) {
    it(`round trips ${size} bytes`, async () => {
      const data = randomBytes(size);
      const { file, result, streamId } = await seal(key, data);
      expect(file.length).toBe(sealedSize(size, CHUNK));
      expect(result.plainBytes).toBe(size);
      const back = await open(key, file, { streamId });
      expect(back.error).toBeNull();
      expect(back.plain.equals(data)).toBe(true);
      expect(back.result!.sha256).toBe(result.sha256);
      expect(back.result!.records).toBe(result.records);
    });
  }

  it('keeps the last data in the final record: a stream of whole chunks has no empty final record', async () => {
    const { result } = await seal(key, randomBytes(3 * CHUNK));
    expect(result.records).toBe(3);
  });

  const data = Buffer.concat([randomBytes(2 * CHUNK), Buffer.from('MARKER-PLAIN-TEXT-7731'), randomBytes(3 * CHUNK)]);

  it('shows nothing of the plain stream', async () => {
    const { file } = await seal(key, Buffer.concat([data, Buffer.alloc(CHUNK, 'MARKER-PLAIN-TEXT-7731')]));
    expect(file.includes('MARKER-PLAIN')).toBe(false);
    expect(file.includes(data.subarray(100, 132))).toBe(false);
  });

  it('refuses a flipped bit mid-file as tampered, before handing on that chunk', async () => {
    const { file } = await seal(key, data);
    const bad = Buffer.from(file);
    const at = HEADER_BYTES + 2 * REC + 1000; // inside record 2
    bad[at] ^= 0x10;
    const r = await open(key, bad);
    expect(r.error?.code).toBe('SEALED_CHUNK_TAMPERED');
    expect(r.error?.data).toEqual({ record: 2 });
    expect(r.plain.equals(data.subarray(0, 2 * CHUNK))).toBe(true);
  });

  it('refuses a file cut at a chunk boundary, and one cut mid-chunk, as truncated', async () => {
    const { file } = await seal(key, data);
    for (const cut of [HEADER_BYTES + 3 * REC, HEADER_BYTES + 3 * REC + 100, 20]) {
      const r = await open(key, file.subarray(0, cut));
      expect(r.error?.code, `cut at ${cut}`).toBe('SEALED_STREAM_TRUNCATED');
    }
    expect((await open(key, Buffer.alloc(0))).error?.code).toBe('SEALED_STREAM_TRUNCATED');
  });

  it('refuses two chunks swapped, and a dropped chunk, as tampered', async () => {
    const { file } = await seal(key, data);
    const rec = (i: number) => file.subarray(HEADER_BYTES + i * REC, HEADER_BYTES + (i + 1) * REC);
    const swapped = Buffer.concat([file.subarray(0, HEADER_BYTES), rec(0), rec(2), rec(1), file.subarray(HEADER_BYTES + 3 * REC)]);
    const r = await open(key, swapped);
    expect(r.error?.code).toBe('SEALED_CHUNK_TAMPERED');
    expect(r.plain.length).toBe(CHUNK);
    const dropped = Buffer.concat([file.subarray(0, HEADER_BYTES + REC), file.subarray(HEADER_BYTES + 2 * REC)]);
    expect((await open(key, dropped)).error?.code).toBe('SEALED_CHUNK_TAMPERED');
  });

  it('refuses a chunk copied from another stream of the same unit as tampered', async () => {
    const a = await seal(key, data);
    const b = await seal(key, randomBytes(data.length));
    const mixed = Buffer.from(a.file);
    b.file.copy(mixed, HEADER_BYTES + REC, HEADER_BYTES + REC, HEADER_BYTES + 2 * REC);
    const r = await open(key, mixed);
    expect(r.error?.code).toBe('SEALED_CHUNK_TAMPERED');
    expect(r.error?.data).toEqual({ record: 1 });
  });

  it('refuses data after the final record as tampered', async () => {
    const { file } = await seal(key, data);
    expect((await open(key, Buffer.concat([file, Buffer.from([0])]))).error?.code).toBe('SEALED_CHUNK_TAMPERED');
  });

  it('refuses another stream than the one expected, another unit, and a non-sealed file as foreign', async () => {
    const a = await seal(key, data);
    const b = await seal(key, data);
    const r = await open(key, b.file, { streamId: a.streamId.toString('hex') });
    expect(r.error?.code).toBe('SEALED_STREAM_FOREIGN');
    expect(r.error?.message).toMatch(/another stream/);
    expect(r.plain.length).toBe(0);
    const other = await open(randomBytes(32), a.file);
    expect(other.error?.code).toBe('SEALED_STREAM_FOREIGN');
    expect(other.error?.message).toMatch(/another unit's key/);
    const plain = await open(key, data);
    expect(plain.error?.code).toBe('SEALED_STREAM_FOREIGN');
    expect(plain.error?.message).toMatch(/not a sealed stream/);
  });

  it('refuses any single-byte change anywhere in the file', async () => {
    const small = randomBytes(2 * CHUNK + 500);
    const { file } = await seal(key, small);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, x) => {
        const bad = Buffer.from(file);
        bad[at] ^= x;
        const r = await open(key, bad);
        expect(r.error?.code).toMatch(/^SEALED_(CHUNK_TAMPERED|STREAM_TRUNCATED|STREAM_FOREIGN)$/);
        // What was handed on is a prefix of the real stream: nothing changed ever reaches the receiver.
        expect(small.subarray(0, r.plain.length).equals(r.plain)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  describe('resume after the last whole record', () => {
    const scan = (file: Buffer) => scanSealed(async (p, l) => file.subarray(p, p + l), file.length);

    it('continues a half-written file into the same bytes as a whole write, and it opens', async () => {
      const whole = await seal(key, data);
      for (const cut of [HEADER_BYTES + 3 * REC + 700, HEADER_BYTES + 3 * REC, whole.file.length, whole.file.length - 1]) {
        const part = whole.file.subarray(0, cut);
        const at = (await scan(part))!;
        expect(at.header.streamId.equals(whole.streamId)).toBe(true);
        expect(at.records, `cut at ${cut}`).toBe(Math.min(Math.floor((cut - HEADER_BYTES) / REC), whole.result.records - 1));
        const rest = await seal(key, data, CHUNK, { streamId: at.header.streamId, resume: { records: at.records, lastTag: at.lastTag! } });
        const joined = Buffer.concat([part.subarray(0, at.resumeAt), rest.file]);
        expect(joined.equals(whole.file), `cut at ${cut}`).toBe(true);
        expect(rest.result.sha256).toBe(whole.result.sha256);
        expect(rest.result.sealedBytes).toBe(whole.file.length);
      }
      expect(await scan(whole.file.subarray(0, 30))).toBeNull();
    });

    it('refuses to continue with another stream, or a shorter one', async () => {
      const whole = await seal(key, data);
      const at = (await scan(whole.file.subarray(0, HEADER_BYTES + 3 * REC + 10)))!;
      const resume = { streamId: at.header.streamId, resume: { records: at.records, lastTag: at.lastTag! } };
      const other = Buffer.from(data);
      other[2 * CHUNK + 5] ^= 1;
      await expect(seal(key, other, CHUNK, resume)).rejects.toMatchObject({ code: 'SEALED_STREAM_FOREIGN' });
      await expect(seal(key, data.subarray(0, 2 * CHUNK + 10), CHUNK, resume)).rejects.toMatchObject({ code: 'SEALED_STREAM_FOREIGN' });
    });
  });
});
