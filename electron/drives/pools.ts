// Which imported pools use which devices, and which of those pools are RoundTrip units (their root
// dataset carries roundtrip:unit=yes) rather than the bench's own backup sources.
import { realpathSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { run } from '../system/run.ts';
import { assertPoolName } from '../system/zfs/names.ts';
import { useZfsCommandDecorator } from '../system/zfs/flavor.ts';

export const UNIT_PROP = 'roundtrip:unit';

export interface ImportedPool {
  name: string;
  /** Device nodes as /dev paths (file vdevs keep their file path). */
  devices: string[];
  unit: boolean;
}

/** Canonical path of a vdev as zpool names it ("loop0p2" → "/dev/loop0p2", symlinks resolved). */
export function vdevPath(name: string, resolve: (p: string) => string = safeRealpath): string {
  const p = name.startsWith('/') ? name : `/dev/${name}`;
  return resolve(p);
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Parses `zpool status` for every pool: name → vdev names (top-level groups and the pool line left out). */
export function parseZpoolStatus(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let pool: string | null = null;
  let inConfig = false;
  for (const line of text.split('\n')) {
    const pm = /^\s*pool:\s*(\S+)/.exec(line);
    if (pm) {
      pool = pm[1];
      out.set(pool, []);
      inConfig = false;
      continue;
    }
    if (!pool) continue;
    if (/^\s*NAME\s+STATE/.test(line)) {
      inConfig = true;
      continue;
    }
    if (/^\s*errors:/.test(line)) {
      inConfig = false;
      continue;
    }
    if (!inConfig) continue;
    const m = /^\s+(\S+)\s+(ONLINE|DEGRADED|FAULTED|OFFLINE|UNAVAIL|REMOVED|AVAIL|INUSE)\b/.exec(line);
    if (!m) continue;
    const dev = m[1];
    if (dev === pool || /^(mirror|raidz\d?|spares?|logs?|cache)(-\d+)?$/.test(dev)) continue;
    out.get(pool)!.push(dev);
  }
  return out;
}

/** Parses `zfs get -H -o name,value roundtrip:unit POOL...`. */
export function parseUnitProps(text: string): Set<string> {
  const units = new Set<string>();
  for (const line of text.split('\n')) {
    const [name, value] = line.split('\t');
    if (name && value?.trim() === 'yes') units.add(name);
  }
  return units;
}

/** Failures of zpool/zfs that mean "no pool can be imported here" rather than "we do not know". */
const NO_ZFS = /Please make sure that the zfs-fuse daemon is running|failed to initialize ZFS library|The ZFS modules are not loaded/i;

/**
 * Asked directly through run() with a hard timeout (the child is killed), not through the ZFS
 * layer: that one first makes sure the service runs, and waits without limit when it is wedged.
 * Listing drives must neither start a ZFS service nor hang with one.
 */
async function readPoolsNow(timeoutMs: number): Promise<ImportedPool[] | null> {
  let status: string;
  // Not ensureZfs (it may start a daemon), but the same decorator: these are zfs commands too.
  await useZfsCommandDecorator();
  try {
    const r = await run('zpool', ['status'], { op: 'read which devices the imported pools use', okCodes: [1], timeoutMs });
    if (r.exitCode !== 0 && NO_ZFS.test(`${r.stderr}\n${r.stdout}`)) return [];
    if (r.exitCode !== 0 && !/no pools available/i.test(`${r.stderr}\n${r.stdout}`)) return null;
    status = r.stdout;
  } catch (e) {
    // No ZFS on this machine: no pool can be imported. A timeout or any other failure: we do not know.
    return e instanceof AppError && e.code === 'TOOL_MISSING' ? [] : null;
  }
  const byPool = parseZpoolStatus(status);
  const names = [...byPool.keys()].filter((n) => {
    try {
      assertPoolName(n);
      return true;
    } catch {
      return false;
    }
  });
  // Pool by pool: one pool that does not answer (its drive pulled, ZFS waiting on it) must not make
  // every other unit look like a backup source, which would refuse every unit drive on the bench.
  const flags = await Promise.all(names.map((n) => isUnitPool(n, timeoutMs)));
  return names.map((name, i) => ({ name, devices: (byPool.get(name) ?? []).map((d) => vdevPath(d)), unit: flags[i] }));
}

/** Pools whose unit property did not come in time, and when: not asked again for a while. */
const silentPools = new Map<string, number>();

/** Whether the pool is a RoundTrip unit; false (a source: the safe side) when it cannot be told. */
async function isUnitPool(name: string, timeoutMs: number): Promise<boolean> {
  const since = silentPools.get(name);
  if (since !== undefined && Date.now() - since < SILENCE_BACKOFF_MS) return false;
  try {
    // A pool may vanish after `zpool status` (exit 1): it is then no unit of anyone's.
    const r = await run('zfs', ['get', '-H', '-o', 'name,value', UNIT_PROP, name], { op: `read whether pool ${name} is a RoundTrip unit`, okCodes: [1], timeoutMs });
    silentPools.delete(name);
    return parseUnitProps(r.stdout).has(name);
  } catch {
    silentPools.set(name, Date.now());
    return false;
  }
}

/** One question to ZFS at a time: a hung ZFS service must not pile up zpool processes. */
let inflight: { promise: Promise<ImportedPool[] | null>; started: number } | null = null;
let lastSilence = 0;
const SILENCE_BACKOFF_MS = 30_000;

/**
 * Every imported pool with its devices; null when ZFS does not answer within `timeoutMs` (a wedged
 * ZFS service must not freeze the drive list: the policy then refuses drives with ZFS labels).
 */
export async function readImportedPools(timeoutMs = 15_000): Promise<ImportedPool[] | null> {
  // After ZFS failed to answer, do not wait on it again for a while: every guard call would.
  if (Date.now() - lastSilence < SILENCE_BACKOFF_MS) return null;
  if (!inflight) {
    const promise = readPoolsNow(timeoutMs)
      .then((r) => {
        if (r === null) lastSilence = Date.now();
        return r;
      })
      .finally(() => {
        if (inflight?.promise === promise) inflight = null;
      });
    inflight = { promise, started: Date.now() };
  }
  const remaining = timeoutMs - (Date.now() - inflight.started);
  if (remaining <= 0) {
    lastSilence = Date.now();
    return null;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), remaining);
    timer.unref?.();
  });
  try {
    const r = await Promise.race([inflight.promise, timeout]);
    if (r === null) lastSilence = Date.now();
    return r;
  } finally {
    clearTimeout(timer);
  }
}
