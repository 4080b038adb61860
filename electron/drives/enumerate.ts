// Every attached drive, with what is on it and the policy's verdict: lsblk gives the tree, blkid
// what is written on each node, /proc the mounts, `zpool status` the pool membership, drivelist a
// second opinion on the system disk, and the drive registry (registered-drives.ts) the loop devices
// that stand in for USB drives, which are shown as lab drives.
import { realpathSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { EMPTY_PROBE, probeDevice, type Probe } from './blkid.ts';
import { busyDrives } from './busy.ts';
import { readDrivelist, type DrivelistEntry } from './drivelist.ts';
import { descendants, readLsblk, type BlockNode } from './lsblk.ts';
import { mountsOf, poolsAtSystemMounts, readMountTable, type MountTable } from './mounts.ts';
import { isSystemMountpoint, judge } from './policy.ts';
import { readImportedPools, type ImportedPool } from './pools.ts';
import { readRegisteredDrives } from './registered-drives.ts';
import * as sys from './sysfs.ts';
import { MIN_DRIVE_BYTES, type Drive, type JudgedDrive, type LabInfo, type Partition, type PolicyContext, type PolicyOptions } from './types.ts';

export interface EnumerateOptions {
  /** Also list loop devices the lab did not register (they are judged as internal disks). */
  includeLoops?: boolean;
  /** Options the verdicts take into account (unmount, confirmations). */
  options?: PolicyOptions;
  /** The job asking: its own claims do not make a drive busy. */
  jobId?: string;
  /** Drives chosen together (for the unit-pool rule). */
  selection?: string[];
}

export interface DriveListing {
  drives: JudgedDrive[];
  /** Things the technician should know about the listing itself (a lab drive no longer attached...). */
  notes: string[];
  tookMs: number;
}

/** What enumeration reads once and shares between the drives. */
interface Snapshot {
  tree: BlockNode[];
  mounts: MountTable;
  /** null: ZFS did not answer. */
  pools: ImportedPool[] | null;
  drivelist: DrivelistEntry[];
  lab: Map<string, LabInfo>;
  notes: string[];
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function labByDevice(notes: string[]): Map<string, LabInfo> {
  const out = new Map<string, LabInfo>();
  for (const d of readRegisteredDrives()) {
    if (!sys.isPresent(d.device)) {
      notes.push(`Lab drive "${d.label}" (${d.backingFile}) is registered as ${d.device} but is not attached.`);
      continue;
    }
    const backing = sys.loopBackingFile(d.device);
    // A loop number reused by someone else's file is not our lab drive.
    if (backing !== d.backingFile) {
      notes.push(`${d.device} no longer holds lab drive "${d.label}" (it is backed by ${backing ?? 'nothing'}), so it is not listed as a lab drive.`);
      continue;
    }
    out.set(d.device, { label: d.label, backingFile: d.backingFile, labDir: d.labDir });
  }
  return out;
}

async function snapshot(): Promise<Snapshot> {
  const notes: string[] = [];
  const [tree, pools, drivelist] = await Promise.all([readLsblk(), readImportedPools(), readDrivelist()]);
  if (pools === null) notes.push('ZFS is not answering: drives that carry ZFS labels are refused until it does.');
  return { tree, mounts: readMountTable(), pools, drivelist, lab: labByDevice(notes), notes };
}

function isCandidate(node: BlockNode): boolean {
  if (node.type !== 'disk' && node.type !== 'loop') return false;
  if (node.sizeBytes <= 0) return false;
  return !/^(zram|ram)\d+$/.test(node.kname);
}

/** Mountpoints of a node and of everything stacked on it. */
function treeMounts(s: Snapshot, node: BlockNode): string[] {
  const out = new Set<string>();
  for (const n of [node, ...descendants(node)]) {
    for (const m of [...n.mountpoints, ...mountsOf(s.mounts, n, [canonical(n.path)])]) out.add(m);
  }
  return [...out];
}

/** Every node path (partitions, dm devices) → the top-level disk it belongs to. */
function diskOfNode(tree: BlockNode[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const top of tree) {
    out.set(top.path, top.path);
    for (const d of descendants(top)) if (!out.has(d.path)) out.set(d.path, top.path);
  }
  return out;
}

async function buildDrive(s: Snapshot, node: BlockNode, diskOf: Map<string, string>): Promise<Drive> {
  const device = node.path;
  const parts = node.children.filter((c) => c.type === 'part');
  const numbers = new Map(sys.kernelPartitions(device).map((p) => [p.device, p.number]));
  const [diskProbe, ...partProbes] = await Promise.all([probeDevice(device), ...parts.map((p) => probeDevice(p.path))]);

  const partitions: Partition[] = parts.map((p, i) => {
    const pr: Probe = partProbes[i] ?? EMPTY_PROBE;
    const fsType = pr.fsType ?? p.fsType;
    return {
      device: p.path,
      number: numbers.get(p.path) ?? Number(/(\d+)$/.exec(p.name)?.[1] ?? 0),
      sizeBytes: p.sizeBytes,
      partLabel: pr.partLabel ?? p.partLabel,
      fsType,
      label: pr.label ?? p.label,
      uuid: pr.uuid ?? p.uuid,
      zfsPool: pr.zfsPool ?? (fsType === 'zfs_member' ? p.label : null),
      mountpoints: treeMounts(s, p),
    };
  });

  const ownNodes = new Set([device, ...descendants(node).map((d) => d.path)]);
  const pools = (s.pools ?? [])
    .flatMap((pool) =>
      pool.devices
        .filter((d) => ownNodes.has(d))
        .map((member) => ({
          pool: pool.name,
          member,
          unit: pool.unit,
          poolDisks: [...new Set(pool.devices.map((d) => diskOf.get(d) ?? d))],
        })),
    );

  const dl = s.drivelist.find((d) => d.device === device);
  const lab = s.lab.get(device) ?? null;
  const isLoop = node.type === 'loop';
  const wholeFs = diskProbe.fsType ?? node.fsType;
  // Mounts of the disk itself and of things stacked directly on it (not through a partition).
  const diskMounts = new Set<string>();
  for (const n of [node, ...node.children.filter((c) => c.type !== 'part').flatMap((c) => [c, ...descendants(c)])]) {
    for (const m of [...n.mountpoints, ...mountsOf(s.mounts, n, [canonical(n.path)])]) diskMounts.add(m);
  }

  return {
    device,
    name: node.kname,
    kind: isLoop ? 'loop' : 'disk',
    sizeBytes: node.sizeBytes,
    model: node.model ?? (isLoop ? 'Loop device' : dl?.description || null),
    vendor: node.vendor,
    serial: node.serial ?? sys.serial(device),
    bus: sys.busOf(device, node.tran),
    removable: node.removable || node.hotplug,
    readOnly: node.readOnly,
    diskseq: sys.diskseq(device),
    systemByDrivelist: dl?.isSystem ?? false,
    backingFile: isLoop ? sys.loopBackingFile(device) : null,
    lab,
    partitionTable: diskProbe.ptType ?? node.ptType,
    content: {
      fsType: wholeFs,
      label: diskProbe.label ?? node.label,
      uuid: diskProbe.uuid ?? node.uuid,
      zfsPool: diskProbe.zfsPool ?? (wholeFs === 'zfs_member' ? node.label : null),
    },
    mountpoints: [...diskMounts],
    partitions,
    pools,
  };
}

/** The context the policy judges against, from one snapshot. */
function contextFrom(s: Snapshot, opts: EnumerateOptions): PolicyContext {
  return {
    sourcePools: (s.pools ?? []).filter((p) => !p.unit).map((p) => p.name),
    poolsUnknown: s.pools === null,
    systemPools: poolsAtSystemMounts(s.mounts, isSystemMountpoint),
    busy: busyDrives(),
    jobId: opts.jobId,
    minBytes: MIN_DRIVE_BYTES,
    selection: opts.selection,
    options: opts.options ?? {},
  };
}

/** Every attached drive, judged. */
export async function enumerate(opts: EnumerateOptions = {}): Promise<DriveListing> {
  const started = Date.now();
  const s = await snapshot();
  const diskOf = diskOfNode(s.tree);
  const nodes = s.tree.filter(isCandidate).filter((n) => n.type !== 'loop' || opts.includeLoops || s.lab.has(n.path));
  const ctx = contextFrom(s, opts);
  const drives = await Promise.all(nodes.map((n) => buildDrive(s, n, diskOf)));
  return {
    drives: drives.map((d) => ({ ...d, verdict: judge(d, ctx) })),
    notes: s.notes,
    tookMs: Date.now() - started,
  };
}

/** Whole-disk device path for what the caller named (symlinks resolved); partitions are refused. */
export function resolveDevice(device: string): string {
  if (typeof device !== 'string' || !device.startsWith('/dev/') || /[\s;&|`$<>\\'"]/.test(device)) {
    throw new AppError('BAD_INPUT', `"${device}" is not a device path (it must look like /dev/sdb).`);
  }
  const real = canonical(device);
  if (sys.isPartitionNode(real)) {
    throw new AppError('BAD_INPUT', `${device} is a partition; select the whole drive instead.`, { data: { device } });
  }
  return real;
}

/**
 * One drive, read fresh (any block device, lab-registered or not), with the context to judge it;
 * null when no such device is attached.
 */
export async function inspectDrive(device: string, opts: EnumerateOptions = {}): Promise<{ drive: JudgedDrive; context: PolicyContext } | null> {
  const dev = resolveDevice(device);
  if (!sys.isPresent(dev)) return null;
  const s = await snapshot();
  const node = s.tree.find((n) => n.path === dev);
  if (!node || node.sizeBytes <= 0) return null;
  const drive = await buildDrive(s, node, diskOfNode(s.tree));
  const context = contextFrom(s, opts);
  return { drive: { ...drive, verdict: judge(drive, context) }, context };
}
