// A job's durable journal: JSON lines, each fsynced before the next step starts, so a job killed
// at any moment (kill -9, power loss) knows exactly what was finished. Never holds a secret.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../system/log.ts';
import { appPath } from '../system/paths.ts';

export function jobDir(jobId: string): string {
  return appPath('jobs', jobId);
}

export class Journal<R extends { type: string }> {
  readonly file: string;

  constructor(readonly jobId: string) {
    const dir = jobDir(jobId);
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'journal.jsonl');
  }

  append(record: R): void {
    const line = JSON.stringify({ at: new Date().toISOString(), ...(redact(record) as object) }) + '\n';
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every complete record; a torn last line (the process died mid-write) is ignored. */
  read(): R[] {
    if (!existsSync(this.file)) return [];
    const out: R[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        break;
      }
    }
    return out;
  }

  exists(): boolean {
    return existsSync(this.file);
  }
}
