// Plain send → receive between two datasets on this machine (the lab's offsite copy, tests).
// The sync pipeline has its own, measured version; this one just moves the stream.
import { pipeline } from 'node:stream/promises';
import { zfsReceive, zfsSend, type ReceiveOptions } from './stream.ts';

export async function sendReceive(snapshot: string, target: string, opts: { from?: string; intermediate?: boolean; receive?: ReceiveOptions } = {}): Promise<void> {
  const recv = await zfsReceive(target, opts.receive ?? {});
  const send = await zfsSend(snapshot, { from: opts.from, intermediate: opts.intermediate });
  const moved = pipeline(send.stdout, recv.stdin);
  const [m, s, r] = await Promise.allSettled([moved, send.done, recv.done]);
  // A sender that failed by itself (point gone) explains the receiver's empty stream; a sender that
  // only saw a broken pipe is explained by the receiver's error.
  if (s.status === 'rejected' && s.reason?.code !== 'TARGET_GONE') throw s.reason;
  if (r.status === 'rejected') throw r.reason;
  if (s.status === 'rejected') throw s.reason;
  if (m.status === 'rejected') throw m.reason;
}
