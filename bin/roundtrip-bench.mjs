#!/usr/bin/env node
// `npm run bench [-- --json] [-- --only NAME] [-- --runs]`: runs every test/bench/*.bench.ts (each
// exports `figures()`), one after the other so they do not compete for the two cores, and prints the
// figures as a table, or as one JSON document {"figures":[{name,value,unit}]} with --json. --runs
// also prints each timed run to stderr (figure.ts, logRuns): on a noisy machine the best runs alone
// do not say how a figure came about.
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'test', 'bench');
const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : null;
if (args.includes('--runs')) process.env.ROUNDTRIP_BENCH_RUNS = '1';

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.startsWith(only))
  .sort();
const figures = [];
const failures = [];
for (const f of files) {
  if (!json) process.stderr.write(`bench: ${f}\n`);
  try {
    const mod = await import(pathToFileURL(join(benchDir, f)).href);
    for (const fig of await mod.figures()) figures.push(fig);
  } catch (e) {
    failures.push({ file: f, error: e?.message ?? String(e) });
    process.stderr.write(`bench: ${f} failed: ${e?.message ?? e}\n`);
  }
}
if (json) {
  process.stdout.write(JSON.stringify({ figures, ...(failures.length ? { failures } : {}) }) + '\n');
} else {
  const w = Math.max(...figures.map((x) => x.name.length), 4);
  for (const x of figures) process.stdout.write(`${x.name.padEnd(w)}  ${String(x.value).padStart(12)}  ${x.unit}\n`);
}
process.exit(failures.length ? 1 : 0);
