// A file sealed onto a unit (docs/sealed-units.md): a staged disk image read from the bench's disk
// and written as a sealed file on the unit's ext4 partition with the unit's data key, fsynced. The
// same refusals as a point's stream (zfs/sealed-file.ts): a full drive is TARGET_FULL, any other
// write failure TARGET_GONE.
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../api/errors.ts';
import { SealStream, type SealResult } from '../../seal/index.ts';

const IO_BYTES = 1024 * 1024;

/** What a failed write of a sealed file means to a technician. */
export function sealedWriteFailure(e: unknown, what: string): AppError {
  if (e instanceof AppError) return e;
  if ((e as NodeJS.ErrnoException)?.code === 'ENOSPC') {
    return new AppError('TARGET_FULL', `The unit's drive is full: the sealed file for ${what} did not fit.`, {
      hint: 'Add a drive or choose fewer points, then resume; the points already written are kept.',
      detail: String(e),
    });
  }
  return new AppError('TARGET_GONE', `The sealed file for ${what} could not be written.`, { detail: String(e) });
}

/** A written sealed file flushed to its drive. */
export async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The file at `src` sealed into `dst` (replaced if there), fsynced; `tap` sees the plain bytes on their way. */
export async function sealFile(src: string, dst: string, dataKey: Buffer, what: string, opts: { signal?: AbortSignal; tap?: Transform } = {}): Promise<SealResult> {
  const sealer = new SealStream(dataKey);
  const input = createReadStream(src, { highWaterMark: IO_BYTES });
  const out = createWriteStream(dst, { flags: 'w', highWaterMark: IO_BYTES });
  try {
    await (opts.tap ? pipeline(input, opts.tap, sealer, out, { signal: opts.signal }) : pipeline(input, sealer, out, { signal: opts.signal }));
    await syncFile(dst);
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? e;
    throw sealedWriteFailure(e, what);
  }
  return sealer.finish();
}
