// Each job's record on disk (the engine's data directory, jobs/ID.json): what it is, with its
// secrets redacted, its state and the engine process running it. Written atomically on every state
// change, so an engine started after a kill -9 finds the jobs that were running and lists them as
// interrupted. The pipelines keep their own step journals; this is the registry's view of them.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeJsonFileDurably } from '../../system/json-file.ts';
import { join } from 'node:path';
import type { JobView } from '../../api/schemas/jobs.ts';
import { appPath } from '../../system/paths.ts';

export interface JobRecord {
  view: JobView;
  /** The engine process that runs (or ran) it. */
  pid: number;
  /** That process's start time (/proc/PID/stat), so a pid reused after a reboot is not taken for it. */
  pidStart?: string;
}

/** How many finished jobs are kept on disk for jobs.list. */
const KEEP_FINISHED = 200;

function dir(): string {
  return appPath('engine', 'jobs');
}

/** A file kept beside a job's record (jobs/ID.SUFFIX): what the job must leave for a later engine. */
export function jobSideFile(jobId: string, suffix: string): string {
  return join(dir(), `${jobId}.${suffix}`);
}

/** Every job's side file with this suffix, by job id. */
export function jobSideFiles(suffix: string): Array<{ jobId: string; path: string }> {
  if (!existsSync(dir())) return [];
  const end = `.${suffix}`;
  return readdirSync(dir())
    .filter((f) => f.endsWith(end))
    .map((f) => ({ jobId: f.slice(0, -end.length), path: join(dir(), f) }));
}

export function writeJobRecord(rec: JobRecord): void {
  writeJsonFileDurably(join(dir(), `${rec.view.id}.json`), rec);
}

/** One job's record, or null. */
export function readJobRecord(jobId: string): JobRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir(), `${jobId}.json`), 'utf8')) as JobRecord;
  } catch {
    return null;
  }
}

export function readJobRecords(): JobRecord[] {
  if (!existsSync(dir())) return [];
  const out: JobRecord[] = [];
  for (const f of readdirSync(dir())) {
    if (!f.endsWith('.json')) continue;
    try {
      out.push(JSON.parse(readFileSync(join(dir(), f), 'utf8')) as JobRecord);
    } catch {
      /* a record torn by a crash mid-rename cannot be: rename is atomic; anything else is not ours */
    }
  }
  return out.sort((a, b) => a.view.startedAt.localeCompare(b.view.startedAt));
}

/** Drops the oldest finished records beyond the ones kept. */
export function pruneJobRecords(records: JobRecord[], isFinal: (r: JobRecord) => boolean): void {
  const finished = records.filter(isFinal);
  for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) rmSync(join(dir(), `${r.view.id}.json`), { force: true });
}
