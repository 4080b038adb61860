// SHA-256 of a whole file, read in 1 MiB pieces (memory stays flat whatever the size), the next
// piece read while this one is hashed (system/read-ahead.ts).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../../api/errors.ts';
import { readAhead } from '../../system/read-ahead.ts';

export async function sha256File(path: string, opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<{ sha256: string; bytes: number }> {
  const fh = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const bytes = await readAhead(
      fh,
      { pieceBytes: 1024 * 1024, positioned: true, signal: opts.signal, cancelled: () => new AppError('CANCELLED', `Cancelled while reading ${path}.`) },
      (piece) => {
        hash.update(piece);
        opts.onBytes?.(piece.length);
      },
    );
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    await fh.close();
  }
}
