// Shared steps of the file-unit tests: a small source pool of our own (an ext4 agent with a tricky
// tree and a share with names Windows refuses), reading a source point independently of the code
// under test (a clone by hand, losetup -r, a read-only mount), and comparing trees file for file.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, symlinkSync, chmodSync, chownSync, truncateSync, openSync, writeSync, closeSync, lstatSync, readdirSync, readlinkSync, utimesSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Scratch } from '../../helpers/scratch.ts';
import { writeSystemMeta } from '../../../electron/appliance/system-meta.ts';
import { cryptFile } from '../../../electron/appliance/volume-crypt.ts';
import { parseKeyRecord, unwrapAgentKey } from '../../../electron/appliance/agent-key.ts';
import type { FileEntry } from '../../../electron/jobs/files/file-entry.ts';
import { TicketStore } from '../../../electron/tickets/store.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

export const DAY = 86400;
export const T0 = 1_700_000_000;

/** Names Windows refuses, in the root of the agent's volume and of the share. */
export const ILLEGAL_NAMES = ['a:b.txt', 'what?.txt', 'CON', 'nul.txt', 'trailing.', 'trailing ', 'pipe|star*', 'quote"lt<gt>', '100%.txt'];
export const DEEP_DIRS = Array.from({ length: 24 }, (_, i) => `level-${String(i).padStart(2, '0')}-${'x'.repeat(50)}`);

/** A tool as the helpers run it; zfs and zpool under the engine's locks (test/helpers/zfs-cmd.ts):
 *  `zpool create`, `zfs create`, `set` and `clone` mount, and two mounts at once hang zfs-fuse. */
async function sh(cmd: string, args: string[]) {
  if (cmd === 'zfs' || cmd === 'zpool') return zfsCmd(cmd, args);
  return execa(cmd, args);
}

function writeTricky(root: string, index: number): void {
  if (index === 0) {
    for (const n of ILLEGAL_NAMES) writeFileSync(join(root, n), `file named ${n}\n`);
    writeFileSync(join(root, 'Readme'), 'first\n');
    writeFileSync(join(root, 'README'), 'second, same name for Windows\n');
    mkdirSync(join(root, 'dir:colon'));
    writeFileSync(join(root, 'dir:colon', 'inner?.txt'), 'inside a folder Windows cannot name\n');
    const deep = join(root, ...DEEP_DIRS);
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'bottom.txt'), 'a long way down\n');
    // Sparse: 24 MiB with data only at the start and the end.
    const fd = openSync(join(root, 'sparse.bin'), 'w');
    writeSync(fd, Buffer.alloc(4096, 1), 0, 4096, 0);
    writeSync(fd, Buffer.alloc(4096, 2), 0, 4096, 24 * 1024 * 1024 - 4096);
    closeSync(fd);
    symlinkSync('Readme', join(root, 'link-to-readme'));
    symlinkSync('../nowhere', join(root, 'dangling'));
    writeFileSync(join(root, 'secret.txt'), 'for one user only\n');
    chownSync(join(root, 'secret.txt'), 1234, 5678);
    chmodSync(join(root, 'secret.txt'), 0o600);
    writeFileSync(join(root, 'tool'), '#!/bin/sh\necho tool\n');
    chmodSync(join(root, 'tool'), 0o4755);
    writeFileSync(join(root, 'bad.bin'), Buffer.alloc(200_000, 7));
    writeFileSync(join(root, 'big.bin'), createHash('sha512').update('seed').digest().toString('hex').repeat(40_000));
    mkdirSync(join(root, 'docs'));
  }
  writeFileSync(join(root, 'docs', `day-${index}.txt`), `the state on day ${index}\n`.repeat(100 + index));
  utimesSync(join(root, 'docs', `day-${index}.txt`), T0 + index * DAY, T0 + index * DAY + 0.123456);
}

export interface SourcePool {
  pool: string;
  agent: string;
  share: string;
  agentPoints: string[];
  sharePoints: string[];
}

/**
 * A pool of our own: TRICKY-LNX01 (an ext4 volume image with the tricky tree and a file whose inode
 * is damaged, so it cannot be read) and TRICKY-SHARE01 (plain files). The image is built on the host's
 * disk and only copied into the dataset, never mounted read-write from zfs-fuse.
 */
