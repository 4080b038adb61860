import { describe, expect, it } from 'vitest';
import { isSystemMountpoint, judge } from '../../../electron/drives/policy.ts';
import { ctx, part, usbDrive } from './fixtures.ts';

const codes = (v: ReturnType<typeof judge>) => v.refusals.map((r) => r.code);
const warns = (v: ReturnType<typeof judge>) => v.warnings.map((w) => w.code);

describe('judge (drive policy)', () => {
  it('accepts a blank USB drive of 500 GB with nothing to confirm', () => {
    const v = judge(usbDrive(), ctx());
    expect(v).toEqual({ eligible: true, ready: true, refusals: [], warnings: [] });
  });

  it('refuses the disk holding / as DRIVE_SYSTEM, whatever the options say', () => {
    const d = usbDrive({ device: '/dev/vda', bus: 'virtio', mountpoints: ['/'] });
    const v = judge(d, ctx({ options: { unmount: true, confirmInternal: true, confirmData: true } }));
    expect(codes(v)).toContain('DRIVE_SYSTEM');
    expect(codes(v)).not.toContain('DRIVE_MOUNTED');
    expect(v.eligible).toBe(false);
    expect(v.refusals[0].message).toMatch(/system disk: it holds \//);
  });

  it.each([['/boot'], ['/boot/efi'], ['/home'], ['/var/lib/docker'], ['[SWAP]'], ['/usr']])('refuses a disk with %s on a partition as DRIVE_SYSTEM', (mp) => {
    const d = usbDrive({ partitions: [part('/dev/sdb1', 1, { fsType: 'ext4', mountpoints: [mp] })] });
    expect(codes(judge(d, ctx()))).toEqual(['DRIVE_SYSTEM']);
  });

  it('refuses a disk drivelist calls the system disk', () => {
    expect(codes(judge(usbDrive({ systemByDrivelist: true }), ctx()))).toEqual(['DRIVE_SYSTEM']);
  });

  it('refuses a member of the pool the machine runs on as DRIVE_SYSTEM, not as a source', () => {
    const d = usbDrive({ pools: [{ pool: 'rpool', member: '/dev/sdb2', unit: false, poolDisks: ['/dev/sdb'] }] });
    expect(codes(judge(d, ctx({ systemPools: ['rpool'], sourcePools: ['rpool'] })))).toEqual(['DRIVE_SYSTEM']);
  });

  it('refuses a member of an imported source pool as DRIVE_SOURCE_POOL', () => {
    const d = usbDrive({ pools: [{ pool: 'tank', member: '/dev/sdb', unit: false, poolDisks: ['/dev/sdb'] }] });
    const v = judge(d, ctx({ sourcePools: ['tank'], options: { confirmData: true } }));
    expect(codes(v)).toEqual(['DRIVE_SOURCE_POOL']);
    expect(v.refusals[0].message).toContain('"tank"');
  });

  it('refuses a read-only drive, a small drive and a busy drive, each with its code', () => {
    expect(codes(judge(usbDrive({ readOnly: true }), ctx()))).toEqual(['DRIVE_READONLY']);
    const small = judge(usbDrive({ sizeBytes: 120e9 }), ctx());
    expect(codes(small)).toEqual(['DRIVE_TOO_SMALL']);
    expect(small.refusals[0].message).toMatch(/120 GB.*at least 250 GB/);
    const busy = ctx({ busy: [{ device: '/dev/sdb', jobId: 'sync-7', pid: 1, since: '2024-01-01T00:00:00Z' }] });
    expect(codes(judge(usbDrive(), busy))).toEqual(['DRIVE_BUSY']);
    expect(codes(judge(usbDrive(), { ...busy, jobId: 'sync-7' }))).toEqual([]);
  });

  it('accepts exactly 250 GB and refuses one byte less', () => {
    expect(judge(usbDrive({ sizeBytes: 250e9 }), ctx()).eligible).toBe(true);
    expect(judge(usbDrive({ sizeBytes: 250e9 - 1 }), ctx()).eligible).toBe(false);
  });

  it('refuses a mounted drive unless asked to unmount, then names the mountpoints to unmount', () => {
    const d = usbDrive({ partitions: [part('/dev/sdb1', 1, { fsType: 'vfat', label: 'STICK', mountpoints: ['/media/tech/STICK'] })] });
    const refused = judge(d, ctx({ options: { confirmData: true } }));
    expect(codes(refused)).toEqual(['DRIVE_MOUNTED']);
    expect(refused.refusals[0].message).toContain('/media/tech/STICK');
    const v = judge(d, ctx({ options: { unmount: true, confirmData: true } }));
    expect(v.eligible).toBe(true);
    expect(v.ready).toBe(true);
    expect(v.warnings.find((w) => w.code === 'DRIVE_WILL_UNMOUNT')?.message).toContain('/media/tech/STICK');
  });

  it('warns about an internal disk and about data, each needing its own confirmation', () => {
    const d = usbDrive({ bus: 'sata', partitions: [part('/dev/sdb1', 1, { fsType: 'ntfs', label: 'Backup' })] });
    const v = judge(d, ctx());
    expect(v.eligible).toBe(true);
    expect(v.ready).toBe(false);
    expect(warns(v)).toEqual(['DRIVE_INTERNAL', 'DRIVE_HAS_DATA']);
    expect(v.warnings[1].message).toContain('ntfs filesystem "Backup"');
    expect(judge(d, ctx({ options: { confirmInternal: true } })).ready).toBe(false);
    expect(judge(d, ctx({ options: { confirmInternal: true, confirmData: true } })).ready).toBe(true);
  });

  it('does not call a lab drive internal, and otherwise judges it the same', () => {
    const lab = { label: 'LAB-A', backingFile: '/tmp/a.img', labDir: '/tmp' };
    expect(judge(usbDrive({ bus: 'loop', kind: 'loop', lab }), ctx()).ready).toBe(true);
    expect(codes(judge(usbDrive({ bus: 'loop', kind: 'loop', lab, sizeBytes: 100e9 }), ctx()))).toEqual(['DRIVE_TOO_SMALL']);
    expect(warns(judge(usbDrive({ bus: 'loop', kind: 'loop', lab: null }), ctx()))).toEqual(['DRIVE_INTERNAL']);
  });

  it('lets a unit pool be erased only when every drive of it is selected', () => {
    const pools = [{ pool: 'rt_T1_abc123', member: '/dev/sdb2', unit: true, poolDisks: ['/dev/sdb', '/dev/sdc'] }];
    const d = usbDrive({ pools, partitions: [part('/dev/sdb2', 2, { fsType: 'zfs_member', zfsPool: 'rt_T1_abc123' })] });
    expect(codes(judge(d, ctx({ selection: ['/dev/sdb'], options: { confirmData: true } })))).toEqual(['DRIVE_IN_POOL']);
    const ok = judge(d, ctx({ selection: ['/dev/sdb', '/dev/sdc'], options: { confirmData: true } }));
    expect(ok.ready).toBe(true);
    // In a plain listing (no selection) it is a drive with data, not a refusal.
    const listed = judge(d, ctx());
    expect(listed.eligible).toBe(true);
    expect(listed.warnings[0].message).toMatch(/RoundTrip unit, also striped over \/dev\/sdc/);
  });

  it('gives every refusal at once', () => {
    const d = usbDrive({ readOnly: true, sizeBytes: 1e9, mountpoints: ['/mnt/x'] });
    expect(codes(judge(d, ctx()))).toEqual(['DRIVE_READONLY', 'DRIVE_TOO_SMALL', 'DRIVE_MOUNTED']);
  });
});

describe('isSystemMountpoint', () => {
  it('knows the machine mounts and leaves removable-media mounts alone', () => {
    for (const mp of ['/', '/boot', '/home', '/home/tech', '/var', '/usr/local', '[SWAP]', '/tmp']) expect(isSystemMountpoint(mp)).toBe(true);
    for (const mp of ['/media/tech/USB', '/run/media/x', '/mnt/usb', '/tmp/rt-test/m', '/srvx']) expect(isSystemMountpoint(mp)).toBe(false);
  });
});

describe('judge when ZFS does not answer', () => {
  it('refuses a drive carrying ZFS labels (it might be a source) and leaves other drives alone', () => {
    const labelled = usbDrive({ partitions: [part('/dev/sdb2', 2, { fsType: 'zfs_member', zfsPool: 'tank' })] });
    const v = judge(labelled, ctx({ poolsUnknown: true, options: { confirmData: true } }));
    expect(codes(v)).toEqual(['DRIVE_SOURCE_POOL']);
    expect(v.refusals[0].message).toMatch(/ZFS is not answering/);
    expect(judge(usbDrive(), ctx({ poolsUnknown: true })).ready).toBe(true);
    expect(judge(labelled, ctx({ options: { confirmData: true } })).ready).toBe(true);
  });
});
