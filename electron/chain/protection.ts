// Which protection at rest a unit can get (issue 21), decided from the ticket's format and media
// and what the bench has, for the plan to state and the sync to enforce. A ZFS unit on drives can
// be sealed (sealed stream files, docs/sealed-units.md), and so can an image export on drives
// (sealed image files the partner unseals with this app). A browsable NTFS/EXT4 copy is meant to be
// opened without this app, so it stays plain; LUKS2 would protect an EXT4 unit, but it needs device-mapper, and ZFS native encryption
// for a NAS unit needs an OpenZFS that reports it. A unit that leaves unencrypted needs the
// technician's explicit choice, recorded in the ticket's audit. Pure.
import type { Protection } from './types.ts';

export interface ProtectionInput {
  filesystem: 'zfs' | 'ntfs' | 'ext4';
  layout: 'datasets' | 'browsable' | 'image';
  media: 'usb' | 'nas';
  /** /dev/mapper/control exists: LUKS2 could be used (not yet offered by the app). */
  deviceMapper: boolean;
  /** The bench's ZFS probe reports native encryption. */
  nativeEncryption: boolean;
}

export interface ProtectionStatement {
  /** What the technician can choose, the recommended first. */
  options: Protection[];
  recommended: Protection;
  /** What the unit will get, in a technician's words. */
  sentence: string;
}

export function protectionFor(x: ProtectionInput): ProtectionStatement {
  if (x.filesystem === 'zfs' && x.layout === 'datasets' && x.media === 'usb') {
    return {
      options: ['sealed', 'unencrypted'],
      recommended: 'sealed',
      sentence:
        'Sealed: the points go onto the drives as encrypted, checksummed stream files (AES-256-GCM), unreadable without the unit passphrase, which is shown once when the sync starts, for the support ticket. Each system goes whole onto one drive (not striped).',
    };
  }
  if (x.layout === 'image' && x.media === 'usb') {
    return {
      options: ['sealed', 'unencrypted'],
      recommended: 'sealed',
      sentence:
        'Sealed: each disk image is checked on this bench, then written onto the drives as an encrypted, checksummed file (AES-256-GCM, on EXT4), unreadable without the unit passphrase, which is shown once when the sync starts, for the support ticket. The partner unseals the images with this app (roundtrip unseal) before opening them. Unencrypted: plain image files the partner opens with their own tools.',
    };
  }
  const why =
    x.media === 'nas'
      ? `A NAS unit is a ZFS dataset on the NAS; ${x.nativeEncryption ? 'ZFS native encryption is reported by this bench but not yet used for NAS units' : "this bench's ZFS has no native encryption"}, so it is written unencrypted.`
      : `A browsable ${x.filesystem.toUpperCase()} copy is meant to be opened without this app, so it is written unencrypted${x.filesystem === 'ext4' ? (x.deviceMapper ? ' (LUKS2 is not yet offered)' : ' (LUKS2 would need device-mapper, which this bench does not have)') : ''}.`;
  return { options: ['unencrypted'], recommended: 'unencrypted', sentence: `${why} Starting the sync records your choice to ship it unencrypted in the ticket.` };
}
