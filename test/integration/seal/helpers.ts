// What the sealed-unit tests do alike: a sealed sync run through the CLI and killed once its
// journal names enough proven points, and a byte flipped inside a sealed file.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { jobDir } from '../../../electron/jobs/journal.ts';
import { cliSpawn } from '../../helpers/units.ts';

export const PASSPHRASE_RE = /Unit passphrase[^:]*: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})/;

/** The sync's journal and its proven points' lines. */
export function syncJournal(ticket: string): { file: string; pointLines: () => string[] } {
  const file = join(jobDir(`sync-${ticket}`), 'journal.jsonl');
  return { file, pointLines: () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')) : []) };
}

/** `roundtrip sync --seal ...` killed (SIGKILL) once `points` points are journaled; its stderr and the passphrase it printed. */
export async function sealedSyncKilledAfter(home: string, ticket: string, args: string[], points: number): Promise<{ stderr: string; passphrase: string }> {
  const { pointLines } = syncJournal(ticket);
  const child = cliSpawn(home, ['sync', '--seal', '--ticket', ticket, ...args]);
  const until = Date.now() + 240_000;
  while (Date.now() < until && pointLines().length < points) await new Promise((res) => setTimeout(res, 50));
  child.kill('SIGKILL');
  const killed = await child;
  return { stderr: killed.stderr, passphrase: PASSPHRASE_RE.exec(killed.stderr)?.[1] ?? '' };
}

/** One bit changed in the middle of a file, as a failing drive or a meddler would. */
export function flipMiddleByte(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const at = Math.floor(statSync(file).size / 2);
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    writeSync(fd, Buffer.from([b[0] ^ 0x10]), 0, 1, at);
  } finally {
    closeSync(fd);
  }
}
