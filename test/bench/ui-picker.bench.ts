// Range picker figures for `npm run bench`: the RangePicker with 10,000 points in Chromium (Debian's,
// driven by playwright-core), built with Vite for production (test/bench/ui/) and served from
// 127.0.0.1. range_picker_10k_render_ms: from just before React renders to the first frame painted
// with rows (the page's performance marks). range_picker_10k_select_ms: with the newest point chosen
// and the list focused, Shift+End until the figures panel shows the 6,000 syncable points painted.
// Medians over fresh loads of the page, after one load that warms the browser's caches.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import type { Figure } from './figure.ts';
import { rendererFile } from '../../electron/hosts/renderer-files.ts';

const UI = join(import.meta.dirname, 'ui');
const RUNS = 7;
const SYNCABLE = 6000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Serves the built page the way `roundtrip serve` serves the app (renderer-files.ts): nothing outside `dir`. */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  let port = 0;
  const server = createServer((req, res) => {
    const file = rendererFile(new URL(req.url ?? '/', 'http://x').pathname, port, dir);
    if (file) res.writeHead(file.status, file.headers).end(file.body);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

/** One fresh load: how long until rows were painted, then how long Shift+End took to show its range. */
async function once(page: Page, url: string): Promise<{ render: number; select: number }> {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('picker-render').length > 0, null, { timeout: 30_000 });
  const render = await page.evaluate(() => performance.getEntriesByName('picker-render')[0].duration);
  // The newest point alone (the list takes the focus), then Shift+End runs the range down to the lock.
  await page.getByRole('option').first().click();
  await page.waitForFunction(() => document.getElementById('figures')?.dataset.count === '1');
  await page.evaluate((n) => {
    window.__selectMs = undefined;
    window.__expectCount = n;
  }, SYNCABLE);
  await page.keyboard.press('Shift+End');
  await page.waitForFunction(() => window.__selectMs !== undefined, null, { timeout: 30_000 });
  const select = await page.evaluate(() => window.__selectMs!);
  return { render, select };
}

export async function figures(): Promise<Figure[]> {
  const out = mkdtempSync(join(tmpdir(), 'rt-bench-ui-'));
  let server: Server | undefined;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await build({ configFile: join(UI, 'vite.config.ts'), root: UI, build: { outDir: out }, logLevel: 'warn' });
    const s = await serve(out);
    server = s.server;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await once(page, s.url); // warm-up: the browser's caches and compiled code
    const renders: number[] = [];
    const selects: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await once(page, s.url);
      renders.push(r.render);
      selects.push(r.select);
      if (process.env.ROUNDTRIP_BENCH_RUNS === '1') process.stderr.write(`ui-picker run ${i}: render ${r.render.toFixed(1)} ms, select ${r.select.toFixed(1)} ms\n`);
    }
    return [
      { name: 'range_picker_10k_render_ms', value: Math.round(median(renders) * 10) / 10, unit: 'ms' },
      { name: 'range_picker_10k_select_ms', value: Math.round(median(selects) * 10) / 10, unit: 'ms' },
    ];
  } finally {
    await browser.close();
    await new Promise((r) => (server ? server.close(() => r(undefined)) : r(undefined)));
    rmSync(out, { recursive: true, force: true });
  }
}
