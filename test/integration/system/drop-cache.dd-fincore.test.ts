// dropCachedPages (system/drop-cache.ts) with the real dd: a written, flushed file's pages leave
// the page cache (fincore counts them), its content stays, and a file that is not there changes
// nothing and throws nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { execa } from 'execa';
import { dropCachedPages } from '../../../electron/system/drop-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'rt-dropcache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pages of `path` in the page cache. */
async function residentPages(path: string): Promise<number> {
  const r = await execa('fincore', ['--bytes', '--noheadings', '--output', 'PAGES', path]);
  return Number(r.stdout.trim());
}

it("lets go of a flushed file's pages and keeps its content", async () => {
  const file = join(dir, 'image.bin');
  const data = randomBytes(8 << 20);
  writeFileSync(file, data);
  const fh = await open(file, 'r');
  await fh.datasync();
  await fh.close();
  expect(await residentPages(file)).toBeGreaterThan(1000);
  await dropCachedPages(file);
  expect(await residentPages(file)).toBe(0);
  expect(readFileSync(file).equals(data)).toBe(true);
});

it('does nothing and throws nothing for a file that is not there', async () => {
  await expect(dropCachedPages(join(dir, 'missing.bin'))).resolves.toBeUndefined();
});
