// What the manifest says about each file of a browsable copy, and the digest of a whole tree.
// Pure: no node:* imports (hashing is given by the caller), so the renderer can read manifests.

export type EntryType = 'file' | 'dir' | 'symlink';

export interface FileEntry {
  /** Path inside the volume as on the source, `/`-separated, original names. */
  path: string;
  /** Path on the unit when a name had to change (NTFS); absent when it is the same. */
  unitPath?: string;
  type: EntryType;
  /** Bytes (files); 0 for directories; the target's length for symlinks. */
  size: number;
  /** Modification time, nanoseconds since the epoch, as a decimal string (exact). */
  mtimeNs: string;
  /** Permission bits and owner on the source (kept on ext4 units; recorded for NTFS units). */
  mode: number;
  uid: number;
  gid: number;
  /** SHA-256 of the file's content, computed from the source as it was read. */
  sha256?: string;
  /** Symlinks: where they point, as on the source. */
  target?: string;
  /** The file has holes (fewer blocks than its size); the copy keeps them. */
  sparse?: boolean;
}

export interface ProblemEntry {
  path: string;
  /** What went wrong, in words, with the system's error code. */
  error: string;
}

export interface VolumeCopy {
  /** Volume name (agents) or `files` (shares); the folder under the point's folder. */
  volume: string;
  /** Source filesystem (agents) or `zfs` (shares). */
  sourceFs: 'ntfs' | 'ext4' | 'zfs';
  files: FileEntry[];
  /** Files that could not be read: listed, never silently dropped. */
  unreadable: ProblemEntry[];
  /** Devices, FIFOs and sockets: recorded, not copied. */
  skipped: ProblemEntry[];
  bytes: number;
  /** How many names changed on the unit (NTFS). */
  renamed: number;
}

/** Times written with utimes keep microseconds; NTFS keeps 100 ns. Equal within one microsecond. */
export const TIME_TOLERANCE_NS = 1000n;

export function sameTime(aNs: string | bigint, bNs: string | bigint): boolean {
  const d = BigInt(aNs) - BigInt(bNs);
  return (d < 0n ? -d : d) < TIME_TOLERANCE_NS;
}

/** The line a tree digest is made of: what a partner can check file by file. */
export function digestLine(e: FileEntry): string {
  return `${e.type}\0${e.path}\0${e.size}\0${e.sha256 ?? e.target ?? ''}\n`;
}

export interface ImageEntry {
  /** The agent's volume the image is of. */
  volume: string;
  sourceFs: 'ntfs' | 'ext4';
  /** What the ticket asked for, and the name qemu-img gives it (`vpc` for VHD). */
  format: 'raw' | 'vhd' | 'vhdx' | 'vmdk';
  qemuFormat: 'raw' | 'vpc' | 'vhdx' | 'vmdk';
  /** Path on the unit, relative to the drive's root. */
  file: string;
  /** Size of the image file, and of the disk it holds. */
  bytes: number;
  virtualBytes: number;
  sha256: string;
  /** `qemu-img compare` found the image's content equal to the source volume. */
  compared: boolean;
  /** `qemu-img check` found no error; null where the format has no check (raw, VHD). */
  checked: boolean | null;
  /** `images-sealed` units, in the sealed manifest only: the sealed file that holds the image (`file` is the name it is unsealed as). */
  sealed?: SealedPointFile;
}

/** A sealed unit's file (docs/sealed-units.md): a ZFS point's stream or a volume's image, sealed. */
export interface SealedPointFile {
  /** The drive (1-based index into `drives`) whose data partition holds the file. */
  drive: number;
  /** Its name under streams/ (a keyed hash: it names neither system nor point). */
  file: string;
  /** The stream id in the file's header: a file swapped for another is refused. */
  streamId: string;
  sealedBytes: number;
}
