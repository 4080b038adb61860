// `zfs send` and `zfs receive` as Node streams. The caller pipes them (with whatever it measures
// on the way); `done` settles when the process ends and turns its stderr into a typed error.
import type { Readable, Writable } from 'node:stream';
import { AppError, type ErrorCode } from '../../api/errors.ts';
import { awaitedLater } from '../awaited-later.ts';
import { spawnTool, stderrText } from '../run.ts';
import { ensureZfs } from './daemon.ts';
import { assertDatasetName, assertSnapshotName, splitSnapshot } from './names.ts';

interface Pattern {
  match: RegExp;
  code: ErrorCode;
  message: string;
}

const SEND_ERRORS: Pattern[] = [
  { match: /does not exist|could not find any snapshots/i, code: 'SOURCE_POINT_GONE', message: 'A point to send no longer exists on the source (retention may have removed it).' },
  { match: /not an earlier snapshot|incremental source .* must be earlier/i, code: 'ZFS_SEND_FAILED', message: 'The base point is not older than the point being sent.' },
  { match: /Broken pipe/i, code: 'TARGET_GONE', message: 'The receiving side stopped taking data.' },
];

const RECEIVE_ERRORS: Pattern[] = [
  { match: /out of space|no space left/i, code: 'TARGET_FULL', message: 'The unit ran out of space while receiving.' },
  { match: /destination has been modified|destination .* exists|must specify -F|has snapshots|most recent snapshot .* does not match/i, code: 'ZFS_RECEIVE_REFUSED', message: 'The destination refused the stream: it does not continue from the same point.' },
  { match: /does not exist/i, code: 'ZFS_RECEIVE_REFUSED', message: 'The destination lacks the base point this incremental stream needs.' },
  { match: /invalid backup stream|checksum mismatch|corrupt/i, code: 'ZFS_RECEIVE_REFUSED', message: 'The stream is damaged; nothing from it was kept.' },
  { match: /I\/O error|cannot open|pool I\/O is currently suspended/i, code: 'TARGET_GONE', message: 'The unit stopped answering while receiving.' },
];

export { stderrText };

function mapFailure(stderr: string, patterns: Pattern[], fallback: ErrorCode, op: string): AppError {
  for (const p of patterns) if (p.match.test(stderr)) return new AppError(p.code, p.message, { detail: stderr.trim() });
  return new AppError(fallback, `zfs could not ${op}.`, { detail: stderr.trim() });
}

/**
 * What an ended `zfs send` means. Killed by SIGPIPE (OpenZFS writes the stream itself, and a
 * receiver that failed closes the pipe under it) is the receiving side's doing, like "Broken pipe"
 * on stderr: TARGET_GONE, which the caller explains by the receiver's own error when it has one.
 */
export function sendFailure(r: { exitCode?: number; signal?: string; stderr?: unknown }, snapshot: string): AppError | null {
  if (r.signal === 'SIGPIPE') return new AppError('TARGET_GONE', SEND_ERRORS.find((p) => p.code === 'TARGET_GONE')!.message, { detail: `zfs send ${snapshot} ended by SIGPIPE` });
  if (r.exitCode === 0) return null;
  return mapFailure(stderrText(r.stderr), SEND_ERRORS, 'ZFS_SEND_FAILED', `send ${snapshot}`);
}

export interface SendOptions {
  /** Incremental base: a full snapshot name, or a short name on the same dataset. */
  from?: string;
  /** -I (every point between base and end arrives) instead of -i (only the end point). */
  intermediate?: boolean;
  /** -p: send properties too. */
  props?: boolean;
  /** `send -t TOKEN`: continue an interrupted stream (only where the probe reports resumable receive). */
  resumeToken?: string;
  signal?: AbortSignal;
}

export interface SendHandle {
  stdout: Readable;
  done: Promise<void>;
  pid?: number;
}

export async function zfsSend(snapshot: string, opts: SendOptions = {}): Promise<SendHandle> {
  const child = await startSend(snapshot, opts, 'pipe');
  return { stdout: child.child.stdout!, done: child.done, pid: child.child.pid };
}

