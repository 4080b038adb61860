// One run per job at a time. A second run of the same ticket (another window, a second CLI) must
// not start while the first is alive: it would set the first one's journal aside and erase its
// drives. The lock is a file in the job's directory holding the owner's pid; a dead owner's lock
// is stale (kill -9, power loss) and is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../api/errors.ts';
import { alive } from '../drives/busy.ts';
import { jobDir } from './journal.ts';

const running = new Set<string>();

export function lockJob(jobId: string, what: string): () => void {
  const dir = jobDir(jobId);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'running.pid');
  let owner = NaN;
  try {
    owner = Number(readFileSync(file, 'utf8').trim());
  } catch {
    /* no lock */
  }
  if (running.has(jobId) || (owner !== process.pid && alive(owner))) {
    throw new AppError('JOB_STATE', `${what} is already running${owner && owner !== process.pid ? ` (process ${owner})` : ''}; wait for it to finish or cancel it first.`);
  }
  writeFileSync(file, String(process.pid));
  running.add(jobId);
  return () => {
    running.delete(jobId);
    rmSync(file, { force: true });
  };
}
