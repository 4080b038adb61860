// A point as a sealed stream file (issue 21, electron/seal/): `zfs send` sealed into a file on a
// unit's ext4 partition, and a sealed file opened into `zfs receive`. The opener hands on a record
// only once its tag has verified, and the last data of a stream travels in its final record, so a
// refused file ends the receive's input before a whole stream has reached it: `zfs receive` fails
// on the cut stream and keeps nothing of it (no partial point; an incremental leaves the
// destination as it was). The opener's own code is reported, not the receive's complaint.
import { createReadStream, createWriteStream } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../api/errors.ts';
import { OpenStream, SealStream, dataKeyId, scanSealed, type OpenResult, type SealResult, type SealedScan } from '../../seal/index.ts';
import { zfsReceive, zfsSend, type ReceiveOptions } from '../../system/zfs/index.ts';
import { sealedWriteFailure, syncFile } from '../sealed/seal-file.ts';

const IO_BYTES = 1024 * 1024;

/** Where the half-written file at `path` can be continued, or null (no file, no whole header or record). */
async function resumePoint(path: string, dataKey: Buffer): Promise<SealedScan | null> {
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return null;
  try {
    const read = async (position: number, length: number) => {
      const b = Buffer.alloc(length);
      const { bytesRead } = await fh.read(b, 0, length, position);
      return b.subarray(0, bytesRead);
    };
    const scan = await scanSealed(read, (await fh.stat()).size);
    if (scan && !scan.header.keyId.equals(dataKeyId(dataKey))) {
      throw new AppError('SEALED_STREAM_FOREIGN', `The half-written file ${path} was sealed with another unit's key; it is left as it is.`);
    }
    return scan && scan.records > 0 ? scan : null;
  } finally {
    await fh.close();
  }
}

/**
 * `zfs send [-i from] snapshot`, sealed with the unit's data key, into `path` (created; fsynced).
 * With `resume`, a half-written file there is continued after its last whole record (the same
 * point sent again gives the same records, and the last one is checked); else it must not exist.
 */
export async function sendSealed(
  snapshot: string,
  path: string,
  dataKey: Buffer,
  opts: { from?: string; chunkBytes?: number; resume?: boolean; signal?: AbortSignal; tap?: Transform } = {},
): Promise<SealResult & { resumedAt: number }> {
  const scan = opts.resume ? await resumePoint(path, dataKey) : null;
  const sealer = scan
    ? new SealStream(dataKey, { chunkBytes: scan.header.chunkBytes, streamId: scan.header.streamId, resume: { records: scan.records, lastTag: scan.lastTag! } })
    : new SealStream(dataKey, { chunkBytes: opts.chunkBytes });
  if (scan) await truncate(path, scan.resumeAt);
  const send = await zfsSend(snapshot, { from: opts.from, signal: opts.signal });
  const out = scan
    ? createWriteStream(path, { flags: 'r+', start: scan.resumeAt, highWaterMark: IO_BYTES })
    : createWriteStream(path, { flags: opts.resume ? 'w' : 'wx', highWaterMark: IO_BYTES });
  // `tap` sees the plain stream on its way (the sync's StreamEnds: the BEGIN record's GUID, progress).
  const moved = opts.tap ? pipeline(send.stdout, opts.tap, sealer, out, { signal: opts.signal }) : pipeline(send.stdout, sealer, out, { signal: opts.signal });
  const [m, s] = await Promise.allSettled([moved, send.done]);
  // The sealer's refusal (a resume with another stream) explains the sender's broken pipe.
  if (m.status === 'rejected' && m.reason instanceof AppError && m.reason.code.startsWith('SEALED_')) throw m.reason;
  if (s.status === 'rejected' && s.reason?.code !== 'TARGET_GONE') throw s.reason;
  if (m.status === 'rejected') throw sealedWriteFailure(m.reason, snapshot);
  if (s.status === 'rejected') throw s.reason;
  await syncFile(path);
  return { ...sealer.finish(), resumedAt: scan?.resumeAt ?? 0 };
}

/** The sealed file at `path` opened with the unit's data key into `zfs receive target`. */
export async function receiveSealed(path: string, target: string, dataKey: Buffer, opts: { streamId?: string; label?: string; receive?: ReceiveOptions } = {}): Promise<OpenResult> {
  const opener = new OpenStream(dataKey, { streamId: opts.streamId, label: opts.label });
  const recv = await zfsReceive(target, opts.receive ?? {});
  const moved = pipeline(createReadStream(path, { highWaterMark: IO_BYTES }), opener, recv.stdin);
  const [m, r] = await Promise.allSettled([moved, recv.done]);
  // The opener's refusal explains the receive's failure on its cut stream.
  if (m.status === 'rejected' && m.reason instanceof AppError && m.reason.code.startsWith('SEALED_')) throw m.reason;
  if (r.status === 'rejected') throw r.reason;
  // zfs receive may close its stdin right after the END record, before our side saw 'finish'.
  if (m.status === 'rejected' && !['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE'].includes((m.reason as NodeJS.ErrnoException)?.code ?? '')) {
    throw m.reason instanceof AppError ? m.reason : new AppError('MERGE_UNIT_DAMAGED', `The sealed file ${path} could not be read.`, { detail: String(m.reason) });
  }
  return opener.finish();
}