export async function makeSourcePool(s: Scratch, points = 3): Promise<SourcePool> {
  const pool = s.pool(s.uniqueName('rtfiles'));
  const vdev = await s.file('source.vdev', '1G');
  const mnt = join(s.dir, 'source');
  await sh('zpool', ['create', '-m', mnt, pool, vdev]);
  const agent = `${pool}/TRICKY-LNX01`;
  const share = `${pool}/TRICKY-SHARE01`;
  for (const [ds, kind] of [[agent, 'agent'], [share, 'share']] as const) {
    await sh('zfs', ['create', ds]);
    await sh('zfs', ['set', `roundtrip:kind=${kind}`, ds]);
    await sh('zfs', ['set', 'roundtrip:encrypted=no', ds]);
  }
  await sh('zfs', ['set', 'roundtrip:volumes=root:ext4', agent]);
  const agentMnt = join(mnt, 'TRICKY-LNX01');
  const shareMnt = join(mnt, 'TRICKY-SHARE01');
  writeSystemMeta(agentMnt, { name: 'TRICKY-LNX01', kind: 'agent', os: 'linux', encrypted: false, volumes: [{ name: 'root', fs: 'ext4', file: 'root.img', bytes: 96 * 2 ** 20 }] });
  writeSystemMeta(shareMnt, { name: 'TRICKY-SHARE01', kind: 'share', encrypted: false, volumes: [] });

  const work = await s.file('work.img', '96M');
  await sh('mkfs.ext4', ['-q', '-F', '-L', 'root', work]);
  const wm = s.mount(join(s.dir, 'work-mnt'));
  mkdirSync(wm);
  const agentPoints: string[] = [];
  for (let i = 0; i < points; i++) {
    await sh('mount', ['-o', 'loop', work, wm]);
    writeTricky(wm, i);
    await sh('umount', [wm]);
    // The damaged inode: its extent header points nowhere, so even lstat fails (EUCLEAN).
    if (i === 0) await sh('debugfs', ['-w', '-R', 'set_inode_field /bad.bin block[5] 4000000', work]);
    cpSync(work, join(agentMnt, 'root.img'));
    await sh('zfs', ['snapshot', `${agent}@${T0 + i * DAY}`]);
    agentPoints.push(String(T0 + i * DAY));
  }
  const sharePoints: string[] = [];
  for (let i = 0; i < 2; i++) {
    if (i === 0) {
      for (const n of ILLEGAL_NAMES) writeFileSync(join(shareMnt, n), `share file ${n}\n`);
      mkdirSync(join(shareMnt, 'Projects', 'Q1: plan'), { recursive: true });
      writeFileSync(join(shareMnt, 'Projects', 'Q1: plan', 'notes?.md'), '# notes\n');
    }
    writeFileSync(join(shareMnt, 'Projects', `week-${i}.txt`), `week ${i}\n`);
    await sh('zfs', ['snapshot', `${share}@${T0 + i * DAY + 3600}`]);
    sharePoints.push(String(T0 + i * DAY + 3600));
  }
  return { pool, agent, share, agentPoints, sharePoints };
}

/**
 * Reads a source point independently of the code under test: a clone made here, the volume
 * attached read-only and mounted read-only (decrypted first for an encrypted agent). Removes it all.
 */