/** `zfs send` writing straight into a descriptor this process holds (a wide pipe, system/wide-pipe.ts). */
export async function zfsSendInto(snapshot: string, fd: number, opts: SendOptions = {}): Promise<{ done: Promise<void> }> {
  return { done: (await startSend(snapshot, opts, fd)).done };
}

async function startSend(snapshot: string, opts: SendOptions, stdout: 'pipe' | number) {
  assertSnapshotName(snapshot);
  const args = ['send'];
  if (opts.resumeToken !== undefined) {
    if (!/^[0-9a-f-]+$/i.test(opts.resumeToken)) throw new AppError('BAD_INPUT', 'That resume token is not one ZFS produced.');
    args.push('-t', opts.resumeToken);
  }
  if (opts.props) args.push('-p');
  if (opts.from) {
    const base = opts.from.includes('@') ? opts.from : `${splitSnapshot(snapshot).dataset}@${opts.from}`;
    assertSnapshotName(base);
    args.push(opts.intermediate ? '-I' : '-i', base);
  }
  if (opts.resumeToken === undefined) args.push(snapshot);
  await ensureZfs();
  const child = spawnTool('zfs', args, { op: `send ${snapshot}`, signal: opts.signal, stdin: 'ignore', stdout });
  // Awaited only once the receiving side is wired up: a cancel before then is not unhandled.
  const done = awaitedLater(
    child.then((r) => {
      if (opts.signal?.aborted) throw new AppError('CANCELLED', `Sending ${snapshot} was cancelled.`);
      const failure = sendFailure(r, snapshot);
      if (failure) throw failure;
    }),
  );
  return { child, done };
}

export interface ReceiveOptions {
  /** -F: roll the destination back to its newest point first. Only for a unit's own pool or an explicit rollback. */
  force?: boolean;
  /** -d: use the sent name below `target`. */
  keepName?: boolean;
  /** -u: do not mount what was received. */
  noMount?: boolean;
  /** -s: keep a resume token on interruption (only where the probe says so). */
  resumable?: boolean;
  signal?: AbortSignal;
}

export interface ReceiveHandle {
  stdin: Writable;
  done: Promise<void>;
  pid?: number;
}

export async function zfsReceive(target: string, opts: ReceiveOptions = {}): Promise<ReceiveHandle> {
  const r = await startReceive(target, opts, 'pipe');
  return { stdin: r.child.stdin!, done: r.done, pid: r.child.pid };
}

/** `zfs receive` reading straight from a descriptor this process holds (a wide pipe). */
export async function zfsReceiveFrom(target: string, fd: number, opts: ReceiveOptions = {}): Promise<{ done: Promise<void> }> {
  return { done: (await startReceive(target, opts, fd)).done };
}

async function startReceive(target: string, opts: ReceiveOptions, stdin: 'pipe' | number) {
  if (target.includes('@')) assertSnapshotName(target);
  else assertDatasetName(target);
  const args = ['receive'];
  if (opts.force) args.push('-F');
  if (opts.keepName) args.push('-d');
  if (opts.noMount) args.push('-u');
  if (opts.resumable) args.push('-s');
  args.push(target);
  await ensureZfs();
  // On zfs-fuse it mounts what it received alone, behind the decorator's relay (system/zfs-fuse/receive-lock.ts).
  const child = spawnTool('zfs', args, { op: `receive into ${target}`, signal: opts.signal, stdout: 'ignore', stdin });
  // The receiver starts first and is awaited only once the sender runs: a cancel between is not unhandled.
  const done = awaitedLater(
    child.then((r) => {
      if (opts.signal?.aborted) throw new AppError('CANCELLED', `Receiving into ${target} was cancelled.`);
      if (r.exitCode !== 0) throw mapFailure(stderrText(r.stderr), RECEIVE_ERRORS, 'ZFS_RECEIVE_REFUSED', `receive into ${target}`);
    }),
  );
  return { child, done };
}
