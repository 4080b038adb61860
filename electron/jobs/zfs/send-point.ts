// One point onto the unit: `zfs send [-i from] src@pt | measure | zfs receive unit/system`,
// back-pressure end to end (pipeline), the stream measured on the way, typed errors.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../api/errors.ts';
import { assertDatasetName, assertSnapshotName, stderrText, zfsReceive, zfsReceiveFrom, zfsSend, zfsSendInto } from '../../system/zfs/index.ts';
import { openWidePipes, WIDE_PIPE_BYTES, type WidePipe } from '../../system/wide-pipe.ts';
import { markTeeSpliceBroken, startTeeSplice, teeSpliceAvailable } from '../../system/tee-splice.ts';
import { pumpThrough } from '../pipe-pump.ts';
import { readAhead } from '../../system/read-ahead.ts';
import { abortError, PULLED_DRIVE_HINT } from '../drive-watch.ts';
import { encodeRecords, StreamDigest } from '../stream-digest.ts';

export interface SentPoint {
  bytes: number;
  /** SHA-256 of the stream as sent. */
  sha256: string;
  /** Its first and last records (base64), so the point can be proven later from the unit (stream-digest.ts). */
  records: { head: string; tail: string };
}

export async function sendPointToUnit(
  snapshot: string,
  from: string | null,
  unitDataset: string,
  opts: { onBytes?: (n: number) => void; signal?: AbortSignal; resumable?: boolean; step: string },
): Promise<SentPoint> {
  // Names first: a bad one found after the receiver started would leave it waiting on its stdin.
  assertSnapshotName(snapshot);
  assertDatasetName(unitDataset);
  // -F only for increments: the unit is ours, and a mount may have touched its newest point.
  const recvOpts = { force: from !== null, resumable: opts.resumable, signal: opts.signal };
  const how = {
    ...opts,
    hint: (e: AppError) => hintFor(e.code),
    broken: (detail: string) => new AppError('TARGET_GONE', 'The stream to the unit broke off.', { detail }),
  };
  const receiveFrom = (fd: number) => zfsReceiveFrom(unitDataset, fd, recvOpts);
  if (teeSpliceAvailable()) {
    const three = await openWidePipes(3);
    if (three) return pipePointTee(snapshot, from, three, receiveFrom, how);
  }
  const pipes = await openWidePipes(2);
  if (!pipes) return pipePointInto(snapshot, from, () => zfsReceive(unitDataset, recvOpts), how);
  return pipePointWide(snapshot, from, pipes, receiveFrom, how);
}

/**
 * As pipePointWide, but the bytes go from `zfs send` to `zfs receive` inside the kernel
 * (system/tee-splice.ts) and this process only reads a copy to measure. A mover that dies by
 * SIGPIPE is the other side's failure, explained by theirs.
 */
