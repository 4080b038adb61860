// Proving a point that already landed: `zfs send [-i from] point` again, streamed and discarded,
// hashed with the records recorded at sync in place of its own (see jobs/stream-digest.ts). The
// result equals the manifest's contentDigest exactly when the point is the one that was sent.
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../api/errors.ts';
import type { ManifestPoint } from '../manifest.ts';
import { zfsSend } from '../../system/zfs/index.ts';
import { decodeRecords, StreamDigest, type StreamRecords } from '../stream-digest.ts';

export async function pointDigest(snapshot: string, p: ManifestPoint, signal?: AbortSignal): Promise<{ bytes: number; digest: string }> {
  return digestSendStream(await zfsSend(snapshot, { from: p.from ?? undefined, signal }), recordsOf(p));
}

/** The manifest point's recorded records; a manifest without them cannot prove any point. */
export function recordsOf(p: ManifestPoint): StreamRecords {
  const r = decodeRecords(p.records);
  if (!r) throw new AppError('MANIFEST_INVALID', `The manifest does not hold the stream records of point ${p.name}, so its content cannot be compared.`);
  return r;
}

/** The same for any running send (a local `zfs send`, or one over ssh on a NAS unit). */
export async function digestSendStream(send: { stdout: Readable; done: Promise<void> }, records: StreamRecords): Promise<{ bytes: number; digest: string }> {
  const digest = new StreamDigest(undefined, records);
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const [m, s] = await Promise.allSettled([pipeline(send.stdout, digest, sink), send.done]);
  if (s.status === 'rejected') throw s.reason;
  if (m.status === 'rejected') throw m.reason;
  const r = digest.finish();
  return { bytes: r.bytes, digest: r.sha256 };
}
