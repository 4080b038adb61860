// Moves a stream from one pipe to another through this process, measuring it on the way: reads of
// up to one pipe's worth (1 MiB) into two alternating buffers, so the next read overlaps the
// previous write. Ends at the reader's end of file (every writer gone); a reader gone on the other
// side shows up as EPIPE from the write, for the caller to explain.
// The signal is checked between chunks: under zfs-fuse the daemon, not the killed `zfs` command,
// holds the other ends, so a cancelled stream only stops once we stop and close ours.
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../api/errors.ts';
import { WIDE_PIPE_BYTES } from '../system/wide-pipe.ts';
import type { StreamDigest } from './stream-digest.ts';

async function writeAll(to: FileHandle, chunk: Buffer): Promise<void> {
  let off = 0;
  while (off < chunk.length) off += (await to.write(chunk, off, chunk.length - off, null)).bytesWritten;
}

export async function pumpThrough(from: FileHandle, to: FileHandle, digest: StreamDigest, signal?: AbortSignal): Promise<void> {
  const buffers = [Buffer.allocUnsafe(WIDE_PIPE_BYTES), Buffer.allocUnsafe(WIDE_PIPE_BYTES)];
  let writing: Promise<void> = Promise.resolve();
  for (let i = 0; ; i ^= 1) {
    if (signal?.aborted) {
      await writing.catch(() => undefined);
      throw new AppError('CANCELLED', 'The stream was stopped.');
    }
    const b = buffers[i];
    let bytesRead: number;
    try {
      bytesRead = (await from.read(b, 0, b.length, null)).bytesRead;
    } catch (e) {
      await writing.catch(() => undefined);
      throw e;
    }
    if (bytesRead === 0) break;
    const chunk = b.subarray(0, bytesRead);
    digest.measure(chunk);
    await writing;
    writing = writeAll(to, chunk);
    // Failing while the next read waits is seen at the next await; until then it must not count
    // as unhandled (that would end the process).
    writing.catch(() => undefined);
  }
  await writing;
}
