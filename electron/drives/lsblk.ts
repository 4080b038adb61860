// The block-device tree from `lsblk -J -b`: disks, loop devices, their partitions and whatever is
// stacked on them (LVM, LUKS). Without udev (this VM) lsblk leaves FSTYPE/LABEL/PTTYPE empty;
// blkid.ts fills those in by probing.
import { run } from '../system/run.ts';

export const LSBLK_COLUMNS = [
  'NAME', 'KNAME', 'PATH', 'MAJ:MIN', 'SIZE', 'TYPE', 'RO', 'RM', 'HOTPLUG', 'TRAN', 'MODEL', 'VENDOR', 'SERIAL',
  'PTTYPE', 'PARTLABEL', 'FSTYPE', 'LABEL', 'UUID', 'MOUNTPOINTS', 'PKNAME',
];

export interface BlockNode {
  name: string;
  kname: string;
  path: string;
  majMin: string;
  sizeBytes: number;
  type: string;
  readOnly: boolean;
  removable: boolean;
  hotplug: boolean;
  tran: string | null;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  ptType: string | null;
  partLabel: string | null;
  fsType: string | null;
  label: string | null;
  uuid: string | null;
  mountpoints: string[];
  children: BlockNode[];
}

type Raw = Record<string, unknown> & { children?: Raw[] };

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true';
}

function toNode(r: Raw): BlockNode {
  const mps = Array.isArray(r.mountpoints) ? r.mountpoints : r.mountpoint !== undefined ? [r.mountpoint] : [];
  const name = str(r.name) ?? '';
  return {
    name,
    kname: str(r.kname) ?? name,
    path: str(r.path) ?? `/dev/${name}`,
    majMin: str(r['maj:min']) ?? '',
    sizeBytes: Number(r.size ?? 0) || 0,
    type: str(r.type) ?? 'unknown',
    readOnly: bool(r.ro),
    removable: bool(r.rm),
    hotplug: bool(r.hotplug),
    tran: str(r.tran),
    model: str(r.model),
    vendor: str(r.vendor),
    serial: str(r.serial),
    ptType: str(r.pttype),
    partLabel: str(r.partlabel),
    fsType: str(r.fstype),
    label: str(r.label),
    uuid: str(r.uuid),
    mountpoints: mps.map(str).filter((m): m is string => m !== null),
    children: (r.children ?? []).map(toNode),
  };
}

/** Parses `lsblk -J -b -o ...` output. */
export function parseLsblk(json: string): BlockNode[] {
  if (!json.trim()) return [];
  const j = JSON.parse(json) as { blockdevices?: Raw[] };
  return (j.blockdevices ?? []).map(toNode);
}

/** The tree of every block device, or of the given ones only. */
export async function readLsblk(devices: string[] = []): Promise<BlockNode[]> {
  const r = await run('lsblk', ['-J', '-b', '-o', LSBLK_COLUMNS.join(','), ...devices], {
    op: devices.length ? `read the layout of ${devices.join(', ')}` : 'list block devices',
    // lsblk exits 32 when a named device is missing and 64 when some of them are.
    okCodes: [32, 64],
  });
  return parseLsblk(r.stdout);
}

/** Every node below `node` (partitions, then what is stacked on them), depth first. */
export function descendants(node: BlockNode): BlockNode[] {
  return node.children.flatMap((c) => [c, ...descendants(c)]);
}