export async function withSourcePoint<T>(s: Scratch, dataset: string, point: string, volume: string | null, fn: (dir: string, image: string | null) => Promise<T>, passphrase?: string): Promise<T> {
  const pool = dataset.split('/')[0];
  const clone = `${pool}/testread${Math.random().toString(36).slice(2, 8)}`;
  const cmnt = join(s.dir, clone.replace(/\//g, '_'));
  mkdirSync(cmnt, { recursive: true });
  await sh('zfs', ['clone', '-o', 'readonly=on', '-o', `mountpoint=${cmnt}`, `${dataset}@${point}`, clone]);
  let loop = '';
  const vmnt = `${cmnt}-vol`;
  let plain = '';
  try {
    if (!volume) return await fn(cmnt, null);
    const meta = JSON.parse(readFileSync(join(cmnt, '.roundtrip', 'system.json'), 'utf8'));
    const v = meta.volumes.find((x: { name: string }) => x.name === volume);
    let image = join(cmnt, v.file);
    if (meta.encrypted) {
      const key = await unwrapAgentKey(parseKeyRecord(readFileSync(join(cmnt, 'agent-key.json'), 'utf8')), passphrase!);
      plain = join(s.dir, `plain-${Math.random().toString(36).slice(2, 8)}.img`);
      cryptFile(key, image, plain, false);
      key.fill(0);
      image = plain;
    }
    loop = (await sh('losetup', ['-f', '--show', '-r', image])).stdout.trim();
    mkdirSync(vmnt, { recursive: true });
    if (v.fs === 'ntfs') await sh('ntfs-3g', ['-o', 'ro', loop, vmnt]);
    else await zfsCmd('mount', ['-t', 'ext4', '-o', 'ro,noload', loop, vmnt]);
    try {
      return await fn(vmnt, image);
    } finally {
      await execa('umount', [vmnt], { reject: false });
    }
  } finally {
    if (loop) await execa('losetup', ['-d', loop], { reject: false });
    for (let i = 0; i < 20; i++) {
      if ((await zfsCmd('zfs', ['destroy', clone], { reject: false })).exitCode === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (plain) truncateSync(plain, 0);
  }
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every readable entry of a tree: relative path → facts a user checks. */
export function describeTree(root: string, rel = '', out = new Map<string, { type: string; size: number; mtimeUs: bigint; sha256?: string; target?: string; mode: number; uid: number; gid: number }>()) {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    let st;
    try {
      st = lstatSync(join(root, r), { bigint: true });
    } catch {
      continue; // unreadable on the source: the manifest lists it
    }
    const base = { size: Number(st.size), mtimeUs: st.mtimeNs / 1000n, mode: Number(st.mode & 0o7777n), uid: Number(st.uid), gid: Number(st.gid) };
    if (st.isDirectory()) {
      out.set(r, { type: 'dir', ...base, size: 0 });
      describeTree(root, r, out);
    } else if (st.isSymbolicLink()) out.set(r, { type: 'symlink', ...base, target: readlinkSync(join(root, r)) });
    else if (st.isFile()) out.set(r, { type: 'file', ...base, sha256: sha256(join(root, r)) });
  }
  return out;
}

/** The unit's path of each source path, from the manifest's entries (NTFS renames). */
export function unitPathOf(files: readonly FileEntry[]): (p: string) => string {
  const m = new Map(files.map((f) => [f.path, f.unitPath ?? f.path]));
  return (p) => m.get(p) ?? p;
}

/** Mounts a unit drive's data partition read-only for the test; returns the mountpoint and an unmount. */
export async function mountUnitData(s: Scratch, device: string, fs: 'ntfs' | 'ext4'): Promise<{ dir: string; close: () => Promise<void> }> {
  const part = `${device}p2`;
  const dir = s.mount(join(s.dir, `unit-${device.replace(/\W/g, '')}-${Math.random().toString(36).slice(2, 6)}`));
  mkdirSync(dir);
  if (fs === 'ntfs') await sh('ntfs-3g', ['-o', 'ro', part, dir]);
  else await sh('mount', ['-t', 'ext4', '-o', 'ro,noload', part, dir]);
  return { dir, close: async () => void (await execa('umount', [dir], { reject: false })) };
}

/** A revRT ticket in the shape a technician files it (shipping address included). */
export function fileTicket(number: string, over: Record<string, unknown>) {
  return new TicketStore().create(
    {
      ticketNumber: number,
      direction: 'reverse',
      format: { filesystem: 'ntfs', layout: 'browsable' },
      systems: [],
      source: { location: 'offsite' },
      shipping: {
        region: 'usa',
        address: { recipient: 'Sam Sample', company: 'Example Partner Ltd.', street: ['1 Sample Street'], city: 'Springfield', state: 'PA', postalCode: '19000', country: 'United States', phone: '+1 555 0100' },
      },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      contact: { name: 'Test Tech', email: 'tech@example.com' },
      partner: { name: 'Example Partner', resellerId: 'R-1' },
      applianceSerial: 'TEST-APPL',
      notifyEmails: '',
      ...over,
    },
    'test',
  );
}
