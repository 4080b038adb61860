// The 1 MiB pipes the ZFS sync streams through (system/wide-pipe.ts): real FIFOs, enlarged by perl.
import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openWidePipes, WIDE_PIPE_BYTES } from '../../../electron/system/wide-pipe.ts';

describe('wide pipes (mkfifo + perl F_SETPIPE_SZ)', () => {
  it('holds 1 MiB without a reader, hands the bytes over intact and in order, then end of file', async () => {
    const pipes = await openWidePipes(2);
    expect(pipes).not.toBeNull();
    const [p] = pipes!;
    // A default pipe (64 KiB) would block this write until someone read.
    const data = randomBytes(WIDE_PIPE_BYTES - 4096);
    await p.write.write(data, 0, data.length, null);
    await p.write.close();
    const got: Buffer[] = [];
    const buf = Buffer.alloc(WIDE_PIPE_BYTES);
    for (;;) {
      const { bytesRead } = await p.read.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      got.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
    expect(Buffer.concat(got).equals(data)).toBe(true);
    await p.read.close();
    await pipes![1].read.close();
    await pipes![1].write.close();
  });
});
