// Drives in words: what a technician reads in a listing and in the erase warning (R9 — name
// everything that will be lost). Pure.
import { formatBytes } from '../chain/units.ts';
import type { Content, Drive } from './types.ts';

function contentWords(c: Content): string | null {
  if (!c.fsType) return null;
  if (c.fsType === 'zfs_member') return `ZFS pool "${c.zfsPool ?? '?'}"`;
  if (c.fsType === 'swap') return 'a swap area';
  if (c.fsType === 'LVM2_member') return 'an LVM volume';
  if (c.fsType === 'crypto_LUKS') return 'an encrypted (LUKS) volume';
  return `${c.fsType} filesystem${c.label ? ` "${c.label}"` : ''}`;
}

/** One line per thing on the drive that an erase destroys. Empty for a blank drive. */
export function describeContents(drive: Drive): string[] {
  const out: string[] = [];
  const seenPools = new Set<string>();
  for (const p of drive.pools) {
    if (seenPools.has(p.pool)) continue;
    seenPools.add(p.pool);
    const others = p.poolDisks.filter((d) => d !== drive.device);
    out.push(
      `ZFS pool "${p.pool}" (imported${p.unit ? ', a RoundTrip unit' : ''}${others.length ? `, also striped over ${others.join(', ')}` : ''})`,
    );
  }
  const whole = contentWords(drive.content);
  if (whole && !(drive.content.zfsPool && seenPools.has(drive.content.zfsPool))) out.push(`${whole} on the whole disk`);
  for (const part of drive.partitions) {
    const words = contentWords(part);
    if (part.zfsPool && seenPools.has(part.zfsPool)) continue;
    const mounted = part.mountpoints.length ? `, mounted at ${part.mountpoints.join(', ')}` : '';
    out.push(`partition ${part.number} (${part.device}, ${formatBytes(part.sizeBytes)}): ${words ?? 'no recognised filesystem'}${mounted}`);
  }
  if (!whole && drive.partitions.length === 0 && drive.partitionTable) out.push(`an empty ${drive.partitionTable} partition table`);
  return out;
}

/** True when the drive holds a filesystem or a pool (not just an empty partition table). */
export function holdsData(drive: Drive): boolean {
  return drive.pools.length > 0 || !!drive.content.fsType || drive.partitions.some((p) => !!p.fsType);
}

/** Vendor and model, each once ("0x1af4" is often both on a VM). */
export function modelName(drive: Drive): string {
  return [...new Set([drive.vendor, drive.model].filter((x): x is string => !!x))].join(' ');
}

/** "Kingston DataTraveler (serial 123, 500 GB, USB)" */
export function driveTitle(drive: Drive): string {
  const name = drive.lab ? `lab drive "${drive.lab.label}"` : modelName(drive) || 'unnamed drive';
  const facts = [drive.serial ? `serial ${drive.serial}` : 'no serial', formatBytes(drive.sizeBytes), drive.lab ? 'lab' : drive.bus.toUpperCase()];
  return `${drive.device} — ${name} (${facts.join(', ')})`;
}

/** Every mountpoint on the drive: the disk's own, its partitions' and what is stacked on them. */
export function allMountpoints(drive: Drive): string[] {
  return [...new Set([...drive.mountpoints, ...drive.partitions.flatMap((p) => p.mountpoints)])];
}
