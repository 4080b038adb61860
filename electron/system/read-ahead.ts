// Reads a file or a pipe to its end in pieces, the next read already in flight while the caller
// handles this piece (hashes it). The read (a copy on libuv's thread pool) and the handling then
// run side by side instead of in turn: for a file's SHA-256 ~230 ms instead of ~300 ms per 335 MB
// here (2026-12-01), and for the copy of a send stream, a full copy pipe no longer waits on the
// hash (it holds the stream mover back, and with it the stream).
import type { FileHandle } from 'node:fs/promises';

export interface ReadAheadOptions {
  pieceBytes: number;
  /** Files: read at advancing offsets. Pipes: from where they are (null position). */
  positioned: boolean;
  signal?: AbortSignal;
  /** The error to throw once `signal` aborts (checked between pieces). */
  cancelled: () => Error;
}

/**
 * Calls `each` with every piece in order, and returns the bytes read. The piece is only valid
 * during the call (its buffer is read into again two pieces later). When this returns or throws,
 * a read may still be in flight: closing the handle waits for it (FileHandle.close does).
 */
export async function readAhead(fh: FileHandle, opts: ReadAheadOptions, each: (piece: Buffer) => void): Promise<number> {
  const buffers = [Buffer.allocUnsafe(opts.pieceBytes), Buffer.allocUnsafe(opts.pieceBytes)];
  const readInto = (b: Buffer, at: number) => {
    const p = fh.read(b, 0, b.length, opts.positioned ? at : null);
    // A failing read is seen at the next await; until then it must not count as unhandled.
    p.catch(() => undefined);
    return p;
  };
  let total = 0;
  let pending = readInto(buffers[0], 0);
  for (let i = 0; ; i ^= 1) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) return total;
    if (opts.signal?.aborted) throw opts.cancelled();
    total += bytesRead;
    pending = readInto(buffers[i ^ 1], total);
    each(buffers[i].subarray(0, bytesRead));
  }
}