async function pipePointTee(
  snapshot: string,
  from: string | null,
  [fromSend, toRecv, copy]: WidePipe[],
  open: (fd: number) => Promise<{ done: Promise<unknown> }>,
  opts: PipeHow,
): Promise<SentPoint> {
  const digest = new StreamDigest(opts.onBytes);
  const all = [fromSend, toRecv, copy].flatMap((p) => [p.read, p.write]);
  let recv: { done: Promise<unknown> } | undefined;
  let send: { done: Promise<unknown> };
  let mover: ReturnType<typeof startTeeSplice>;
  try {
    recv = await open(toRecv.read.fd);
    await toRecv.read.close();
    mover = startTeeSplice(fromSend.read.fd, toRecv.write.fd, copy.write.fd, opts.signal);
    // A child that could not be spawned may never say 'spawn' nor 'error'; its result then comes first.
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        mover.once('spawn', () => resolve());
        mover.once('error', reject);
      }),
      mover.then((r) => {
        throw new AppError('TOOL_FAILED', 'The stream mover (perl) could not be started.', { detail: stderrText(r.stderr) || String(r.shortMessage ?? '') });
      }),
    ]);
    await Promise.allSettled([fromSend.read.close(), toRecv.write.close(), copy.write.close()]);
    send = await zfsSendInto(snapshot, fromSend.write.fd, { from: from ?? undefined, signal: opts.signal });
    await fromSend.write.close();
  } catch (e) {
    await Promise.allSettled(all.map((h) => h.close()));
    await recv?.done.catch(() => undefined);
    throw e;
  }
  // The copy read one piece ahead of its hashing: a full copy pipe holds the mover's tee back.
  const measured = readAhead(copy.read, { pieceBytes: WIDE_PIPE_BYTES, positioned: false, signal: opts.signal, cancelled: () => new AppError('CANCELLED', 'The stream was stopped.') }, (piece) =>
    digest.measure(piece),
  ).finally(() => copy.read.close());
  // Handlers on all of them at once (a receiver failing while we wait for the mover is not unhandled);
  // the digest is finished only once the copy pipe has been read to its end.
  const settled = Promise.allSettled([measured, send.done, recv!.done]);
  const moverResult = await mover;
  const [read, s, r] = await settled;
  const ownFailure = moverResult.exitCode !== 0 && moverResult.signal !== 'SIGPIPE' && !opts.signal?.aborted && !moverResult.isCanceled;
  if (ownFailure && s.status === 'rejected' && r.status === 'rejected') {
    // The mover itself failed (not a receiver gone away): the zfs errors are its consequences.
    markTeeSpliceBroken();
    throw new AppError('TOOL_FAILED', `The stream of ${snapshot} could not be moved to the unit; the next try moves it through the engine instead.`, {
      step: opts.step,
      detail: stderrText(moverResult.stderr).trim() || moverResult.shortMessage,
      hint: 'Run the sync again with --resume.',
    });
  }
  // The moving side's outcome for settle(): the copy's read, else what became of the mover.
  let m: PromiseSettledResult<unknown> = read;
  if (read.status === 'fulfilled' && moverResult.signal === 'SIGPIPE') {
    m = { status: 'rejected', reason: Object.assign(new Error('the receiving side closed the stream'), { code: 'EPIPE' }) };
  } else if (read.status === 'fulfilled' && ownFailure) {
    m = { status: 'rejected', reason: new Error(`the stream mover failed: ${stderrText(moverResult.stderr).trim()}`) };
  }
  return settle(snapshot, digest, m, s, r, opts);
}

interface PipeHow {
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
  step: string;
  hint: (e: AppError) => string | undefined;
  broken: (detail: string) => AppError;
}

/**
 * As pipePointInto, through two wide pipes (system/wide-pipe.ts): `zfs send` writes into the first,
 * this process moves the bytes to the second, measuring them, and `zfs receive` reads from it.
 * Each child gets its end; ours are closed as soon as it has it, so end of file and a broken pipe
 * reach the other side exactly as in a shell pipeline.
 */
async function pipePointWide(
  snapshot: string,
  from: string | null,
  [fromSend, toRecv]: WidePipe[],
  open: (fd: number) => Promise<{ done: Promise<unknown> }>,
  opts: PipeHow,
): Promise<SentPoint> {
  const digest = new StreamDigest(opts.onBytes);
  let recv: { done: Promise<unknown> } | undefined;
  let send: { done: Promise<unknown> };
  try {
    recv = await open(toRecv.read.fd);
    await toRecv.read.close();
    send = await zfsSendInto(snapshot, fromSend.write.fd, { from: from ?? undefined, signal: opts.signal });
    await fromSend.write.close();
  } catch (e) {
    // The receiver, if started, sees end of file once our write end closes, and fails: wait for it.
    await Promise.allSettled([fromSend.read.close(), fromSend.write.close(), toRecv.read.close(), toRecv.write.close()]);
    await recv?.done.catch(() => undefined);
    throw e;
  }
  const moved = pumpThrough(fromSend.read, toRecv.write, digest, opts.signal).finally(() => Promise.allSettled([fromSend.read.close(), toRecv.write.close()]));
  const [m, s, r] = await Promise.allSettled([moved, send.done, recv!.done]);
  return settle(snapshot, digest, m, s, r, opts);
}

