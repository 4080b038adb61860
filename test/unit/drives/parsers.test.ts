import { describe, expect, it } from 'vitest';
import { parseBlkidExport } from '../../../electron/drives/blkid.ts';
import { descendants, parseLsblk } from '../../../electron/drives/lsblk.ts';
import { mountsOf, parseMountinfo, parseSwaps, poolsAtSystemMounts } from '../../../electron/drives/mounts.ts';
import { isSystemMountpoint } from '../../../electron/drives/policy.ts';
import { parseUnitProps, parseZpoolStatus, vdevPath } from '../../../electron/drives/pools.ts';

describe('parseLsblk', () => {
  it('reads disks, partitions and stacked devices, with sizes as numbers and empty mountpoints dropped', () => {
    const json = JSON.stringify({
      blockdevices: [
        { name: 'vda', kname: 'vda', path: '/dev/vda', 'maj:min': '254:0', size: 274877906944, type: 'disk', ro: false, rm: false, hotplug: false, tran: null, model: null, serial: null, mountpoints: ['/'] },
        {
          name: 'sdb', kname: 'sdb', path: '/dev/sdb', 'maj:min': '8:16', size: 500107862016, type: 'disk', ro: '0', rm: '1', hotplug: true, tran: 'usb', model: 'Ext HDD ', serial: 'S1', mountpoints: [null],
          children: [
            { name: 'sdb1', kname: 'sdb1', path: '/dev/sdb1', 'maj:min': '8:17', size: 1000, type: 'part', ro: false, fstype: 'LVM2_member', mountpoints: [null],
              children: [{ name: 'vg-lv', kname: 'dm-0', path: '/dev/mapper/vg-lv', 'maj:min': '253:0', size: 900, type: 'lvm', mountpoints: ['/srv/data'] }] },
          ],
        },
      ],
    });
    const [vda, sdb] = parseLsblk(json);
    expect(vda).toMatchObject({ path: '/dev/vda', sizeBytes: 274877906944, type: 'disk', mountpoints: ['/'], children: [] });
    expect(sdb).toMatchObject({ removable: true, hotplug: true, tran: 'usb', model: 'Ext HDD', mountpoints: [] });
    expect(descendants(sdb).map((n) => n.path)).toEqual(['/dev/sdb1', '/dev/mapper/vg-lv']);
    expect(descendants(sdb)[1].mountpoints).toEqual(['/srv/data']);
  });

  it('accepts the older single "mountpoint" column and empty output', () => {
    expect(parseLsblk('{"blockdevices":[{"name":"sdc","size":"10","type":"disk","mountpoint":"/mnt/a"}]}')[0]).toMatchObject({ path: '/dev/sdc', sizeBytes: 10, mountpoints: ['/mnt/a'] });
    expect(parseLsblk('')).toEqual([]);
  });
});

describe('parseBlkidExport', () => {
  it('reads a zfs member (the label is the pool name) and the GPT partition name', () => {
    const p = parseBlkidExport('DEVNAME=/dev/loop0p2\nVERSION=23\nLABEL=rt_T1_ab12cd\nUUID=1424\nTYPE=zfs_member\nUSAGE=filesystem\nPART_ENTRY_NAME=RTDATA\n');
    expect(p).toEqual({ fsType: 'zfs_member', label: 'rt_T1_ab12cd', uuid: '1424', zfsPool: 'rt_T1_ab12cd', ptType: null, partLabel: 'RTDATA' });
  });
  it('reads a partition table on a whole disk', () => {
    expect(parseBlkidExport('DEVNAME=/dev/loop0\nPTUUID=1c07\nPTTYPE=gpt\n')).toMatchObject({ fsType: null, ptType: 'gpt' });
  });
});

describe('mounts', () => {
  const info = [
    '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
    '43 27 0:40 / /tmp/tp1mnt rw,relatime - fuse.zfs tp1 rw',
    '50 27 0:52 / /media/tech/My\\040Disk rw,relatime shared:1 - fuseblk /dev/sdb2 rw,user_id=0',
    '51 27 0:53 / /rpoolroot rw - zfs rpool/ROOT/debian rw',
  ].join('\n');
  const table = { mounts: parseMountinfo(info), swaps: parseSwaps('Filename\tType\tSize\tUsed\tPriority\n/dev/sdc1 partition 100 0 -2\n') };

  it('parses mountinfo, unescaping spaces, with optional fields', () => {
    expect(table.mounts[2]).toEqual({ majMin: '0:52', mountpoint: '/media/tech/My Disk', fsType: 'fuseblk', source: '/dev/sdb2' });
  });
  it('matches block mounts by device number and FUSE block mounts (ntfs-3g) by source path', () => {
    expect(mountsOf(table, { path: '/dev/vda', majMin: '254:0' })).toEqual(['/']);
    expect(mountsOf(table, { path: '/dev/sdb2', majMin: '8:18' })).toEqual(['/media/tech/My Disk']);
    expect(mountsOf(table, { path: '/dev/sdc1', majMin: '8:33' })).toEqual(['[SWAP]']);
  });
  it('finds the pools the machine runs on', () => {
    const t = { mounts: parseMountinfo('1 0 0:5 / / rw - zfs rpool/ROOT/debian rw\n' + info), swaps: [] };
    expect(poolsAtSystemMounts(t, isSystemMountpoint)).toEqual(['rpool']);
    expect(poolsAtSystemMounts(table, isSystemMountpoint)).toEqual([]);
  });
});

describe('zpool status', () => {
  const text = `  pool: rt_T1_ab12cd
 state: ONLINE
 scrub: none requested
config:

	NAME        STATE     READ WRITE CKSUM
	rt_T1_ab12cd  ONLINE       0     0     0
	  loop3p2   ONLINE       0     0     0
	  loop4p2   ONLINE       0     0     0

errors: No known data errors

  pool: tank
 state: DEGRADED
config:

	NAME           STATE     READ WRITE CKSUM
	tank           DEGRADED     0     0     0
	  mirror-0     DEGRADED     0     0     0
	    /dev/sdc   ONLINE       0     0     0
	    /dev/sdd   UNAVAIL      0     0     0
	  /tmp/file.img  ONLINE     0     0     0

errors: No known data errors
`;
  it('lists every pool with its leaf devices, groups left out', () => {
    const m = parseZpoolStatus(text);
    expect([...m.keys()]).toEqual(['rt_T1_ab12cd', 'tank']);
    expect(m.get('rt_T1_ab12cd')).toEqual(['loop3p2', 'loop4p2']);
    expect(m.get('tank')).toEqual(['/dev/sdc', '/dev/sdd', '/tmp/file.img']);
  });
  it('names short vdevs under /dev', () => {
    expect(vdevPath('loop3p2', (p) => p)).toBe('/dev/loop3p2');
    expect(vdevPath('/tmp/file.img', (p) => p)).toBe('/tmp/file.img');
  });
  it('reads which pools are units', () => {
    expect([...parseUnitProps('rt_a\tyes\ntank\t-\n')]).toEqual(['rt_a']);
  });
});
