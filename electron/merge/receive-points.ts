// The unit's points into a destination dataset, one stream per point along the manifest's chain:
// `zfs send [-i from] unit@pt | digest | zfs receive dest`, the send from a drive's pool or a NAS.
// Each point is proven on arrival: the
// destination's GUID equals the manifest's, and the stream's content digest equals the one computed
// on the source when the unit was made. The caller undoes the whole system if any point fails.
import { pipeline } from 'node:stream/promises';
import { AppError } from '../api/errors.ts';
import type { ManifestPoint } from '../jobs/manifest.ts';
import { abortError } from '../jobs/drive-watch.ts';
import { StreamDigest } from '../jobs/stream-digest.ts';
import { recordsOf } from '../jobs/zfs/point-digest.ts';
import type { Readable } from 'node:stream';
import { listSnapshots, zfsReceive } from '../system/zfs/index.ts';

export interface ReceivedPoint {
  name: string;
  guid: string;
  bytes: number;
}

/** The unit's side: `zfs send [-i from] point` from wherever the unit is (unit-source.ts). */
export type PointSender = (point: string, from: string | null, signal?: AbortSignal) => Promise<{ stdout: Readable; done: Promise<void> }>;

export async function receivePoint(
  sendPoint: PointSender,
  destDataset: string,
  p: ManifestPoint,
  from: string | null,
  opts: { onBytes?: (n: number) => void; signal?: AbortSignal; step: string },
): Promise<ReceivedPoint> {
  // -F on increments only: the destination's newest point is the base (checked by the caller), and
  // a mounted dataset that was read since that point counts as "modified" to zfs receive.
  // First: a manifest that cannot prove the point must fail before a receiver waits on its stdin.
  const records = recordsOf(p);
  const recv = await zfsReceive(destDataset, { force: from !== null, signal: opts.signal });
  const send = await sendPoint(p.name, from, opts.signal);
  const digest = new StreamDigest(opts.onBytes, records);
  const [m, s, r] = await Promise.allSettled([pipeline(send.stdout, digest, recv.stdin, { signal: opts.signal }), send.done, recv.done]);
  if (opts.signal?.aborted) throw abortError(opts.signal, `Cancelled while receiving ${p.name}.`, opts.step);
  const fail = (e: unknown) => {
    const err = e as AppError;
    return new AppError(err.code ?? 'ZFS_RECEIVE_REFUSED', `Point ${p.name} could not be received into ${destDataset}: ${err.message}`, { detail: err.detail, step: opts.step });
  };
  if (s.status === 'rejected' && s.reason?.code !== 'TARGET_GONE') throw fail(s.reason);
  if (r.status === 'rejected') throw fail(r.reason);
  if (s.status === 'rejected') throw fail(s.reason);
  // zfs receive exits as soon as it has read the END record; under load its stdin can close before our
  // side sees 'finish' (ERR_STREAM_PREMATURE_CLOSE). With both processes done cleanly, the whole stream
  // went through the digest, and the GUID and digest checks below decide.
  if (m.status === 'rejected' && (m.reason as NodeJS.ErrnoException)?.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
    throw fail(new AppError('TARGET_GONE', 'the stream broke off', { detail: String(m.reason) }));
  }
  const got = digest.finish();
  const landed = (await listSnapshots(destDataset)).find((x) => x.snap === p.name);
  if (!landed || landed.guid !== p.guid) {
    throw new AppError('VERIFY_MISMATCH', `Point ${p.name} arrived in ${destDataset} with GUID ${landed?.guid ?? 'none'}; the manifest says ${p.guid}.`, { step: opts.step });
  }
  if (p.from === from && got.sha256 !== p.contentDigest) {
    throw new AppError('VERIFY_MISMATCH', `The content of point ${p.name} read from the unit differs from what was sent to it.`, { step: opts.step });
  }
  return { name: p.name, guid: landed.guid, bytes: got.bytes };
}
