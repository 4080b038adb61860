// The in-kernel mover of the ZFS sync (system/tee-splice.ts): real pipes, real perl, tee(2) and splice(2).
import { describe, it, expect } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { openWidePipes, WIDE_PIPE_BYTES } from '../../../electron/system/wide-pipe.ts';
import { startTeeSplice, teeSpliceAvailable } from '../../../electron/system/tee-splice.ts';

async function readAll(h: FileHandle): Promise<Buffer> {
  const out: Buffer[] = [];
  const b = Buffer.alloc(WIDE_PIPE_BYTES);
  for (;;) {
    const { bytesRead } = await h.read(b, 0, b.length, null);
    if (bytesRead === 0) return Buffer.concat(out);
    out.push(Buffer.from(b.subarray(0, bytesRead)));
  }
}

async function writeAll(h: FileHandle, data: Buffer): Promise<void> {
  for (let off = 0; off < data.length; ) off += (await h.write(data, off, Math.min(256 * 1024, data.length - off), null)).bytesWritten;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('tee/splice mover (perl syscall)', () => {
  it('is available on this machine', () => {
    expect(teeSpliceAvailable()).toBe(true);
  });

  it('moves every byte to the receiver and the same bytes to the copy, in order, then end of file on both', async () => {
    const [a, b, c] = (await openWidePipes(3))!;
    const mover = startTeeSplice(a.read.fd, b.write.fd, c.write.fd);
    await new Promise<void>((res, rej) => mover.once('spawn', () => res()).once('error', rej));
    await Promise.all([a.read.close(), b.write.close(), c.write.close()]);
    const data = randomBytes(9 * WIDE_PIPE_BYTES + 12345);
    const [received, copied] = await Promise.all([readAll(b.read), readAll(c.read), writeAll(a.write, data).then(() => a.write.close())]);
    const r = await mover;
    expect(r.exitCode).toBe(0);
    expect(received.length).toBe(data.length);
    expect(sha(received)).toBe(sha(data));
    expect(sha(copied)).toBe(sha(data));
    await Promise.all([b.read.close(), c.read.close()]);
  });

  it('ends (SIGPIPE) when the receiver goes away, so the sender is not left waiting', async () => {
    const [a, b, c] = (await openWidePipes(3))!;
    const mover = startTeeSplice(a.read.fd, b.write.fd, c.write.fd);
    await new Promise<void>((res, rej) => mover.once('spawn', () => res()).once('error', rej));
    await Promise.all([a.read.close(), b.write.close(), c.write.close(), b.read.close()]);
    const copy = readAll(c.read);
    const wrote = writeAll(a.write, randomBytes(4 * WIDE_PIPE_BYTES)).catch((e: NodeJS.ErrnoException) => e.code);
    const r = await mover;
    expect(r.signal ?? r.exitCode).toBe('SIGPIPE');
    expect(await wrote).toBe('EPIPE');
    await copy;
    await Promise.all([a.write.close(), c.read.close()]);
  });
});
