// Temporary things a job makes on the machine to read a point or write a unit — a clone of a source
// point, loop devices, mounts, decrypted working images — recorded in a small file *before* each is
// made, so that whatever kills the job (kill -9, power loss) the next start removes exactly those.
// A record belongs to a process (pid + its start time, so a reused pid is not mistaken for it);
// `cleanupLeftovers()` removes the records of processes that are gone, and nothing else.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import { writeJsonFileDurably } from '../../system/json-file.ts';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { logLine } from '../../system/log.ts';
import { procStatFields } from '../../system/proc-stat.ts';
import { detachLoop, listLoops } from '../../system/loop.ts';
import { isMounted, unmount } from '../../system/mount.ts';
import { appPath } from '../../system/paths.ts';
import { datasetExists, destroy } from '../../system/zfs/index.ts';

export interface LeftoverRecord {
  id: string;
  pid: number;
  /** Field 22 of /proc/PID/stat: tells this process apart from a later one with the same pid. */
  startTime: string;
  jobId: string;
  what: string;
  clones: string[];
  /** Image files attached as loop devices; any loop device still over one of them is ours. */
  loopFiles: string[];
  mounts: string[];
  /** Files to delete (decrypted working images). */
  files: string[];
  /** Directories to remove once empty (mountpoints, working folders), innermost last. */
  dirs: string[];
}

function dir(): string {
  return appPath('leftovers');
}

export function processStartTime(pid: number): string | null {
  return procStatFields(pid)?.[19] ?? null;
}

/** One job's temporary resources on this machine, in the order they were made. */
export class Leftovers {
  readonly rec: LeftoverRecord;
  readonly file: string;

  constructor(jobId: string, what: string) {
    mkdirSync(dir(), { recursive: true });
    const id = randomBytes(5).toString('hex');
    this.rec = { id, pid: process.pid, startTime: processStartTime(process.pid) ?? '', jobId, what, clones: [], loopFiles: [], mounts: [], files: [], dirs: [] };
    this.file = join(dir(), `${id}.json`);
    this.save();
  }

  get id(): string {
    return this.rec.id;
  }

  private save(): void {
    writeJsonFileDurably(this.file, this.rec);
  }

  /** Records an intent before the thing is made. */
  add(kind: 'clones' | 'loopFiles' | 'mounts' | 'files' | 'dirs', value: string): void {
    this.rec[kind].push(value);
    this.save();
  }

  /** Removes everything recorded, newest first, and the record itself when all went. */
  async release(): Promise<void> {
    const ok = await removeAll(this.rec);
    if (ok) rmSync(this.file, { force: true });
  }
}

async function removeAll(rec: LeftoverRecord): Promise<boolean> {
  let ok = true;
  const attempt = async (what: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (e) {
      ok = false;
      logLine('job', { op: 'remove leftover', jobId: rec.jobId, what, error: String((e as Error)?.message ?? e) });
    }
  };
  for (const m of [...rec.mounts].reverse()) await attempt(`mount ${m}`, () => (isMounted(m) ? unmount(m, { lazyLastResort: true }) : undefined));
  if (rec.loopFiles.length) {
    const loops = await listLoops();
    for (const f of [...rec.loopFiles].reverse()) {
      for (const l of loops.filter((x) => x.backingFile === f)) await attempt(`loop ${l.device}`, () => detachLoop(l.device));
    }
  }
  for (const c of [...rec.clones].reverse()) {
    await attempt(`clone ${c}`, async () => {
      // A clone just unmounted can answer "busy" for a moment (zfs-fuse): retry for a while.
      for (let i = 0; ; i++) {
        if (!(await datasetExists(c))) return;
        try {
          await destroy(c);
          return;
        } catch (e) {
          if (i >= 5) throw e;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    });
  }
  for (const f of rec.files) await attempt(`file ${f}`, () => rmSync(f, { force: true }));
  for (const d of [...rec.dirs].reverse()) {
    await attempt(`dir ${d}`, () => {
      // Never recursive: a directory that still holds something may be a mount that did not go.
      if (existsSync(d) && !isMounted(d)) rmdirSync(d);
    });
  }
  return ok;
}

function alive(rec: LeftoverRecord): boolean {
  const st = processStartTime(rec.pid);
  return st !== null && st === rec.startTime;
}

/** Removes what killed runs left on this machine. Safe to call at any start; returns what it removed. */
export async function cleanupLeftovers(): Promise<LeftoverRecord[]> {
  if (!existsSync(dir())) return [];
  const removed: LeftoverRecord[] = [];
  for (const f of readdirSync(dir()).filter((x) => x.endsWith('.json'))) {
    let rec: LeftoverRecord;
    try {
      rec = JSON.parse(readFileSync(join(dir(), f), 'utf8')) as LeftoverRecord;
    } catch {
      continue;
    }
    if (alive(rec)) continue;
    logLine('job', { op: 'clean up after a killed run', jobId: rec.jobId, what: rec.what, clones: rec.clones, mounts: rec.mounts });
    if (await removeAll(rec)) {
      rmSync(join(dir(), f), { force: true });
      removed.push(rec);
    }
  }
  return removed;
}
