// The shapes of drive enumeration and the safety verdict. Pure: the renderer imports these too.
import type { ErrorCode } from '../api/errors.ts';

/** How a drive is attached. Lab drives are loop devices the lab registered (they stand in for USB drives). */
export type Bus = 'usb' | 'sata' | 'sas' | 'scsi' | 'nvme' | 'ata' | 'virtio' | 'mmc' | 'loop' | 'unknown';

/** What a signature probe found on a disk or a partition. */
export interface Content {
  /** blkid TYPE: ext4, ntfs, vfat, zfs_member, swap, LVM2_member, crypto_LUKS ... */
  fsType: string | null;
  /** Filesystem label; for zfs_member, the pool name. */
  label: string | null;
  uuid: string | null;
  /** Pool name when fsType is zfs_member. */
  zfsPool: string | null;
}

export interface Partition extends Content {
  device: string;
  number: number;
  sizeBytes: number;
  /** GPT partition name (RTMETA / RTDATA on our drives). */
  partLabel: string | null;
  /** Where this partition (or anything stacked on it: LVM, LUKS) is mounted; "[SWAP]" for active swap. */
  mountpoints: string[];
}

/** An imported pool that uses this drive, as `zpool status` shows it. */
export interface PoolMembership {
  pool: string;
  /** The device node zpool names (the disk or one of its partitions). */
  member: string;
  /** The pool's root dataset carries roundtrip:unit=yes: a unit formatted by RoundTrip Bench. */
  unit: boolean;
  /** The disks every device of that pool sits on (to tell whether a selection covers all of it). */
  poolDisks: string[];
}

export interface LabInfo {
  label: string;
  backingFile: string;
  labDir: string;
}

export interface Drive {
  /** Canonical device node of the whole disk: /dev/sdb, /dev/nvme0n1, /dev/loop3. */
  device: string;
  /** Kernel name: sdb, loop3. */
  name: string;
  kind: 'disk' | 'loop';
  sizeBytes: number;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  bus: Bus;
  removable: boolean;
  readOnly: boolean;
  /** Kernel disk sequence number: changes when a device node is reused by another disk. */
  diskseq: number | null;
  /** drivelist's own opinion (it marks the disk holding the running system). */
  systemByDrivelist: boolean;
  /** A loop device's backing file. */
  backingFile: string | null;
  /** Set when the lab registered this loop device as one of its drives. */
  lab: LabInfo | null;
  partitionTable: string | null;
  /** A filesystem or pool written on the whole disk, without a partition table. */
  content: Content;
  /** Mountpoints of the whole disk itself (and of things stacked directly on it). */
  mountpoints: string[];
  partitions: Partition[];
  /** Imported pools using this drive. Pools that are only on the disk (exported) show in `content`/`partitions`. */
  pools: PoolMembership[];
}

export type RefusalCode = Extract<
  ErrorCode,
  'DRIVE_SYSTEM' | 'DRIVE_MOUNTED' | 'DRIVE_SOURCE_POOL' | 'DRIVE_READONLY' | 'DRIVE_TOO_SMALL' | 'DRIVE_BUSY' | 'DRIVE_IN_POOL'
>;

/** Warnings do not block; each needs the technician's explicit confirmation before a write. */
export type WarningCode = 'DRIVE_INTERNAL' | 'DRIVE_HAS_DATA' | 'DRIVE_WILL_UNMOUNT';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export interface Warning {
  code: WarningCode;
  message: string;
  /** True when the request carried the matching confirmation (or the warning needs none). */
  confirmed: boolean;
  /** The request option that confirms it. */
  confirmWith?: 'confirmInternal' | 'confirmData' | 'unmount';
}

export interface Verdict {
  /** No refusal: the drive may be used once its warnings are confirmed. */
  eligible: boolean;
  /** Eligible and every warning confirmed: a write may start now. */
  ready: boolean;
  refusals: Refusal[];
  warnings: Warning[];
}

export interface PolicyOptions {
  /** Unmount the drive's (non-system) filesystems before erasing it. */
  unmount?: boolean;
  /** The technician confirmed using a disk that is not on USB. */
  confirmInternal?: boolean;
  /** The technician confirmed erasing the filesystems or pools on the disk. */
  confirmData?: boolean;
}

export interface BusyClaim {
  device: string;
  jobId: string;
  pid: number;
  since: string;
}

/** Everything besides the drive itself that the policy needs: collected by the engine, judged purely. */
export interface PolicyContext {
  /** Pools that are imported and are not RoundTrip units: the bench's backup sources. */
  sourcePools: string[];
  /** ZFS did not answer: which pools are imported is unknown. */
  poolsUnknown?: boolean;
  /** Pools holding a mount the machine runs on (root on ZFS). */
  systemPools: string[];
  /** Drives claimed by jobs (this process and others). */
  busy: BusyClaim[];
  /** The job asking: its own claims do not count as busy. */
  jobId?: string;
  /** Smallest usable drive, bytes (R4: 250 GB). */
  minBytes: number;
  /** The other drives chosen with this one (to tell whether a unit pool is erased whole). */
  selection?: string[];
  options: PolicyOptions;
}

/** A drive with the policy's verdict, as the listing returns it. */
export interface JudgedDrive extends Drive {
  verdict: Verdict;
}

/**
 * How a unit's data partition is laid out: one ZFS pool striped over the drives, one NTFS or ext4
 * filesystem per drive, `zfs-sealed`: one ext4 filesystem per drive holding sealed ZFS stream
 * files (electron/seal/, docs/sealed-units.md), no pool, or `images-sealed`: one ext4 filesystem
 * per drive holding sealed disk image files.
 */
export type Layout = 'zfs' | 'ntfs' | 'ext4' | 'zfs-sealed' | 'images-sealed';

/** The layouts whose data is sealed files, readable only with the unit passphrase. */
export const SEALED_LAYOUTS = ['zfs-sealed', 'images-sealed'] as const;
export type SealedLayout = (typeof SEALED_LAYOUTS)[number];
export function isSealedLayout(layout: string | undefined | null): layout is SealedLayout {
  return (SEALED_LAYOUTS as readonly string[]).includes(layout ?? '');
}

/** The filesystem a layout puts on each drive's data partition. */
export function dataFsOf(layout: Layout): 'zfs' | 'ntfs' | 'ext4' {
  return isSealedLayout(layout) ? 'ext4' : layout;
}

export const MIN_DRIVE_BYTES = 250e9;
