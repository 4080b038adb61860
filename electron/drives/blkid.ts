// What is written on a disk or partition, probed from the device itself (`blkid -p`: no cache, no
// udev). A device blkid may not open (the sandboxed system disk) or that holds nothing answers empty.
import type { Content } from './types.ts';
import { run } from '../system/run.ts';

export interface Probe extends Content {
  ptType: string | null;
  partLabel: string | null;
}

export const EMPTY_PROBE: Probe = { fsType: null, label: null, uuid: null, zfsPool: null, ptType: null, partLabel: null };

/** Parses `blkid -p -o export` (KEY=value lines). */
export function parseBlkidExport(text: string): Probe {
  const kv: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const fsType = kv.TYPE || null;
  return {
    fsType,
    label: kv.LABEL || null,
    uuid: kv.UUID || null,
    zfsPool: fsType === 'zfs_member' ? kv.LABEL || null : null,
    ptType: kv.PTTYPE || null,
    partLabel: kv.PART_ENTRY_NAME || null,
  };
}

export async function probeDevice(device: string): Promise<Probe> {
  try {
    // Exit 2: nothing found. Other failures (permission, device gone) read as "nothing known".
    const r = await run('blkid', ['-p', '-o', 'export', device], { op: `probe what is on ${device}`, okCodes: [2], timeoutMs: 15_000 });
    return r.exitCode === 0 ? parseBlkidExport(r.stdout) : { ...EMPTY_PROBE };
  } catch {
    return { ...EMPTY_PROBE };
  }
}
