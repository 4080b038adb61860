import { writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busyDrives, claimDrives, releaseDrives } from '../../../electron/drives/busy.ts';
import { judge } from '../../../electron/drives/policy.ts';
import { erasePreview } from '../../../electron/drives/preview.ts';
import { ctx, part, usbDrive } from './fixtures.ts';
import { useTempHome } from '../../helpers/temp-home.ts';

describe('drive claims (lock files under a temp ROUNDTRIP_HOME)', () => {
  const home = useTempHome('rt-busy-');

  it('claims, refuses another job, lets the same job claim again, and releases', () => {
    claimDrives(['/dev/sdx', '/dev/sdy'], 'job-a');
    expect(busyDrives().map((c) => [c.device, c.jobId]).sort()).toEqual([['/dev/sdx', 'job-a'], ['/dev/sdy', 'job-a']]);
    expect(() => claimDrives(['/dev/sdz', '/dev/sdy'], 'job-b')).toThrow(/in use by job job-a/);
    // All or none: job-b did not keep /dev/sdz.
    expect(busyDrives().some((c) => c.device === '/dev/sdz')).toBe(false);
    claimDrives(['/dev/sdx'], 'job-a');
    releaseDrives(['/dev/sdx', '/dev/sdy'], 'job-b'); // not its claims: nothing happens
    expect(busyDrives()).toHaveLength(2);
    releaseDrives(['/dev/sdx', '/dev/sdy'], 'job-a');
    expect(busyDrives()).toEqual([]);
  });

  it('sees another live process\'s lock and ignores (and removes) a dead one\'s', () => {
    mkdirSync(join(home, 'locks'), { recursive: true });
    writeFileSync(join(home, 'locks', 'drive-dev-sdq.lock'), JSON.stringify({ device: '/dev/sdq', jobId: 'other', pid: 1, since: 'x' }));
    writeFileSync(join(home, 'locks', 'drive-dev-sdr.lock'), JSON.stringify({ device: '/dev/sdr', jobId: 'dead', pid: 2 ** 22 + 7, since: 'x' }));
    expect(busyDrives().map((c) => c.device)).toEqual(['/dev/sdq']);
    expect(readdirSync(join(home, 'locks'))).toEqual(['drive-dev-sdq.lock']);
    expect(() => claimDrives(['/dev/sdq'], 'mine')).toThrow(/in use by job other/);
    claimDrives(['/dev/sdr'], 'mine');
    releaseDrives(['/dev/sdr'], 'mine');
  });
});

describe('erasePreview (R9)', () => {
  it('names every drive with model, serial, size and everything that will be lost', () => {
    const a = usbDrive({ partitions: [part('/dev/sdb1', 1, { fsType: 'ntfs', label: 'Photos', mountpoints: ['/media/t/Photos'] })] });
    const b = usbDrive({ device: '/dev/sdc', serial: 'KS999', content: { fsType: 'zfs_member', label: 'oldpool', uuid: '1', zfsPool: 'oldpool' } });
    const c = ctx({ options: { unmount: true } });
    const p = erasePreview([{ ...a, verdict: judge(a, c) }, { ...b, verdict: judge(b, c) }], 'zfs', 'T1-ACME');
    expect(p.summary).toContain('ERASES EVERYTHING on these 2 drives (1.00 TB in all)');
    expect(p.summary).toContain('/dev/sdb — Kingston DataTraveler (serial KS123, 500 GB, USB): partition 1 (/dev/sdb1, 100 GB): ntfs filesystem "Photos", mounted at /media/t/Photos');
    expect(p.summary).toContain('/dev/sdc — Kingston DataTraveler (serial KS999, 500 GB, USB): ZFS pool "oldpool" on the whole disk');
    expect(p.summary).toContain('one ZFS pool striped over all of them, labelled "T1-ACME"');
    expect(p.drives[0].willUnmount).toEqual(['/media/t/Photos']);
    expect(p.unconfirmed.map((w) => [w.device, w.code])).toEqual([['/dev/sdb', 'DRIVE_HAS_DATA'], ['/dev/sdc', 'DRIVE_HAS_DATA']]);
    expect(p.eligible).toBe(true);
  });
});
