// What this machine's ZFS can do, found out once and then asked by everyone else instead of assuming.
// Flags are read from the commands' own usage text; holds and `.zfs/snapshot` access are tried for
// real on a small scratch pool, because zfs-fuse lists `hold` in its usage yet lacks `zfs holds`.
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../run.ts';
import { ensureZfs } from './daemon.ts';
import type { ZfsFlavor } from './flavor.ts';
import { logLine } from '../log.ts';

export interface ZfsCapabilities {
  flavor: ZfsFlavor;
  /** `zfs receive -s` and `send -t`: an interrupted stream continues from a token. */
  resumableReceive: boolean;
  /** `zfs send -nvP`: exact stream sizes without sending. */
  sendDryRunSize: boolean;
  /** `zfs send -w`: encrypted datasets sent as they are. */
  rawSend: boolean;
  bookmarks: boolean;
  /** `zfs hold`/`release` work (guarding the lock point). */
  holds: boolean;
  /** `zfs holds` lists them. */
  listHolds: boolean;
  nativeEncryption: boolean;
  /** Snapshots readable through `<mountpoint>/.zfs/snapshot/<name>`. */
  snapdirAccess: boolean;
  /** `zfs receive -u`: receive without mounting. */
  receiveNoMount: boolean;
}

/** A command's usage text; asking for it touches no pool, so it does not wait for the zfs lock. */
async function usage(args: string[]): Promise<string> {
  const r = await run('zfs', args, { op: 'probe', anyExit: true, zfsLock: 'none' });
  return `${r.stdout}\n${r.stderr}`;
}

/** Flags in the first bracket group of a usage line, e.g. "send [-DnPpRvLecwhb]" → "DnPpRvLecwhb". */
export function usageFlags(text: string, command: string): string {
  const flags: string[] = [];
  for (const line of text.split('\n')) {
    const m = new RegExp(`^\\s*${command}\\s+(.*)$`).exec(line);
    if (!m) continue;
    for (const g of m[1].matchAll(/\[-([A-Za-z]+)\]/g)) flags.push(g[1]);
    for (const g of m[1].matchAll(/\[-([A-Za-z])\s/g)) flags.push(g[1]);
  }
  return flags.join('');
}

const z = (cmd: string, args: string[]) => run(cmd, args, { op: 'probe', anyExit: true });

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Destroys, retrying while zfs-fuse still calls it busy (it may, for a moment, after the last use). */
async function destroyScratchPool(pool: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const r = await z('zpool', ['destroy', '-f', pool]);
    if (r.exitCode === 0 || /no such pool/.test(r.stderr)) return;
    await new Promise((res) => setTimeout(res, 300));
  }
}

/** Scratch pools of probes whose process died mid-probe (kill -9): named `rtprobe<pid>x…`. */
async function sweepDeadProbePools(): Promise<void> {
  const r = await z('zpool', ['list', '-H', '-o', 'name']);
  for (const name of r.stdout.split('\n')) {
    const m = /^rtprobe(\d+)x\d+$/.exec(name.trim());
    if (m && !pidAlive(Number(m[1]))) await destroyScratchPool(name.trim());
  }
}

async function tryScratchPool(): Promise<{ holds: boolean; listHolds: boolean; snapdirAccess: boolean }> {
  await sweepDeadProbePools();
  const dir = mkdtempSync(join(tmpdir(), 'rt-probe-'));
  const pool = `rtprobe${process.pid}x${Date.now() % 100000}`;
  const file = join(dir, 'vdev');
  const result = { holds: false, listHolds: false, snapdirAccess: false };
  try {
    writeFileSync(file, '');
    await run('truncate', ['-s', '64M', file], { op: 'probe' });
    if ((await z('zpool', ['create', '-m', join(dir, 'mnt'), pool, file])).exitCode !== 0) return result;
    await z('zfs', ['set', 'snapdir=visible', pool]);
    writeFileSync(join(dir, 'mnt', 'probe'), 'probe');
    await z('zfs', ['snapshot', `${pool}@p1`]);
    result.holds = (await z('zfs', ['hold', 'roundtrip-probe', `${pool}@p1`])).exitCode === 0;
    if (result.holds) {
      const l = await z('zfs', ['holds', `${pool}@p1`]);
      result.listHolds = l.exitCode === 0 && l.stdout.includes('roundtrip-probe');
      await z('zfs', ['release', 'roundtrip-probe', `${pool}@p1`]);
    }
    const snapdir = join(dir, 'mnt', '.zfs', 'snapshot', 'p1');
    result.snapdirAccess = existsSync(snapdir) && readdirSync(snapdir).includes('probe');
  } finally {
    await destroyScratchPool(pool);
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

let cached: Promise<ZfsCapabilities> | null = null;

/**
 * The answers are kept in /run (gone at reboot) for the daemon that gave them, so every CLI
 * process does not make its own scratch pool: the same ZFS answers the same.
 */
const SHARED_CACHE = '/run/roundtrip-zfs-probe.json';

async function daemonIdentity(flavor: ZfsFlavor): Promise<string> {
  if (flavor !== 'zfs-fuse') return flavor;
  const r = await z('pgrep', ['-x', 'zfs-fuse']);
  return `zfs-fuse:${r.stdout.trim().split('\n')[0]}`;
}

function readShared(identity: string): ZfsCapabilities | null {
  try {
    const doc = JSON.parse(readFileSync(SHARED_CACHE, 'utf8')) as { identity?: string; caps?: ZfsCapabilities };
    return doc.identity === identity && doc.caps ? doc.caps : null;
  } catch {
    return null;
  }
}

function writeShared(identity: string, caps: ZfsCapabilities): void {
  try {
    writeFileSync(`${SHARED_CACHE}.${process.pid}`, JSON.stringify({ identity, caps }));
    renameSync(`${SHARED_CACHE}.${process.pid}`, SHARED_CACHE);
  } catch {
    /* not root, or /run read-only: every process probes for itself */
  }
}

export function probeZfs(opts: { fresh?: boolean } = {}): Promise<ZfsCapabilities> {
  if (!cached || opts.fresh) {
    cached = (async () => {
      const flavor = await ensureZfs();
      const identity = await daemonIdentity(flavor);
      if (!opts.fresh) {
        const known = readShared(identity);
        if (known) return known;
      }
      const send = usageFlags(await usage(['send']), 'send');
      const recv = usageFlags(await usage(['receive']), 'receive');
      const all = await usage([]);
      const props = await usage(['get']);
      const scratch = await tryScratchPool();
      const caps: ZfsCapabilities = {
        flavor,
        resumableReceive: recv.includes('s') && /send\s.*-t\b|\[-[A-Za-z]*t[A-Za-z]*\]\s*<receive_resume_token>|receive_resume_token/.test(all + (await usage(['send']))),
        sendDryRunSize: send.includes('n') && send.includes('P'),
        rawSend: send.includes('w'),
        bookmarks: /^\s*bookmark\s/m.test(all),
        holds: scratch.holds,
        listHolds: scratch.listHolds,
        nativeEncryption: /^\s*encryption\s/m.test(props),
        snapdirAccess: scratch.snapdirAccess,
        receiveNoMount: recv.includes('u'),
      };
      logLine('zfs', { op: 'probe', caps });
      writeShared(identity, caps);
      return caps;
    })();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
