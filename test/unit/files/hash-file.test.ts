// The SHA-256 a manifest records for an image or a file: the same digest as hashing the whole
// content at once, whatever the size against the 1 MiB pieces it is read in, every byte counted
// in the progress, and a cancel that stops it with CANCELLED.
import { describe, it, expect, afterAll } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../../../electron/jobs/files/hash-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'rt-hashfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1024 * 1024;

describe('sha256File', () => {
  for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 17]) {
    it(`hashes a file of ${size} bytes as one piece would`, async () => {
      const data = randomBytes(size);
      const file = join(dir, `f${size}`);
      writeFileSync(file, data);
      let counted = 0;
      const r = await sha256File(file, { onBytes: (n) => (counted += n) });
      expect(r.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(r.bytes).toBe(size);
      expect(counted).toBe(size);
    });
  }

  it('stops with CANCELLED once the signal aborts, before reading the whole file', async () => {
    const file = join(dir, 'big');
    writeFileSync(file, randomBytes(8 * MiB));
    const stop = new AbortController();
    let counted = 0;
    const run = sha256File(file, {
      signal: stop.signal,
      onBytes: (n) => {
        counted += n;
        if (counted >= 2 * MiB) stop.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(counted).toBeLessThan(8 * MiB);
  });

  it('is cancelled even when the cancel comes with the last piece, and a signal already aborted stops it before it starts', async () => {
    const file = join(dir, 'one-piece');
    writeFileSync(file, randomBytes(MiB));
    const stop = new AbortController();
    const last = sha256File(file, { signal: stop.signal, onBytes: () => stop.abort() });
    await expect(last).rejects.toMatchObject({ code: 'CANCELLED' });
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    await expect(sha256File(empty, { signal: stop.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
