// A sync's durable marker beside its job record (jobs/ID.local-backups): "this job holds the
// appliance's local backups paused, and this is the command that resumes them". Written before the
// pause command runs and on the disk before it returns, so an engine killed at any moment after
// leaves the next engine what it needs to resume them; set to ended once they are resumed (or left
// to another sync still running), so the resume is not run twice.
import { procStatFields } from '../../system/proc-stat.ts';
import { readJsonFile, writeJsonFileDurably } from '../../system/json-file.ts';
import { alive } from '../../drives/busy.ts';
import { jobSideFile, jobSideFiles } from '../jobs/job-records.ts';

const SUFFIX = 'local-backups';

export interface LocalBackupsMarker {
  jobId: string;
  /** held: the job's sync has them paused (or is pausing them); ended: it no longer needs them paused. */
  state: 'held' | 'ended';
  /** The resume command as configured when the job paused them. */
  resume: string[];
  /** The engine process of the job, and its start time (a reused pid is not taken for it). */
  pid: number;
  pidStart: string | null;
  at: string;
  /** How it ended, in words. */
  outcome?: string;
}

/** Jobs of this process that hold the local backups paused right now. */
const heldHere = new Set<string>();

export function processStart(pid: number): string | null {
  return procStatFields(pid)?.[19] ?? null;
}

export function writeHeldMarker(jobId: string, resume: string[]): void {
  heldHere.add(jobId);
  writeJsonFileDurably(jobSideFile(jobId, SUFFIX), {
    jobId,
    state: 'held',
    resume,
    pid: process.pid,
    pidStart: processStart(process.pid),
    at: new Date().toISOString(),
  } satisfies LocalBackupsMarker);
}

export function endMarker(m: LocalBackupsMarker, outcome: string): void {
  if (m.pid === process.pid) heldHere.delete(m.jobId);
  writeJsonFileDurably(jobSideFile(m.jobId, SUFFIX), { ...m, state: 'ended', at: new Date().toISOString(), outcome } satisfies LocalBackupsMarker);
}

export function readMarker(jobId: string): LocalBackupsMarker | null {
  return readJsonFile<LocalBackupsMarker | null>(jobSideFile(jobId, SUFFIX), null);
}

/** Every marker still held: by a job that runs (alive) or by one whose engine is gone (orphaned). */
export function heldMarkers(): { alive: LocalBackupsMarker[]; orphaned: LocalBackupsMarker[] } {
  const out = { alive: [] as LocalBackupsMarker[], orphaned: [] as LocalBackupsMarker[] };
  for (const { jobId } of jobSideFiles(SUFFIX)) {
    const m = readMarker(jobId);
    if (!m || m.state !== 'held' || !Array.isArray(m.resume)) continue;
    (holderRuns(m) ? out.alive : out.orphaned).push(m);
  }
  return out;
}

function holderRuns(m: LocalBackupsMarker): boolean {
  if (m.pid === process.pid && m.pidStart === processStart(process.pid)) return heldHere.has(m.jobId);
  return alive(m.pid) && (m.pidStart === null || processStart(m.pid) === m.pidStart);
}