/** Where a point's stream goes: a `zfs receive` here, or one on a NAS behind ssh. */
export interface PointReceiver {
  stdin: Writable;
  done: Promise<unknown>;
}

/**
 * `zfs send [-i from] snapshot` into the receiver opened by `open` (opened first, so a receiver that
 * cannot start costs no send), measured by StreamDigest on the way, with the failures of the three
 * parties told apart. The caller checks the names before, and the GUID that landed after.
 */
export async function pipePointInto(
  snapshot: string,
  from: string | null,
  open: () => Promise<PointReceiver>,
  opts: PipeHow,
): Promise<SentPoint> {
  const recv = await open();
  const send = await zfsSend(snapshot, { from: from ?? undefined, signal: opts.signal });
  const digest = new StreamDigest(opts.onBytes);
  const moved = pipeline(send.stdout, digest, recv.stdin, { signal: opts.signal });
  const [m, s, r] = await Promise.allSettled([moved, send.done, recv.done]);
  return settle(snapshot, digest, m, s, r, opts);
}

/** The three parties' outcomes told apart: the receiving side's failure explains a broken pipe on ours. */
function settle(
  snapshot: string,
  digest: StreamDigest,
  m: PromiseSettledResult<unknown>,
  s: PromiseSettledResult<unknown>,
  r: PromiseSettledResult<unknown>,
  opts: PipeHow,
): SentPoint {
  const withStep = (e: unknown) => {
    if (e instanceof AppError) return new AppError(e.code, e.message, { detail: e.detail, step: opts.step, hint: opts.hint(e), data: { ...(e.data ?? {}), snapshot } });
    return e;
  };
  // Aborted: by the technician, or by the drive watch (its reason says which drive went).
  if (opts.signal?.aborted) throw abortError(opts.signal, `Cancelled while sending ${snapshot}.`, opts.step);
  // The sender's own failure (a point gone) comes first: the rest follows from it.
  if (s.status === 'rejected' && s.reason?.code !== 'TARGET_GONE') throw withStep(s.reason);
  // zfs receive exits once it has read the END record; under load its stdin may close before our side
  // sees 'finish' (ERR_STREAM_PREMATURE_CLOSE; EPIPE through a wide pipe). Both processes ended cleanly,
  // so the whole stream went through the digest; the caller's GUID check decides whether the point landed.
  const lateClose = ['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE'];
  // Our side broke by itself (not a reader gone): it cut the stream, so the sender's broken pipe and
  // the receiver's complaint of a cut-off stream are its consequences, not the cause to report.
  if (m.status === 'rejected' && !lateClose.includes((m.reason as NodeJS.ErrnoException)?.code ?? '')) {
    throw withStep(opts.broken(String(m.reason)));
  }
  // The receiving side's failure (the unit, the connection) explains a broken pipe on ours.
  if (r.status === 'rejected') throw withStep(r.reason);
  if (s.status === 'rejected') throw withStep(s.reason);
  const d = digest.finish();
  return { bytes: d.bytes, sha256: d.sha256, records: encodeRecords(d.records) };
}

export function hintFor(code: string): string | undefined {
  switch (code) {
    case 'TARGET_FULL':
      return 'The unit is too small for this selection: add a drive, choose fewer points, or use a NAS unit. Nothing on the source was changed.';
    case 'TARGET_GONE':
      return PULLED_DRIVE_HINT;
    case 'SOURCE_POINT_GONE':
      return 'Retention or a technician removed a point during the sync. Plan the ticket again and run a new sync.';
    case 'ZFS_RECEIVE_REFUSED':
      return 'The unit does not continue from the same point as the stream. Run a new sync (it erases the unit).';
    default:
      return undefined;
  }
}
