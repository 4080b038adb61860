// One pause or resume of the appliance's local backups at a time on this bench, across engine
// processes (a CLI sync beside the app's engine): a sync's pause must not run between another's
// "no other sync holds them" and its resume. A lock file holds the owner's pid; one whose owner
// is gone is stale and taken over; within a process, callers queue.
import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readJsonFile } from '../../system/json-file.ts';
import { appPath } from '../../system/paths.ts';
import { alive } from '../../drives/busy.ts';
import { processStart } from './markers.ts';

/** Longer than a pause or resume may take (each is stopped at its timeout), so a live owner is waited for. */
const WAIT_MS = 5 * 60_000;
const POLL_MS = 200;

let queue: Promise<unknown> = Promise.resolve();

export function withLocalBackupsLock<T>(fn: () => Promise<T>): Promise<T> {
  const mine = queue.then(() => withFileLock(fn));
  queue = mine.catch(() => undefined);
  return mine;
}

async function withFileLock<T>(fn: () => Promise<T>): Promise<T> {
  const path = appPath('engine', 'local-backups.lock');
  mkdirSync(dirname(path), { recursive: true });
  const until = Date.now() + WAIT_MS;
  // Written whole under a name of our own, then linked in: the lock never exists without its owner.
  const mine = `${path}.${process.pid}.tmp`;
  writeFileSync(mine, JSON.stringify({ pid: process.pid, pidStart: processStart(process.pid) }), { mode: 0o600 });
  for (;;) {
    try {
      linkSync(mine, path);
      rmSync(mine, { force: true });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readJsonFile<{ pid?: number; pidStart?: string | null } | null>(path, null);
      const ownerRuns = owner?.pid !== undefined && alive(owner.pid) && (owner.pidStart == null || processStart(owner.pid) === owner.pidStart);
      // An owner that died (or one stuck past every command's timeout) no longer holds it.
      if (!ownerRuns || Date.now() > until) rmSync(path, { force: true });
      else await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
