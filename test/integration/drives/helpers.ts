// Shared by the drive integration tests: a private ROUNDTRIP_HOME, lab-registered scratch loop
// devices, and fingerprints of a device's first and last MiB (to prove nothing was written).
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, readSync, readFileSync, closeSync, fstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { registerDrives } from '../../../electron/drives/registered-drives.ts';
import type { Scratch } from '../../helpers/scratch.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

/** Points ROUNDTRIP_HOME at a fresh temp dir; returns it and a restore function. */
export function privateHome(tag: string): { home: string; restore(): void } {
  const prev = process.env.ROUNDTRIP_HOME;
  const home = mkdtempSync(join(tmpdir(), `rt-home-${tag}-`));
  process.env.ROUNDTRIP_HOME = home;
  return {
    home,
    restore() {
      if (prev === undefined) delete process.env.ROUNDTRIP_HOME;
      else process.env.ROUNDTRIP_HOME = prev;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Loop devices this test file attached. They are detached by exact path, and only while they still
 * hold our file: once a test detaches one itself, its number may already serve someone else's test.
 */
const own: Array<{ dev: string; file: string }> = [];

function backingNow(dev: string): string | null {
  try {
    return readFileSync(`/sys/block/${basename(dev)}/loop/backing_file`, 'utf8').trim();
  } catch {
    return null;
  }
}

export async function attachOwn(file: string, opts: { readOnly?: boolean } = {}): Promise<string> {
  const dev = (await execa('losetup', ['-f', '--show', '-P', ...(opts.readOnly ? ['-r'] : []), file])).stdout.trim();
  own.push({ dev, file });
  return dev;
}

/** Detaches one of our loop devices, if it still holds our file. */
export async function detachOwn(dev: string): Promise<void> {
  const mine = own.filter((o) => o.dev === dev);
  if (mine.some((o) => backingNow(dev) === o.file)) await execa('losetup', ['-d', dev], { reject: false });
}

export async function detachAllOwn(): Promise<void> {
  for (const o of own.splice(0)) if (backingNow(o.dev) === o.file) await execa('losetup', ['-d', o.dev], { reject: false });
}

/** A sparse file on a loop device (ours), registered as a lab drive in the current ROUNDTRIP_HOME. */
export async function labLoop(scratch: Scratch, name: string, size = '300G', opts: { readOnly?: boolean; register?: boolean } = {}): Promise<string> {
  const backingFile = await scratch.file(`${name}.img`, size);
  const dev = await attachOwn(backingFile, opts);
  if (opts.register !== false) await registerLab(dev, backingFile, name, scratch.dir);
  return dev;
}

export async function registerLab(dev: string, backingFile: string, label: string, labDir: string): Promise<void> {
  const sizeBytes = Number((await execa('blockdev', ['--getsize64', dev])).stdout.trim());
  registerDrives([{ device: dev, backingFile, label, sizeBytes, labDir }]);
}

/** sha256 of the first and last MiB of a file or device. */
export function edges(path: string, sizeBytes?: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = sizeBytes ?? fstatSync(fd).size;
    const mib = 1024 * 1024;
    const h = createHash('sha256');
    for (const pos of [0, Math.max(0, size - mib)]) {
      const buf = Buffer.alloc(mib);
      readSync(fd, buf, 0, mib, pos);
      h.update(buf);
    }
    return h.digest('hex');
  } finally {
    closeSync(fd);
  }
}

export function backingOf(scratch: Scratch, name: string): string {
  return join(scratch.dir, `${name}.img`);
}

export async function blkid(dev: string): Promise<Record<string, string>> {
  const r = await execa('blkid', ['-p', '-o', 'export', dev], { reject: false });
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function part(dev: string, n: number): string {
  return `${dev}p${n}`;
}

export function short(dev: string): string {
  return basename(dev);
}

/** Catches an async failure and returns it (vitest's rejects matchers lose the AppError fields). */
export async function failure(p: Promise<unknown>): Promise<{ code?: string; message: string; data?: Record<string, unknown>; step?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a failure, got success');
}

/** Destroys every imported pool that sits on one of the given (test-created) loop devices. */
export async function destroyPoolsOn(loops: string[]): Promise<void> {
  const { parseZpoolStatus } = await import('../../../electron/drives/pools.ts');
  const r = await zfsCmd('zpool', ['status'], { reject: false });
  for (const [pool, devs] of parseZpoolStatus(r.stdout)) {
    const full = devs.map((d) => (d.startsWith('/') ? d : `/dev/${d}`));
    if (full.some((d) => loops.some((l) => d === l || d.startsWith(`${l}p`)))) {
      for (let i = 0; i < 10; i++) {
        const x = await zfsCmd('zpool', ['destroy', '-f', pool], { reject: false });
        if (x.exitCode === 0 || /no such pool/.test(x.stderr)) break;
        await new Promise((res) => setTimeout(res, 500));
      }
    }
  }
}

/** Unmounts whatever is still mounted under our own scratch directory (a test that failed half-way). */
export async function unmountUnder(dir: string): Promise<void> {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const targets = lines.map((l) => l.split(' ')[4]).filter((t): t is string => !!t && (t === dir || t.startsWith(dir + '/')));
  for (const t of targets.reverse()) await execa('umount', ['-l', t], { reject: false });
}
