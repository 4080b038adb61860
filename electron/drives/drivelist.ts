// drivelist (the native module Etcher uses) as a second opinion: bus, description and which disk
// it considers the system disk. Loaded lazily and never fatal: when it fails, lsblk and /sys answer alone.
import { logLine } from '../system/log.ts';

export interface DrivelistEntry {
  device: string;
  description: string;
  busType: string;
  isUSB: boolean | null;
  isSystem: boolean;
  isReadOnly: boolean;
  isRemovable: boolean;
  isVirtual: boolean | null;
  sizeBytes: number | null;
}

export async function readDrivelist(timeoutMs = 5_000): Promise<DrivelistEntry[]> {
  try {
    const mod = (await import('drivelist')) as unknown as { list?: () => Promise<unknown[]>; default?: { list: () => Promise<unknown[]> } };
    const list = mod.list ?? mod.default?.list;
    if (!list) return [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`drivelist did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const raw = (await Promise.race([list(), timeout]).finally(() => clearTimeout(timer))) as Array<Record<string, unknown>>;
    return raw.map((d) => ({
      device: String(d.device ?? ''),
      description: String(d.description ?? ''),
      busType: String(d.busType ?? 'UNKNOWN'),
      isUSB: typeof d.isUSB === 'boolean' ? d.isUSB : null,
      isSystem: d.isSystem === true,
      isReadOnly: d.isReadOnly === true,
      isRemovable: d.isRemovable === true,
      isVirtual: typeof d.isVirtual === 'boolean' ? d.isVirtual : null,
      sizeBytes: typeof d.size === 'number' ? d.size : null,
    }));
  } catch (e) {
    logLine('drives', { op: 'drivelist', failed: String(e) });
    return [];
  }
}
