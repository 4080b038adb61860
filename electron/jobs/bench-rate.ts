// R8: the time a sync takes is shown at 15 MB/s or at this bench's measured rate. Every finished
// sync records its rate here; the plan reads the last one.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { appPath } from '../system/paths.ts';

const FILE = () => appPath('bench-rate.json');
/** A sync shorter than this says more about start-up costs than about the bench's rate. */
const MIN_BYTES = 64 * 1024 * 1024;

export function recordBenchRate(bytes: number, ms: number): void {
  if (bytes < MIN_BYTES || ms <= 0) return;
  const file = FILE();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify({ bytesPerSec: Math.round((bytes * 1000) / ms), bytes, ms, at: new Date().toISOString() }));
  renameSync(`${file}.tmp`, file);
}

export function measuredBenchRate(): number | null {
  try {
    if (!existsSync(FILE())) return null;
    const v = (JSON.parse(readFileSync(FILE(), 'utf8')) as { bytesPerSec?: unknown }).bytesPerSec;
    return typeof v === 'number' && v > 0 ? v : null;
  } catch {
    return null;
  }
}
