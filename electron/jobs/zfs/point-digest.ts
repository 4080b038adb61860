// The content digest of one point, computed by streaming `zfs send [-i from] point` and discarding it.
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { zfsSend } from '../../system/zfs/index.ts';
import { StreamDigest } from '../stream-digest.ts';

export async function pointDigest(snapshot: string, from: string | null, signal?: AbortSignal): Promise<{ bytes: number; contentDigest: string }> {
  return digestSendStream(await zfsSend(snapshot, { from: from ?? undefined, signal }));
}

/** The same for any running send (a local `zfs send`, or one over ssh on a NAS unit). */
export async function digestSendStream(send: { stdout: Readable; done: Promise<void> }): Promise<{ bytes: number; contentDigest: string }> {
  const digest = new StreamDigest();
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const [m, s] = await Promise.allSettled([pipeline(send.stdout, digest, sink), send.done]);
  if (s.status === 'rejected') throw s.reason;
  if (m.status === 'rejected') throw m.reason;
  const r = await digest.finish();
  return { bytes: r.bytes, contentDigest: r.contentDigest };
}
