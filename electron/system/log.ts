// The engine's log: JSON lines in the app's data directory. Secrets never come here:
// callers pass facts, and `redact` strips any field whose name says it is a secret.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appHome } from './paths.ts';

const SECRET_KEY = /pass(phrase|word)?|secret|token|key$/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v);
    return out;
  }
  return value;
}

let dirReady = false;
export function logLine(kind: string, fields: Record<string, unknown>): void {
  try {
    const dir = join(appHome(), 'logs');
    if (!dirReady) {
      mkdirSync(dir, { recursive: true });
      dirReady = true;
    }
    const line = JSON.stringify({ t: new Date().toISOString(), kind, ...(redact(fields) as object) });
    appendFileSync(join(dir, 'engine.log'), line + '\n');
  } catch {
    // Logging must never break an operation.
  }
}
