// The one chokepoint for external commands: argument arrays through execa, never a shell string.
// It names the operation, keeps the raw output for the log, and turns failures into AppErrors.
// What a machine needs around its commands comes in as a decorator (setCommandDecorator), chosen
// by the layer that knows the machine; without one every command is started as given.
import { execa, type Options as ExecaOptions, type ResultPromise } from 'execa';
import { AppError, type ErrorCode } from '../api/errors.ts';
import { logLine } from './log.ts';
import { noteCommand } from './command-observer.ts';

export interface RunOptions {
  /** What this call does, in words, for the log and for error messages. */
  op: string;
  input?: string | Buffer;
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** The signal a timeout sends (SIGTERM by default); SIGKILL for a wait that only a fatal signal ends (FUSE). */
  killSignal?: NodeJS.Signals;
  signal?: AbortSignal;
  /** Exit codes that count as success besides 0. */
  okCodes?: number[];
  /**
   * Every exit, and a timeout, is returned instead of thrown: for a question the exit code answers.
   * A tool that is missing, a cancel and what the decorator refuses still throw.
   */
  anyExit?: boolean;
  /** Descriptors of this process the command inherits as its fds 3, 4, … */
  fds?: number[];
  /**
   * Known failures: the first pattern matching stderr/stdout decides the code and sentence.
   * Lets each wrapper say "dataset is busy" as ZFS_BUSY instead of a raw tool dump.
   */
  expect?: Array<{ match: RegExp; code: ErrorCode; message: string; hint?: string }>;
  /**
   * How the command stands to zfs commands, for a decorator that keeps them apart from others:
   * 'exclusive' must not run beside one, 'none' is never held back. Unset: as the decorator sees fit.
   */
  zfsLock?: 'shared' | 'exclusive' | 'none';
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Stopped by timeoutMs (returned only with anyExit). */
  timedOut: boolean;
}

/** A command as it is started: its program and arguments. */
export interface Spawned {
  cmd: string;
  args: string[];
}

/** What became of a decorated command that is not the command's own exit. */
export type DecoratedExit =
  /** It was never run: the error to throw, and the note for the log. */
  | { refused: AppError; note: string }
  /** The program standing in for it could not start it: the tool is missing. */
  | 'missing'
  | null;

/** Changes what is started for a command, and reads the exits of what it started instead. */
export interface CommandDecorator {
  /** What is started for `cmd args` that run() runs to its end. */
  command(cmd: string, args: readonly string[], zfsLock: RunOptions['zfsLock']): Spawned;
  /** What is started for a streaming `cmd args` (spawnTool). */
  stream(cmd: string, args: readonly string[]): Spawned;
  /** What an exit of what command() started means, when it is not the command's own. */
  exited(e: { cmd: string; args: readonly string[]; zfsLock: RunOptions['zfsLock']; spawned: Spawned; exitCode: number; stderr: string; op: string }): DecoratedExit;
}

let decorator: CommandDecorator | null = null;
let loading: Promise<void> | null = null;

/**
 * Installs the decorator every command from now on goes through (null: none). One still loading
 * (a promise) holds back every run() until it is in; a failed load fails them, since running the
 * commands without what the machine needs around them is not safe.
 */
export function setCommandDecorator(d: CommandDecorator | null | Promise<CommandDecorator | null>): Promise<void> {
  if (!(d instanceof Promise)) {
    decorator = d;
    loading = null;
    return Promise.resolve();
  }
  const settled = d.then((x) => {
    if (loading === settled) [decorator, loading] = [x, null];
  });
  loading = settled;
  return settled;
}

/** The decorator in use, or null. */
export function commandDecorator(): CommandDecorator | null {
  return decorator;
}

async function currentDecorator(): Promise<CommandDecorator | null> {
  while (loading) await loading;
  return decorator;
}

/** Same environment for every tool: C locale so output parsing never meets a translation. */
export function toolEnv(extra?: Record<string, string>): Record<string, string> {
  return { LC_ALL: 'C', LANG: 'C', ...(extra ?? {}) };
}

