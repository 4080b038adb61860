// The vocabulary of points, chains and plans. Pure data shapes, shared by every chain module,
// the CLI `plan` verb, the lab and the renderer. No behaviour lives here.

/** A recovery point (a ZFS snapshot, or a row of an offsite audit list). */
export interface Point {
  /** The snapshot's short name: the epoch seconds of the point, as a string ("1700000000"). */
  name: string;
  /** Epoch seconds. Points are ordered by this, never by name. */
  time: number;
  /**
   * The snapshot GUID as a decimal string. Never a JS number: GUIDs are 64-bit and lose
   * precision above 2^53, which would make two different snapshots look the same.
   */
  guid?: string;
  /** ZFS `used` of the snapshot (bytes unique to it). Informational. */
  usedBytes?: number;
  /** ZFS `referenced` (or the audit list's size): the whole point's size. A fallback for full sizes. */
  referencedBytes?: number;
}

export type SystemKind = 'agent' | 'share';

/** What is known about one protected system on both sides. Lists need not be sorted. */
export interface SystemInventory {
  system: string;
  kind: SystemKind;
  local: Point[];
  offsite: Point[];
  /** An encrypted agent: its volumes read only with the agent's passphrase (NTFS/EXT4/image copies). */
  encrypted?: boolean;
}

/**
 * forward = RoundTrip (appliance → unit → offsite): the local points are sent, offsite receives.
 * reverse = revRT (offsite → unit → appliance): the offsite points are sent, the appliance receives.
 */
export type Direction = 'forward' | 'reverse';

export type Format = 'zfs' | 'ntfs' | 'ext4' | 'image';

/** How a unit is protected at rest (chain/protection.ts): sealed stream files, or plain by the technician's choice. */
export type Protection = 'sealed' | 'unencrypted';

export type ImageFormat = 'raw' | 'vhd' | 'vhdx' | 'vmdk';
/** The filesystem written on a drive: ZFS pool, or an NTFS/EXT4 partition. */
export type TargetFs = 'zfs' | 'ntfs' | 'ext4';

/** A point named by its snapshot name, its epoch seconds, or (ranges only) an ISO date or date-time. */
export type PointRef = string | number;

/** R16 snapshot selections, plus RoundTrip's "everything newer than the lock". */
export type Selection =
  | { kind: 'latest' }
  | { kind: 'one'; point: PointRef }
  | { kind: 'range'; from: PointRef; to: PointRef }
  | { kind: 'newer-than-lock' };

/**
 * One ZFS send. `from: null` is a full send of `to`. `intermediates` = `zfs send -I from to`
 * (every point between arrives too); otherwise `zfs send -i from to` (only `to` arrives).
 * Indices are into the sorted sending-side list of the resolved selection.
 */
export interface Send {
  from: string | null;
  to: string;
  intermediates: boolean;
  fromIndex: number;
  toIndex: number;
}

/** Why the data starts with a full copy. */
export type FullReason = 'no-common-point' | 'format';

export type MatchedBy = 'guid' | 'name';
