// Shared steps of the unit tests: scratch drives registered as lab drives, tickets on the lab,
// the CLI, and a fingerprint of a source pool to prove a job left it unchanged.
import { join } from 'node:path';
import { execa } from 'execa';
import { registerDrives } from '../../electron/drives/registered-drives.ts';
import { getUserProps, listDatasets, listSnapshots } from '../../electron/system/zfs/index.ts';
import { TicketStore } from '../../electron/tickets/store.ts';
import type { Scratch } from './scratch.ts';
import type { LabState } from '../../electron/lab/state.ts';
import { zfsCmd } from './zfs-cmd.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'roundtrip.mjs');

export function cli(home: string, args: string[], opts: { input?: string } = {}) {
  return execa('node', [BIN, ...args], { env: { ROUNDTRIP_HOME: home }, reject: false, input: opts.input });
}

export function cliSpawn(home: string, args: string[]) {
  return execa('node', [BIN, ...args], { env: { ROUNDTRIP_HOME: home }, reject: false });
}

/** Blank "USB drives" for a unit: sparse loop devices registered with the engine as lab drives. */
export async function blankDrives(s: Scratch, n: number, size = '300G'): Promise<string[]> {
  const devs: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `drive${i}-${Math.random().toString(36).slice(2, 7)}.img`;
    const dev = await s.loop(name, size);
    devs.push(dev);
    registerDrives([{ device: dev, backingFile: join(s.dir, name), label: `TEST-${i}`, sizeBytes: 300e9, labDir: s.dir }]);
  }
  return devs;
}

export function createTicket(lab: LabState, number: string, over: Record<string, unknown> = {}) {
  const store = new TicketStore();
  return store.create(
    {
      ticketNumber: number,
      direction: 'forward',
      format: { filesystem: 'zfs', layout: 'datasets' },
      systems: lab.systems.map((s) => ({ name: s.name, points: { kind: 'newer-than-lock' } })),
      source: { location: 'appliance' },
      shipping: { region: 'usa' },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      contact: { name: 'Test Tech', email: 'tech@example.com' },
      partner: { name: 'Example Partner', resellerId: 'R-1' },
      applianceSerial: lab.applianceSerial,
      notifyEmails: '',
      ...over,
    },
    'test',
  );
}

/** Every dataset and point of a pool with GUIDs and user properties: equal before and after = unchanged. */
export async function fingerprint(root: string): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const d of await listDatasets(root)) {
    out[d.name] = {
      props: await getUserProps(d.name),
      points: (await listSnapshots(d.name)).map((x) => [x.snap, x.guid, x.referencedBytes]),
    };
  }
  return out;
}

/**
 * The lab's protected systems on both sides (datasets, points with GUIDs, user properties), and
 * nothing else: test files share the lab and make scratch clones in its pools meanwhile (a reading
 * clone of another file must not look like a change made by this one).
 */
export async function labFingerprint(lab: LabState): Promise<Record<string, unknown>> {
  // Dataset by dataset: listing a whole pool would race with other files' clones coming and going.
  const out: Record<string, unknown> = {};
  for (const ds of lab.systems.flatMap((x) => [x.dataset, ...(x.offsiteDataset ? [x.offsiteDataset] : [])])) {
    Object.assign(out, await fingerprint(ds));
  }
  return out;
}

/** Releases the guards a sync placed on lock points, so the lab stays as it was for other tests. */
export async function releaseGuards(lab: LabState, ticket: string): Promise<void> {
  const points: string[] = [];
  for (const s of lab.systems) points.push(...(await listSnapshots(s.dataset)).map((p) => p.name));
  // One command for them all: zfs release goes on past a point without the tag (it says so and
  // exits 1), and one command per point took a minute and a half for a file's seven tickets.
  if (points.length) await zfsCmd('zfs', ['release', `roundtrip-${ticket}`, ...points], { reject: false });
}

/**
 * Writes the data extents of `saved` (a sparse copy of a loop device's file) back through the loop
 * device, whose own file was cut off and deleted to simulate a pulled drive: the drive comes back.
 * Only the extents are written (SEEK_DATA/SEEK_HOLE, through python3), so a 300 GB sparse drive
 * with a few MB of data takes a moment.
 */
export async function plugBackIn(saved: string, device: string): Promise<void> {
  const script = [
    'import os, sys',
    'src = os.open(sys.argv[1], os.O_RDONLY); dst = os.open(sys.argv[2], os.O_WRONLY)',
    'end = os.fstat(src).st_size; off = 0',
    'while off < end:',
    '    try: off = os.lseek(src, off, os.SEEK_DATA)',
    '    except OSError: break',
    '    hole = os.lseek(src, off, os.SEEK_HOLE)',
    '    while off < hole:',
    '        buf = os.pread(src, min(1 << 20, hole - off), off)',
    '        os.pwrite(dst, buf, off); off += len(buf)',
    'os.fsync(dst)',
  ].join('\n');
  await execa('python3', ['-c', script, saved, device]);
}