/** execa's stdio for a child that also inherits `fds` as its fds 3, 4, …; its types do not list integers there. */
function stdioWith(fds: number[] | undefined, std: Array<'pipe' | 'ignore' | 'inherit' | number>): Partial<ExecaOptions> {
  if (!fds?.length) return { stdin: std[0], stdout: std[1], stderr: std[2] } as Partial<ExecaOptions>;
  return { stdio: [...std, ...fds] } as unknown as Partial<ExecaOptions>;
}

export async function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  noteCommand(cmd, args, opts.op);
  const d = await currentDecorator();
  const spawned = d ? d.command(cmd, args, opts.zfsLock) : { cmd, args: [...args] };
  let result;
  try {
    result = await execa(spawned.cmd, spawned.args, {
      reject: false,
      input: opts.input,
      cwd: opts.cwd,
      env: toolEnv(opts.env),
      timeout: opts.timeoutMs,
      killSignal: opts.killSignal,
      cancelSignal: opts.signal,
      stripFinalNewline: true,
      encoding: 'utf8',
      ...(opts.fds?.length ? stdioWith(opts.fds, ['pipe', 'pipe', 'pipe']) : {}),
    } as ExecaOptions & { encoding: 'utf8' });
  } catch (e) {
    throw new AppError('TOOL_FAILED', `Could not run ${cmd} to ${opts.op}.`, { detail: String(e), cause: e });
  }
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : -1;
  const timedOut = Boolean(result.timedOut);
  const decorated = d?.exited({ cmd, args, zfsLock: opts.zfsLock, spawned, exitCode, stderr, op: opts.op }) ?? null;
  if (decorated && decorated !== 'missing') {
    logLine('tool', { cmd, op: opts.op, note: decorated.note });
    throw decorated.refused;
  }
  logLine('tool', { cmd, args: [...args], op: opts.op, exitCode, ms: Date.now() - started });

  if (decorated === 'missing' || (result as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String((result as { message?: string }).message ?? '')) && exitCode === -1) {
    throw new AppError('TOOL_MISSING', `The tool "${cmd}" is not installed on this machine, so RoundTrip Bench cannot ${opts.op}.`, {
      hint: 'Run "npm run setup" as root to install the missing tools.',
    });
  }
  if (opts.signal?.aborted || result.isCanceled) {
    throw new AppError('CANCELLED', `Cancelled while trying to ${opts.op}.`);
  }
  if (exitCode === 0 || opts.okCodes?.includes(exitCode) || opts.anyExit) return { stdout, stderr, exitCode, timedOut };

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

/**
 * What a streamed tool (spawnTool) wrote on stderr, as text. Its `encoding: 'buffer'` gives a
 * Uint8Array, which String() would spell as comma-separated numbers that no failure pattern matches.
 */
export function stderrText(x: unknown): string {
  if (x instanceof Uint8Array) return Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('utf8');
  return x == null ? '' : String(x);
}

/**
 * A child process whose stdio the caller streams (zfs send/receive, ssh, qemu-img, the stream mover).
 * Started with the decorator installed now: a caller streaming a command the decorator changes
 * waits for it first (the ZFS layer's ensureZfs does).
 */
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
    /** Descriptors of this process the child inherits as its fds 3, 4, … */
    fds?: number[];
  },
): ResultPromise {
  noteCommand(cmd, args, opts.op);
  logLine('tool', { cmd, args: [...args], op: opts.op, streaming: true });
  const spawned = decorator ? decorator.stream(cmd, args) : { cmd, args: [...args] };
  return execa(spawned.cmd, spawned.args, {
    reject: false,
    env: toolEnv(opts.env),
    cancelSignal: opts.signal,
    ...stdioWith(opts.fds, [opts.stdin ?? 'pipe', opts.stdout ?? 'pipe', 'pipe']),
    buffer: { stdout: false, stderr: true },
    encoding: 'buffer',
  } as ExecaOptions) as ResultPromise;
}

/** True when the command exists on PATH (no shell string: the name is an argument). */
export async function hasTool(cmd: string): Promise<boolean> {
  const r = await run('sh', ['-c', 'command -v "$1"', 'sh', cmd], { op: `look for ${cmd}`, anyExit: true });
  return r.exitCode === 0;
}
