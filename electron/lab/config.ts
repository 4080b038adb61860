// What the lab builds: the protected systems of the practice appliance and the blank drives.
export type LabSystemKind = 'windows' | 'linux' | 'encrypted' | 'share';

export interface LabSystemSpec {
  name: string;
  kind: LabSystemKind;
  /** Volume images for agents (name → MiB); none for a share. */
  volumes: Array<{ name: string; fs: 'ntfs' | 'ext4'; mib: number }>;
  /** How its points are laid out over the simulated history. */
  schedule: 'long-chain' | 'daily';
  days: number;
  /** Offsite holds points older than this many days (thinned by offsite retention); null = no offsite copy. */
  offsiteLagDays: number | null;
}

export const LAB_SYSTEMS: LabSystemSpec[] = [
  { name: 'WIN-FS01', kind: 'windows', volumes: [{ name: 'C', fs: 'ntfs', mib: 48 }], schedule: 'daily', days: 30, offsiteLagDays: 2 },
  { name: 'LNX-WEB01', kind: 'linux', volumes: [{ name: 'root', fs: 'ext4', mib: 64 }], schedule: 'long-chain', days: 75, offsiteLagDays: 2 },
  { name: 'ENC-SQL01', kind: 'encrypted', volumes: [{ name: 'D', fs: 'ext4', mib: 32 }], schedule: 'daily', days: 10, offsiteLagDays: 3 },
  { name: 'NAS-SHARE01', kind: 'share', volumes: [], schedule: 'daily', days: 14, offsiteLagDays: null },
];

export const LAB_DRIVES = [
  { label: 'LAB-USB-A', size: '500000000000', sizeBytes: 500e9 },
  { label: 'LAB-USB-B', size: '500000000000', sizeBytes: 500e9 },
  { label: 'LAB-USB-SMALL', size: '120000000000', sizeBytes: 120e9 },
];

/** Sparse sizes of the pools' backing files; real use stays far below. */
export const LAB_POOL_FILE_SIZE = '1536M';

export const LAB_APPLIANCE_SERIAL = 'LAB-APPL-0001';
