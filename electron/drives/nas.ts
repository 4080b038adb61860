// NAS targets: a ZFS host reached over ssh. ssh joins its arguments into one string that the remote
// shell parses, so remote commands are built only from validated names and fixed words, each
// single-quoted; host keys are checked against the given known_hosts file and nothing is ever typed
// interactively (BatchMode).
import type { Readable, Writable } from 'node:stream';
import { AppError, type ErrorCode } from '../api/errors.ts';
import { awaitedLater } from '../system/awaited-later.ts';
import { run, spawnTool, stderrText, type RunResult } from '../system/run.ts';
import { parseZfsSize, parseGetRows, groupRows, num } from '../system/zfs/parse.ts';
import { assertDatasetName, assertPoolName, assertSnapshotName } from '../system/zfs/names.ts';
import { NasHostSchema } from './schemas.ts';

export interface NasHost {
  host: string;
  port?: number;
  /** Default root: zfs receive needs it on a NAS unit. */
  user?: string;
  identityFile: string;
  knownHostsFile: string;
  connectTimeoutSec?: number;
}

export interface NasPool {
  name: string;
  health: string;
  sizeBytes: number;
  allocBytes: number;
  /** `zpool list` free space (approximate: zfs-fuse abbreviates it). */
  freeBytes: number;
  /** Exact space a receive can use, from the root dataset (`zfs get -Hp available`). */
  availableBytes: number | null;
}

const SAFE_WORD = /^[A-Za-z0-9_.,:=@/+-]+$/;

function assertHost(h: NasHost): NasHost {
  const r = NasHostSchema.safeParse({ host: h.host, port: h.port, user: h.user, identityFile: h.identityFile, knownHostsFile: h.knownHostsFile });
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError('BAD_INPUT', `The NAS address is not valid: ${issue.path.join('.')}: ${issue.message}.`);
  }
  for (const p of [h.identityFile, h.knownHostsFile]) {
    if (/\s/.test(p)) throw new AppError('BAD_INPUT', `"${p}" must not contain spaces (ssh options cannot carry them safely).`);
  }
  return h;
}

/** One remote shell word, single-quoted; only words of safe characters are accepted at all. */
export function quoteRemote(word: string): string {
  if (!SAFE_WORD.test(word)) throw new AppError('BAD_NAME', `"${word}" cannot be sent to a NAS: it holds characters a remote shell could misread.`);
  return `'${word}'`;
}

/** The remote command line: fixed C locale, then every word quoted. */
export function remoteCommand(argv: string[]): string {
  return ['LC_ALL=C', ...argv.map(quoteRemote)].join(' ');
}

export function sshArgs(h: NasHost): string[] {
  assertHost(h);
  return [
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${h.knownHostsFile}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'IdentitiesOnly=yes',
    '-o', `ConnectTimeout=${h.connectTimeoutSec ?? 10}`,
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=4',
    '-o', 'LogLevel=ERROR',
    '-i', h.identityFile,
    '-p', String(h.port ?? 22),
    '-l', h.user ?? 'root',
    '--', h.host,
  ];
}

type Expect = { match: RegExp; code: ErrorCode; message: string; hint?: string };

function sshFailures(h: NasHost): Expect[] {
  const at = `${h.host}:${h.port ?? 22}`;
  return [
    { match: /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No [A-Z0-9-]+ host key is known/i, code: 'NAS_UNREACHABLE', message: `The NAS at ${at} did not present the host key this bench trusts for it, so RoundTrip Bench did not connect.`, hint: 'Check that this is the right unit, then update its entry in the known-hosts file.' },
    { match: /Permission denied/i, code: 'NAS_UNREACHABLE', message: `The NAS at ${at} refused the bench's key.`, hint: 'Add the bench\'s public key to the unit\'s authorized_keys.' },
    { match: /Connection refused|Connection timed out|No route to host|Network is unreachable|Could not resolve hostname|Connection closed by|Connection reset/i, code: 'NAS_UNREACHABLE', message: `The NAS at ${at} does not answer over ssh.`, hint: 'Check that the unit is powered on, cabled to the bench network, and that its address is right.' },
    { match: /(zpool|zfs): (command )?not found/i, code: 'TOOL_MISSING', message: `The NAS at ${at} has no ZFS tools.` },
    { match: /no such pool|pool .* does not exist/i, code: 'ZFS_NO_POOL', message: 'That pool does not exist on the NAS.' },
    { match: /dataset does not exist/i, code: 'ZFS_NO_DATASET', message: 'That dataset does not exist on the NAS.' },
    { match: /out of space|no space left/i, code: 'TARGET_FULL', message: 'The NAS ran out of space.' },
    { match: /dataset is busy|pool is busy|device busy/i, code: 'ZFS_BUSY', message: 'The dataset on the NAS is busy.' },
  ];
}

