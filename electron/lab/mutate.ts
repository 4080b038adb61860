// Real changes between lab points: files added, changed and deleted inside a mounted tree.
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng, seedOf } from './prng.ts';

function text(rand: () => number, bytes: number): string {
  const words = ['backup', 'ledger', 'invoice', 'customer', 'report', 'server', 'volume', 'recovery', 'point', 'ticket', 'drive', 'merge'];
  let s = '';
  while (s.length < bytes) s += words[Math.floor(rand() * words.length)] + (rand() < 0.1 ? '\n' : ' ');
  return s.slice(0, bytes);
}

/** The tree as it is at point `index` of `system`: deterministic, a few KiB of change per point. */
export function mutateTree(root: string, system: string, index: number, opts: { bigFiles?: boolean } = {}): void {
  const rand = prng(seedOf(`${system}#${index}`));
  for (const d of ['docs', 'data', 'logs']) mkdirSync(join(root, d), { recursive: true });
  if (index === 0) {
    writeFileSync(join(root, 'README.txt'), `Lab volume of ${system}. Every point changes the files below.\n`);
    writeFileSync(join(root, 'data', 'customers.csv'), 'id,name\n' + Array.from({ length: 200 }, (_, i) => `${i},Customer ${i}`).join('\n') + '\n');
    if (opts.bigFiles) writeFileSync(join(root, 'data', 'database.bin'), Buffer.from(text(rand, 2 * 1024 * 1024)));
  }
  // added
  writeFileSync(join(root, 'docs', `report-${String(index).padStart(4, '0')}.txt`), text(rand, 2048 + Math.floor(rand() * 6144)));
  // changed
  appendFileSync(join(root, 'logs', 'activity.log'), `point ${index}: ${text(rand, 200)}\n`);
  writeFileSync(join(root, 'data', 'state.json'), JSON.stringify({ system, index, value: rand() }));
  // deleted: every third point removes the oldest report still there
  if (index % 3 === 2) {
    const reports = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.startsWith('report-')).sort() : [];
    if (reports.length > 2) rmSync(join(root, 'docs', reports[0]));
  }
}
