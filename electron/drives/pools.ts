// Which imported pools use which devices, and which of those pools are RoundTrip units (their root
// dataset carries roundtrip:unit=yes) rather than the bench's own backup sources.
import { realpathSync } from 'node:fs';
import { zfs, zpool } from '../system/zfs/exec.ts';
import { assertPoolName } from '../system/zfs/names.ts';

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

/** Every imported pool with its devices. Without working ZFS there are none to know about. */
export async function readImportedPools(): Promise<ImportedPool[]> {
  let status: string;
  try {
    status = (await zpool(['status'], 'read which devices the imported pools use', [], { okCodes: [1], timeoutMs: 30_000 })).stdout;
  } catch {
    return [];
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
  let units = new Set<string>();
  if (names.length) {
    try {
      // Pools may vanish between the two calls (exit 1 for those): the others still answer.
      const r = await zfs(['get', '-H', '-o', 'name,value', UNIT_PROP, ...names], 'read which pools are RoundTrip units', [], { okCodes: [1] });
      units = parseUnitProps(r.stdout);
    } catch {
      /* treat as sources: the safe side */
    }
  }
  return names.map((name) => ({ name, devices: (byPool.get(name) ?? []).map((d) => vdevPath(d)), unit: units.has(name) }));
}
