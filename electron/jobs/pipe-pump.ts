// Moves a stream from one pipe to another through this process, measuring it on the way: reads of
// up to one pipe's worth (1 MiB) into two alternating buffers, so the next read overlaps the
// previous write. Ends at the reader's end of file (every writer gone); a reader gone on the other
// side shows up as EPIPE from the write, for the caller to explain.
import type { FileHandle } from 'node:fs/promises';
import { WIDE_PIPE_BYTES } from '../system/wide-pipe.ts';
import type { StreamDigest } from './stream-digest.ts';

async function writeAll(to: FileHandle, chunk: Buffer): Promise<void> {
  let off = 0;
  while (off < chunk.length) off += (await to.write(chunk, off, chunk.length - off, null)).bytesWritten;
}

export async function pumpThrough(from: FileHandle, to: FileHandle, digest: StreamDigest): Promise<void> {
  const buffers = [Buffer.allocUnsafe(WIDE_PIPE_BYTES), Buffer.allocUnsafe(WIDE_PIPE_BYTES)];
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; ; i ^= 1) {
      const b = buffers[i];
      const { bytesRead } = await from.read(b, 0, b.length, null);
      if (bytesRead === 0) break;
      const chunk = b.subarray(0, bytesRead);
      digest.measure(chunk);
      await writing;
      writing = writeAll(to, chunk);
    }
    await writing;
  } catch (e) {
    writing.catch(() => undefined);
    throw e;
  }
}
