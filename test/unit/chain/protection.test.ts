// What protection at rest the plan offers (issue 21): sealed where the unit is ZFS streams or disk
// images on drives; every other unit plain, and the sentence says why in a technician's words.
import { describe, expect, it } from 'vitest';
import { protectionFor, type ProtectionInput } from '../../../electron/chain/protection.ts';

const base: ProtectionInput = { filesystem: 'zfs', layout: 'datasets', media: 'usb', deviceMapper: false, nativeEncryption: false };

describe('protectionFor', () => {
  it('offers sealing, recommended, for ZFS datasets on drives', () => {
    const p = protectionFor(base);
    expect(p.options).toEqual(['sealed', 'unencrypted']);
    expect(p.recommended).toBe('sealed');
    expect(p.sentence).toMatch(/AES-256-GCM/);
    expect(p.sentence).toMatch(/passphrase, which is shown once/);
  });

  it('keeps a NAS unit plain and says whether native encryption was found', () => {
    expect(protectionFor({ ...base, media: 'nas' })).toMatchObject({ options: ['unencrypted'], recommended: 'unencrypted' });
    expect(protectionFor({ ...base, media: 'nas' }).sentence).toMatch(/has no native encryption/);
    expect(protectionFor({ ...base, media: 'nas', nativeEncryption: true }).sentence).toMatch(/not yet used for NAS units/);
  });

  it('offers sealing, recommended, for image exports on drives, and says the partner unseals them with this app', () => {
    for (const filesystem of ['ntfs', 'ext4'] as const) {
      const p = protectionFor({ ...base, filesystem, layout: 'image' });
      expect(p.options).toEqual(['sealed', 'unencrypted']);
      expect(p.recommended).toBe('sealed');
      expect(p.sentence).toMatch(/checked on this bench, then written onto the drives as an encrypted, checksummed file/);
      expect(p.sentence).toMatch(/roundtrip unseal/);
    }
  });

  it('keeps browsable copies plain, naming device-mapper for EXT4', () => {
    const ext4 = protectionFor({ ...base, filesystem: 'ext4', layout: 'browsable' });
    expect(ext4.options).toEqual(['unencrypted']);
    expect(ext4.sentence).toMatch(/opened without this app/);
    expect(ext4.sentence).toMatch(/device-mapper, which this bench does not have/);
    expect(protectionFor({ ...base, filesystem: 'ext4', layout: 'browsable', deviceMapper: true }).sentence).toMatch(/LUKS2 is not yet offered/);
    expect(protectionFor({ ...base, filesystem: 'ntfs', layout: 'browsable' }).sentence).not.toMatch(/LUKS/);
    for (const p of [ext4, protectionFor({ ...base, media: 'nas' })]) expect(p.sentence).toMatch(/records your choice to ship it unencrypted in the ticket/);
  });
});