/** Runs a ZFS command on the NAS. `argv` words must be validated names or fixed words. */
export async function runOnNas(h: NasHost, argv: string[], op: string, opts: { okCodes?: number[]; timeoutMs?: number; input?: string | Buffer } = {}): Promise<RunResult> {
  const args = [...sshArgs(h), remoteCommand(argv)];
  try {
    return await run('ssh', args, { op: `${op} on the NAS ${h.host}`, okCodes: opts.okCodes, timeoutMs: opts.timeoutMs ?? 60_000, expect: sshFailures(h), input: opts.input });
  } catch (e) {
    // 255 is ssh's own failure (the connection), whatever words it used.
    if (e instanceof AppError && e.code === 'TOOL_FAILED' && e.data?.exitCode === 255) {
      throw new AppError('NAS_UNREACHABLE', `The connection to the NAS at ${h.host}:${h.port ?? 22} failed.`, { detail: e.detail, hint: 'Check that the unit is powered on and cabled to the bench network, then try again.' });
    }
    throw e;
  }
}

/** Writes a small file on the NAS (`dd conv=fsync` into PATH.tmp, then `mv`): whole or not at all. */
export async function writeNasFile(h: NasHost, path: string, content: string): Promise<void> {
  if (!path.startsWith('/')) throw new AppError('BAD_INPUT', `"${path}" is not an absolute path on the NAS.`);
  await runOnNas(h, ['dd', `of=${path}.tmp`, 'conv=fsync', 'status=none'], `write ${path}`, { input: content });
  await runOnNas(h, ['mv', '-f', `${path}.tmp`, path], `write ${path}`);
}

/** Reads a small text file on the NAS; null when it is not there. */
export async function readNasFile(h: NasHost, path: string): Promise<string | null> {
  const r = await runOnNas(h, ['cat', path], `read ${path}`, { okCodes: [1] });
  return r.exitCode === 0 ? r.stdout : null;
}

export interface NasSendSource {
  nas: NasHost;
  /** dataset@point on the NAS. */
  snapshot: string;
  /** Incremental base (short name or full). */
  from?: string | null;
  signal?: AbortSignal;
}

/** `zfs send [-i from] snapshot` on the NAS, its stream on `stdout` here (verify reads a unit back). */
export async function sendOverSsh(t: NasSendSource): Promise<{ stdout: Readable; done: Promise<void>; pid?: number }> {
  assertSnapshotName(t.snapshot);
  const argv = ['zfs', 'send'];
  if (t.from) {
    const base = t.from.includes('@') ? t.from : `${t.snapshot.split('@')[0]}@${t.from}`;
    assertSnapshotName(base);
    argv.push('-i', base);
  }
  argv.push(t.snapshot);
  const args = [...sshArgs(t.nas), remoteCommand(argv)];
  const child = spawnTool('ssh', args, { op: `send ${t.snapshot} from the NAS ${t.nas.host}`, signal: t.signal, stdin: 'ignore' });
  const done = child.then((r) => {
    if (t.signal?.aborted) throw new AppError('CANCELLED', `Reading ${t.snapshot} from the NAS was cancelled.`);
    if (r.exitCode === 0) return;
    const stderr = stderrText(r.stderr);
    for (const e of sshFailures(t.nas).filter((f) => f.code === 'NAS_UNREACHABLE')) {
      if (e.match.test(stderr)) throw new AppError(e.code, e.message, { detail: stderr.trim(), hint: e.hint });
    }
    if (r.exitCode === 255) throw new AppError('NAS_UNREACHABLE', `The connection to the NAS ${t.nas.host} failed while reading ${t.snapshot}.`, { detail: stderr.trim() });
    if (/does not exist/i.test(stderr)) throw new AppError('ZFS_NO_DATASET', `Point ${t.snapshot} is not on the NAS.`, { detail: stderr.trim() });
    throw new AppError('ZFS_SEND_FAILED', `The NAS could not send ${t.snapshot}.`, { detail: stderr.trim() });
  });
  // Awaited once the other side of the pipe is wired up (system/awaited-later.ts).
  return { stdout: child.stdout!, done: awaitedLater(done), pid: child.pid };
}

/** Checks that the NAS answers and has ZFS; returns its host name. */
export async function probeNas(h: NasHost): Promise<{ hostname: string }> {
  const r = await runOnNas(h, ['uname', '-n'], 'read the host name');
  await runOnNas(h, ['zpool', 'list', '-H', '-o', 'name'], 'check ZFS');
  return { hostname: r.stdout.trim() };
}

