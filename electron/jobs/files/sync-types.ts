// The shapes of an NTFS / EXT4 sync: its request and result, the journal's records, its hooks.
import type { Manifest } from '../manifest.ts';
import type { ProgressSnapshot } from '../progress.ts';
import type { ImageFormat } from './image-export.ts';
import type { PlacedPoint } from './placement.ts';
import type { MountedUnit, UnitDrive } from './unit-target.ts';
import type { FileVerifyReport } from './verify.ts';
import type { SealedVerifyReport } from '../sealed/sealed-verify.ts';

export interface FileSyncSystem {
  system: string;
  kind: 'agent' | 'share';
  encrypted: boolean;
  sourceDataset: string;
  /** Points to copy, oldest first (each arrives in full). */
  points: string[];
}

export interface FileSyncRequest {
  ticketId: string;
  applianceSerial: string | null;
  direction: 'forward' | 'reverse';
  source: { host: string; root: string };
  devices: string[];
  filesystem: 'ntfs' | 'ext4';
  layout: 'browsable' | 'image';
  imageFormat?: ImageFormat;
  systems: FileSyncSystem[];
  /** Encrypted agents' passphrases by system name: memory only, never journaled or logged. */
  passphrases?: Record<string, string>;
  /**
   * Image exports only: seal the images onto an `images-sealed` unit (ext4) with a unit key this
   * passphrase wraps (a new run) or opens again (a resume). Memory only, never journaled or logged.
   */
  unitPassphrase?: string;
  resume?: boolean;
  /** Re-read every drive against its manifest before ejecting (default true). */
  verify?: boolean;
  /** Unmount and flush at the end so the drives can be unplugged (default true). */
  eject?: boolean;
  jobId?: string;
  actor?: string;
}

export interface FileSyncResult {
  jobId: string;
  resumed: boolean;
  unitId: string;
  filesystem: 'ntfs' | 'ext4';
  content: 'browsable' | 'image';
  imageFormat: ImageFormat | null;
  bytes: number;
  pointsCopied: number;
  pointsSkipped: number;
  files: number;
  images: number;
  /** Files the source could not read: listed in the manifest with their error. */
  unreadable: number;
  /** Special files, and names or paths the unit cannot hold: listed in the manifest. */
  skipped: number;
  /** Names changed for NTFS: listed in the manifest with their original. */
  renamed: number;
  placement: PlacedPoint[];
  drives: Array<{ index: number; device: string; label: string | null; points: number }>;
  manifests: Manifest[];
  verify: FileVerifyReport[] | null;
  /** A sealed unit: its images sealed (the manifests are the public ones), and its verification with the key. */
  sealed: { keyId: string; verify: SealedVerifyReport | null } | null;
  ejected: boolean;
  tookMs: number;
}

/** `keyId`: a sealed unit's key (its record is on every drive's metadata partition). */
export type FileTargetRecord = { type: 'target'; unitId: string; drives: UnitDrive[]; keyId?: string };
export type FilePointRecord = { type: 'point'; system: string; point: string; drive: number; file: string; bytes: number };
export type FileJournalRecord =
  | { type: 'job'; jobId: string; ticketId: string; devices: string[]; filesystem: string; layout: string; imageFormat: string | null; systems: FileSyncSystem[]; direction: string; source: { host: string; root: string }; applianceSerial: string | null; startedAt: string }
  | FileTargetRecord
  | { type: 'placement'; points: PlacedPoint[] }
  | FilePointRecord
  | { type: 'resumed' }
  | { type: 'manifest'; checksums: string[] }
  | { type: 'verified'; ok: boolean }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string; step?: string }
  | { type: 'cancelled'; step?: string };

export interface FileSyncHooks {
  /** After the drives are formatted and mounted (tests fill a drive here to force spreading). */
  afterTarget?: (unit: MountedUnit) => void | Promise<void>;
  afterPoint?: (system: string, point: string, done: number) => void | Promise<void>;
  /** After an image is written, before its checks (tests damage one here). */
  afterImage?: (file: string) => void | Promise<void>;
}

export interface FileSyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  hooks?: FileSyncHooks;
}
