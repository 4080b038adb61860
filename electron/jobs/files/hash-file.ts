// SHA-256 of a whole file, read in 1 MiB pieces (memory stays flat whatever the size).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../../api/errors.ts';

export async function sha256File(path: string, opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<{ sha256: string; bytes: number }> {
  const fh = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let pos = 0;
    for (;;) {
      if (opts.signal?.aborted) throw new AppError('CANCELLED', `Cancelled while reading ${path}.`);
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
      opts.onBytes?.(bytesRead);
    }
    return { sha256: hash.digest('hex'), bytes: pos };
  } finally {
    await fh.close();
  }
}
