// What this machine's ZFS can do, found out once and then asked by everyone else instead of assuming.
// Flags are read from the commands' own usage text; holds and `.zfs/snapshot` access are tried for
// real on a small scratch pool, because zfs-fuse lists `hold` in its usage yet lacks `zfs holds`.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { toolEnv } from '../run.ts';
import { ensureZfs, type ZfsFlavor } from './daemon.ts';
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

async function usage(args: string[]): Promise<string> {
  const r = await execa('zfs', args, { reject: false, env: toolEnv() });
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

async function tryScratchPool(): Promise<{ holds: boolean; listHolds: boolean; snapdirAccess: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-probe-'));
  const pool = `rtprobe${process.pid}x${Date.now() % 100000}`;
  const file = join(dir, 'vdev');
  const z = (cmd: string, args: string[]) => execa(cmd, args, { reject: false, env: toolEnv() });
  const result = { holds: false, listHolds: false, snapdirAccess: false };
  try {
    writeFileSync(file, '');
    await execa('truncate', ['-s', '64M', file]);
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
    await z('zpool', ['destroy', '-f', pool]);
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

let cached: Promise<ZfsCapabilities> | null = null;

export function probeZfs(opts: { fresh?: boolean } = {}): Promise<ZfsCapabilities> {
  if (!cached || opts.fresh) {
    cached = (async () => {
      const flavor = await ensureZfs();
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
      return caps;
    })();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
