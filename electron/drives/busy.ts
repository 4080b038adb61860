// Which drives are in use by a job. A claim lives in this process's memory and in a lock file per
// device under <appHome>/locks holding the owner's pid and job id, so another engine process (the
// CLI, a second window) sees it too. A lock whose pid is dead is stale and ignored.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../api/errors.ts';
import { appPath } from '../system/paths.ts';
import type { BusyClaim } from './types.ts';

const inProcess = new Map<string, BusyClaim>();

function lockDir(): string {
  return appPath('locks');
}

function lockFile(device: string): string {
  return join(lockDir(), `drive${device.replace(/[^A-Za-z0-9]+/g, '-')}.lock`);
}

export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): BusyClaim | null {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as BusyClaim;
    return typeof c.device === 'string' && typeof c.jobId === 'string' ? c : null;
  } catch {
    return null;
  }
}

/** Every live claim: this process's and other processes' (stale lock files are removed on the way). */
export function busyDrives(): BusyClaim[] {
  const out = new Map<string, BusyClaim>();
  let files: string[] = [];
  try {
    files = readdirSync(lockDir()).filter((f) => f.endsWith('.lock'));
  } catch {
    /* no locks yet */
  }
  for (const f of files) {
    const c = readLock(join(lockDir(), f));
    if (!c) continue;
    if (!alive(c.pid)) {
      rmSync(join(lockDir(), f), { force: true });
      continue;
    }
    out.set(c.device, c);
  }
  for (const c of inProcess.values()) out.set(c.device, c);
  return [...out.values()];
}

export function claimOf(device: string): BusyClaim | undefined {
  return busyDrives().find((c) => c.device === device);
}

function mine(c: BusyClaim, jobId: string): boolean {
  return c.jobId === jobId && c.pid === process.pid;
}

/**
 * Claims the drives for a job, all or none. A drive already claimed by this same job in this
 * process is fine; any other live claim throws DRIVE_BUSY. Returns the drives newly claimed, for a
 * part of the job that must release only what it took (a sync's read-back of its own unit).
 */
export function claimDrives(devices: string[], jobId: string): string[] {
  if (!jobId || /[\n\0]/.test(jobId)) throw new AppError('BAD_INPUT', 'A job id is needed to claim drives.');
  mkdirSync(lockDir(), { recursive: true });
  const taken: string[] = [];
  try {
    for (const device of devices) {
      const claim: BusyClaim = { device, jobId, pid: process.pid, since: new Date().toISOString() };
      const file = lockFile(device);
      for (let attempt = 0; ; attempt++) {
        const held = inProcess.get(device) ?? readLock(file) ?? undefined;
        if (held && alive(held.pid) && !mine(held, jobId)) {
          throw new AppError('DRIVE_BUSY', `${device} is in use by job ${held.jobId} (since ${held.since}). Wait for that job to finish or cancel it first.`, {
            data: { device, jobId: held.jobId },
          });
        }
        if (held && mine(held, jobId)) break;
        if (held) rmSync(file, { force: true }); // stale
        try {
          // "wx": exactly one process wins the race for a free drive.
          writeFileSync(file, JSON.stringify(claim), { flag: 'wx' });
          inProcess.set(device, claim);
          taken.push(device);
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw e;
        }
      }
    }
  } catch (e) {
    releaseDrives(taken, jobId);
    throw e;
  }
  return taken;
}

/** Releases this job's claims (claims by anyone else are left alone). */
export function releaseDrives(devices: string[], jobId: string): void {
  for (const device of devices) {
    const held = inProcess.get(device);
    if (held && held.jobId === jobId) inProcess.delete(device);
    const file = lockFile(device);
    const onDisk = readLock(file);
    if (onDisk && mine(onDisk, jobId)) rmSync(file, { force: true });
  }
}
