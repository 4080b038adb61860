// `roundtrip engine --stdio`: the engine speaking the contract as JSON lines, for the Electron main
// process to run as its privileged child (no socket to steal). Requests come in on stdin, one per
// line; answers and events go out on stdout, one per line; nothing else is ever written there.
// A line longer than the limit is refused with MESSAGE_TOO_LARGE and skipped, never buffered. The
// engine ends when stdin closes or its parent dies: running jobs are cancelled cleanly first.
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../api/wire.ts';
import { READ_ONLY_METHODS } from '../api/read-only.ts';
import { startDriveEvents } from '../engine/drive-events.ts';
import { startEngine } from '../engine/start.ts';
import { jobs } from '../engine/jobs/registry.ts';
import { logLine } from '../system/log.ts';
import { useReadOnlyTicketStore } from '../tickets/db.ts';
import { openConnection } from './connection.ts';

/** How long running jobs get to stop cleanly at shutdown before the engine exits anyway. */
const SHUTDOWN_GRACE_MS = 20_000;

export async function runStdioEngine(opts: { driveEvents?: boolean; readOnly?: boolean } = {}): Promise<number> {
  if (opts.readOnly) useReadOnlyTicketStore();
  startEngine('stdio', { readOnly: opts.readOnly });
  // A parent gone away closes the pipe: writes then fail (EPIPE), which ends the engine as a closed
  // stdin does, instead of an uncaught error before its jobs are cancelled.
  let outGone = false;
  let endOnOutGone: (why: string) => void = () => {};
  process.stdout.on('error', () => {
    outGone = true;
    endOnOutGone('stdout closed');
  });
  const write = (m: ServerMessage) => {
    if (!outGone) process.stdout.write(JSON.stringify(m) + '\n');
  };
  const conn = openConnection(write, opts.readOnly ? { only: READ_ONLY_METHODS } : {});
  // The drive watch starts beside the first requests: its first listing asks ZFS, which may take long.
  const driveEvents = opts.driveEvents === false || opts.readOnly ? null : startDriveEvents();
  const stopDriveEvents = () => void driveEvents?.then((stop) => stop());
  const parent = process.ppid;
  let chunks: Buffer[] = [];
  let length = 0;
  let skipping = false;
  const pending = new Set<Promise<void>>();
  const handle = (line: Buffer) => {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (!text.trim()) return;
    const p = conn.receive(text).finally(() => pending.delete(p));
    pending.add(p);
  };
  const tooLong = () => write({ id: null, ok: false, error: { code: 'MESSAGE_TOO_LARGE', message: `A request line may be at most ${MAX_MESSAGE_BYTES} bytes long; this one was refused unread.` } });

  const ended = new Promise<string>((resolve) => {
    endOnOutGone = resolve;
    process.stdin.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        if (skipping) skipping = false;
        else if (length + piece.length > MAX_MESSAGE_BYTES) tooLong();
        else handle(Buffer.concat([...chunks, piece]));
        chunks = [];
        length = 0;
        start = nl + 1;
      }
      const rest = chunk.subarray(start);
      if (skipping || rest.length === 0) return;
      if (length + rest.length > MAX_MESSAGE_BYTES) {
        // Refused at once, and what follows until the next newline is dropped unread.
        tooLong();
        chunks = [];
        length = 0;
        skipping = true;
        return;
      }
      chunks.push(Buffer.from(rest));
      length += rest.length;
    });
    process.stdin.on('end', () => resolve('stdin closed'));
    process.stdin.on('error', () => resolve('stdin failed'));
    // A parent killed with -9 cannot close our stdin for us in every case; being re-parented says it.
    const watch = setInterval(() => {
      if (process.ppid !== parent) resolve('parent died');
    }, 500);
    watch.unref();
  });

  const why = await ended;
  logLine('engine', { op: 'stdio engine stopping', why });
  stopDriveEvents();
  await Promise.allSettled([...pending]);
  await Promise.race([jobs.cancelLive(), new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref())]);
  conn.close();
  return 0;
}