export async function listNasPools(h: NasHost): Promise<NasPool[]> {
  const r = await runOnNas(h, ['zpool', 'list', '-H', '-o', 'name,size,alloc,free,health'], 'list pools');
  const pools = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, size, alloc, free, health] = line.split('\t');
      return { name, health, sizeBytes: parseZfsSize(size) ?? 0, allocBytes: parseZfsSize(alloc) ?? 0, freeBytes: parseZfsSize(free) ?? 0, availableBytes: null as number | null };
    })
    .filter((p) => {
      try {
        assertPoolName(p.name);
        return true;
      } catch {
        return false;
      }
    });
  if (pools.length) {
    // Pools can vanish between the two calls (exit 1): the others still answer.
    const g = await runOnNas(h, ['zfs', 'get', '-Hp', '-o', 'name,property,value', 'available', ...pools.map((p) => p.name)], 'read free space', { okCodes: [1] });
    const rows = groupRows(parseGetRows(g.stdout));
    for (const p of pools) p.availableBytes = num(rows.get(p.name)?.available) ?? null;
  }
  return pools;
}

export async function nasDatasetExists(h: NasHost, name: string): Promise<boolean> {
  assertDatasetName(name);
  const r = await runOnNas(h, ['zfs', 'get', '-H', '-o', 'name', 'type', name], `check dataset ${name}`, { okCodes: [1] });
  return r.exitCode === 0 && r.stdout.trim() === name;
}

export async function createNasDataset(h: NasHost, name: string, opts: { parents?: boolean } = {}): Promise<void> {
  assertDatasetName(name);
  await runOnNas(h, ['zfs', 'create', ...(opts.parents ? ['-p'] : []), name], `create dataset ${name}`);
}

export interface NasReceiveTarget {
  nas: NasHost;
  /** Dataset (or dataset@snapshot) on the NAS. */
  dataset: string;
  force?: boolean;
  keepName?: boolean;
  noMount?: boolean;
  signal?: AbortSignal;
}

export interface NasReceiveHandle {
  stdin: Writable;
  done: Promise<void>;
  pid?: number;
}

const RECEIVE_FAILURES: Expect[] = [
  { match: /out of space|no space left/i, code: 'TARGET_FULL', message: 'The NAS unit ran out of space while receiving.' },
  { match: /destination has been modified|destination .* exists|must specify -F|has snapshots|most recent snapshot .* does not match/i, code: 'ZFS_RECEIVE_REFUSED', message: 'The NAS refused the stream: its dataset does not continue from the same point.' },
  { match: /does not exist/i, code: 'ZFS_RECEIVE_REFUSED', message: 'The NAS lacks the base point this incremental stream needs.' },
  { match: /invalid backup stream|checksum mismatch|corrupt/i, code: 'ZFS_RECEIVE_REFUSED', message: 'The stream arrived damaged; the NAS kept nothing from it.' },
];

/** `zfs receive` on the NAS, fed through ssh: pipe a `zfs send` into `stdin`, then await `done`. */
export async function receiveOverSsh(t: NasReceiveTarget): Promise<NasReceiveHandle> {
  if (t.dataset.includes('@')) assertSnapshotName(t.dataset);
  else assertDatasetName(t.dataset);
  const argv = ['zfs', 'receive'];
  if (t.force) argv.push('-F');
  if (t.keepName) argv.push('-d');
  if (t.noMount) argv.push('-u');
  argv.push(t.dataset);
  const args = [...sshArgs(t.nas), remoteCommand(argv)];
  const child = spawnTool('ssh', args, { op: `receive into ${t.dataset} on the NAS ${t.nas.host}`, signal: t.signal, stdout: 'ignore' });
  const done = child.then((r) => {
    if (t.signal?.aborted) throw new AppError('CANCELLED', `Receiving into ${t.dataset} on the NAS was cancelled.`);
    if (r.exitCode === 0) return;
    const stderr = stderrText(r.stderr);
    for (const e of [...sshFailures(t.nas).filter((f) => f.code === 'NAS_UNREACHABLE'), ...RECEIVE_FAILURES]) {
      if (e.match.test(stderr)) throw new AppError(e.code, e.message, { detail: stderr.trim(), hint: e.hint });
    }
    if (r.exitCode === 255) throw new AppError('NAS_UNREACHABLE', `The connection to the NAS ${t.nas.host} failed during the receive.`, { detail: stderr.trim() });
    throw new AppError('ZFS_RECEIVE_REFUSED', `The NAS could not receive into ${t.dataset}.`, { detail: stderr.trim() });
  });
  // Awaited once the sender runs (system/awaited-later.ts).
  return { stdin: child.stdin!, done: awaitedLater(done), pid: child.pid };
}
