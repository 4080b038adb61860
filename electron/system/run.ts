// The one chokepoint for external commands: argument arrays through execa, never a shell string.
// It names the operation, keeps the raw output for the log, and turns failures into AppErrors.
import { execa, type Options as ExecaOptions, type ResultPromise } from 'execa';
import { AppError, type ErrorCode } from '../api/errors.ts';
import { logLine } from './log.ts';
import { noteCommand } from './command-observer.ts';
import { FLOCK_EXEC_FAILED, takesZfsLock, underZfsLock, ZFS_LOCK_TIMED_OUT } from './zfs-fuse/lock.ts';

export interface RunOptions {
  /** What this call does, in words, for the log and for error messages. */
  op: string;
  input?: string | Buffer;
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Exit codes that count as success besides 0. */
  okCodes?: number[];
  /**
   * Known failures: the first pattern matching stderr/stdout decides the code and sentence.
   * Lets each wrapper say "dataset is busy" as ZFS_BUSY instead of a raw tool dump.
   */
  expect?: Array<{ match: RegExp; code: ErrorCode; message: string; hint?: string }>;
  /** Run under the zfs lock (system/zfs-fuse/lock.ts); zfs and zpool commands take it shared by themselves. */
  zfsLock?: 'shared' | 'exclusive' | 'none';
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Same environment for every tool: C locale so output parsing never meets a translation. */
export function toolEnv(extra?: Record<string, string>): Record<string, string> {
  return { LC_ALL: 'C', LANG: 'C', ...(extra ?? {}) };
}

export async function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  noteCommand(cmd, args, opts.op);
  const locked = opts.zfsLock ?? (takesZfsLock(cmd, args) ? 'shared' : 'none');
  const spawned = locked === 'none' ? { cmd, args: [...args] } : underZfsLock(cmd, args, locked);
  let result;
  try {
    result = await execa(spawned.cmd, spawned.args, {
      reject: false,
      input: opts.input,
      cwd: opts.cwd,
      env: toolEnv(opts.env),
      timeout: opts.timeoutMs,
      cancelSignal: opts.signal,
      stripFinalNewline: true,
      encoding: 'utf8',
    } as ExecaOptions & { encoding: 'utf8' });
  } catch (e) {
    throw new AppError('TOOL_FAILED', `Could not run ${cmd} to ${opts.op}.`, { detail: String(e), cause: e });
  }
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : -1;
  if (locked === 'exclusive' && spawned.cmd !== cmd && exitCode === ZFS_LOCK_TIMED_OUT) {
    // Going ahead without the lock could hang zfs-fuse for good (system/zfs-fuse/lock.ts): refuse instead.
    logLine('tool', { cmd, op: opts.op, note: 'zfs lock not free in time; not run' });
    throw new AppError('ZFS_BUSY', `ZFS stayed busy with another command for minutes, so RoundTrip Bench did not ${opts.op}.`, {
      hint: 'Wait for the other job to finish its ZFS step (or for a stuck zfs command to end), then try again.',
    });
  }
  logLine('tool', { cmd, args: [...args], op: opts.op, exitCode, ms: Date.now() - started });

  const flockCouldNotRun = spawned.cmd !== cmd && FLOCK_EXEC_FAILED.includes(exitCode) && /failed to execute/.test(stderr);
  if (flockCouldNotRun || (result as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String((result as { message?: string }).message ?? '')) && exitCode === -1) {
    throw new AppError('TOOL_MISSING', `The tool "${cmd}" is not installed on this machine, so RoundTrip Bench cannot ${opts.op}.`, {
      hint: 'Run "npm run setup" as root to install the missing tools.',
    });
  }
  if (opts.signal?.aborted || result.isCanceled) {
    throw new AppError('CANCELLED', `Cancelled while trying to ${opts.op}.`);
  }
  if (exitCode === 0 || opts.okCodes?.includes(exitCode)) return { stdout, stderr, exitCode };

  const text = `${stderr}\n${stdout}`;
  for (const e of opts.expect ?? []) {
    if (e.match.test(text)) {
      throw new AppError(e.code, e.message, { detail: text.trim(), hint: e.hint, data: { cmd, exitCode } });
    }
  }
  if (result.timedOut) {
    throw new AppError('TOOL_FAILED', `${cmd} took too long to ${opts.op} and was stopped.`, { detail: text.trim() });
  }
  throw new AppError('TOOL_FAILED', `${cmd} failed to ${opts.op}.`, {
    detail: `${cmd} ${args.join(' ')} -> exit ${exitCode}\n${text.trim()}`,
    data: { cmd, exitCode },
  });
}

/** A child process whose stdio the caller streams (zfs send/receive, ssh, qemu-img). */
export function spawnTool(
  cmd: string,
  args: readonly string[],
  /** stdin/stdout may also be a file descriptor (a wide pipe, system/wide-pipe.ts) the child inherits. */
  opts: {
    op: string;
    signal?: AbortSignal;
    stdin?: 'pipe' | 'ignore' | 'inherit' | number;
    stdout?: 'pipe' | 'ignore' | number;
    env?: Record<string, string>;
    /** What is started in its place (a locker running it, system/zfs-fuse/receive-lock.ts); the log names the tool. */
    spawnAs?: { cmd: string; args: string[] };
  },
): ResultPromise {
  noteCommand(cmd, args, opts.op);
  logLine('tool', { cmd, args: [...args], op: opts.op, streaming: true });
  const spawned = opts.spawnAs ?? { cmd, args };
  return execa(spawned.cmd, spawned.args, {
    reject: false,
    env: toolEnv(opts.env),
    cancelSignal: opts.signal,
    stdin: opts.stdin ?? 'pipe',
    stdout: opts.stdout ?? 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    encoding: 'buffer',
  } as ExecaOptions) as ResultPromise;
}

/** True when the command exists on PATH (no shell involved). */
export async function hasTool(cmd: string): Promise<boolean> {
  noteCommand('sh', ['-c', 'command -v', cmd], `look for ${cmd}`);
  const r = await execa('sh', ['-c', 'command -v "$1"', 'sh', cmd], { reject: false });
  return r.exitCode === 0;
}
