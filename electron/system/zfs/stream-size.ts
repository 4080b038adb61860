// The exact size of a send stream. OpenZFS answers with `zfs send -nvP` without sending; where the
// probe says that is missing (zfs-fuse), the stream is generated and counted, not stored: exact,
// at the cost of reading the data once.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { zfs } from './exec.ts';
import { probeZfs } from './probe.ts';
import { zfsSend, type SendOptions } from './stream.ts';

export async function streamSize(snapshot: string, opts: Pick<SendOptions, 'from' | 'intermediate' | 'props'> = {}): Promise<number> {
  const caps = await probeZfs();
  if (caps.sendDryRunSize) {
    const args = ['send', '-nvP', ...(opts.props ? ['-p'] : [])];
    if (opts.from) args.push(opts.intermediate ? '-I' : '-i', opts.from.includes('@') ? opts.from : `${snapshot.split('@')[0]}@${opts.from}`);
    args.push(snapshot);
    const r = await zfs(args, `measure the stream of ${snapshot}`);
    const m = /^size\s+(\d+)/m.exec(`${r.stdout}\n${r.stderr}`);
    if (m) return Number(m[1]);
  }
  const send = await zfsSend(snapshot, opts);
  let bytes = 0;
  const counter = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  await Promise.all([pipeline(send.stdout, counter), send.done]);
  return bytes;
}
