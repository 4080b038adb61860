// Facts about a block device read from /sys/class/block: whether it is still there, its disk
// sequence number (the kernel's answer to "is this still the same disk?"), its bus and serial.
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import type { Bus } from './types.ts';

const SYS = '/sys/class/block';

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

export function kernelName(device: string): string {
  return basename(device);
}

/** Present and with a size (a detached loop device keeps its node but has size 0). */
export function isPresent(device: string): boolean {
  const n = kernelName(device);
  if (!existsSync(`${SYS}/${n}`)) return false;
  return Number(read(`${SYS}/${n}/size`) ?? '0') > 0;
}

/**
 * Still usable as the drive it was: present, with a size, and (for a lab loop device) its backing
 * file not deleted under it, which is how the lab pulls a "USB drive" out mid-job.
 */
export function stillAttached(device: string): boolean {
  if (!isPresent(device)) return false;
  const raw = read(`${SYS}/${kernelName(device)}/loop/backing_file`);
  if (raw === null || raw === '') return true;
  return !raw.endsWith(' (deleted)') && existsSync(raw);
}

export function diskseq(device: string): number | null {
  const v = read(`${SYS}/${kernelName(device)}/diskseq`);
  return v === null || v === '' ? null : Number(v);
}

export function sizeBytes(device: string): number {
  return Number(read(`${SYS}/${kernelName(device)}/size`) ?? '0') * 512;
}

export function isPartitionNode(device: string): boolean {
  return existsSync(`${SYS}/${kernelName(device)}/partition`);
}

export function loopBackingFile(device: string): string | null {
  const v = read(`${SYS}/${kernelName(device)}/loop/backing_file`);
  return v ? v.replace(/ \(deleted\)$/, '') : null;
}

/** Partition nodes of a disk with their numbers, as the kernel currently knows them. */
export function kernelPartitions(device: string): Array<{ device: string; number: number }> {
  const n = kernelName(device);
  try {
    return readdirSync(`${SYS}/${n}`)
      .filter((e) => e.startsWith(n) && existsSync(`${SYS}/${n}/${e}/partition`))
      .map((e) => ({ device: `/dev/${e}`, number: Number(read(`${SYS}/${n}/${e}/partition`) ?? '0') }))
      .sort((a, b) => a.number - b.number);
  } catch {
    return [];
  }
}

export function serial(device: string): string | null {
  const n = kernelName(device);
  return read(`${SYS}/${n}/serial`) || read(`${SYS}/${n}/device/serial`) || null;
}

/** The bus from lsblk's TRAN when udev filled it, otherwise from where the device sits in /sys. */
export function busOf(device: string, tran: string | null): Bus {
  const t = (tran ?? '').toLowerCase();
  if (t === 'usb') return 'usb';
  if (t === 'sata') return 'sata';
  if (t === 'sas') return 'sas';
  if (t === 'nvme') return 'nvme';
  if (t === 'ata') return 'ata';
  if (t === 'mmc') return 'mmc';
  const n = kernelName(device);
  if (n.startsWith('loop')) return 'loop';
  let path = '';
  try {
    path = realpathSync(`${SYS}/${n}`);
  } catch {
    return 'unknown';
  }
  if (/\/usb\d*\//.test(path)) return 'usb';
  if (/\/nvme/.test(path) || n.startsWith('nvme')) return 'nvme';
  if (/\/virtio/.test(path)) return 'virtio';
  if (/\/mmc/.test(path)) return 'mmc';
  if (/\/ata\d+\//.test(path)) return 'sata';
  if (t === 'iscsi' || t === 'fc' || /\/host\d+\//.test(path)) return 'scsi';
  return 'unknown';
}
