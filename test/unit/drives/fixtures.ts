// Drives and contexts for the pure drive tests.
import type { Drive, PolicyContext } from '../../../electron/drives/types.ts';

export function usbDrive(over: Partial<Drive> = {}): Drive {
  return {
    device: '/dev/sdb',
    name: 'sdb',
    kind: 'disk',
    sizeBytes: 500e9,
    model: 'DataTraveler',
    vendor: 'Kingston',
    serial: 'KS123',
    bus: 'usb',
    removable: true,
    readOnly: false,
    diskseq: 12,
    systemByDrivelist: false,
    backingFile: null,
    lab: null,
    partitionTable: null,
    content: { fsType: null, label: null, uuid: null, zfsPool: null },
    mountpoints: [],
    partitions: [],
    pools: [],
    ...over,
  };
}

export function ctx(over: Partial<PolicyContext> = {}): PolicyContext {
  return { sourcePools: [], systemPools: [], busy: [], minBytes: 250e9, options: {}, ...over };
}

export function part(device: string, number: number, over: Partial<Drive['partitions'][number]> = {}): Drive['partitions'][number] {
  return { device, number, sizeBytes: 100e9, partLabel: null, fsType: null, label: null, uuid: null, zfsPool: null, mountpoints: [], ...over };
}
