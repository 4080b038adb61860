// The browser host in a real Chromium (Debian's, driven by playwright-core): `roundtrip serve`
// prints an address with its session token; the page opens, talks to the engine over its
// WebSocket and shows the lab's state; without the token the page is refused.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { chromium, type Browser } from 'playwright-core';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'roundtrip.mjs');

describe('roundtrip serve in Chromium (playwright-core, /usr/bin/chromium)', () => {
  const home = mkdtempSync(join(tmpdir(), 'rt-e2e-home-'));
  let server: ResultPromise;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    server = execa('node', [BIN, 'serve'], { env: { ROUNDTRIP_HOME: home }, reject: false });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (c: Buffer) => {
        out += c;
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      setTimeout(() => reject(new Error(`serve printed no address: ${out}`)), 30_000);
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    await server;
    rmSync(home, { recursive: true, force: true });
  });

  it('opens the page with the token and shows what the engine answers about the lab', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await expect.poll(() => page.title()).toBe('RoundTrip Bench');
    // The page asked the engine over the WebSocket and replaced its placeholder with the answer.
    await expect.poll(() => page.locator('#lab').textContent(), { timeout: 20_000 }).not.toBe('asking the engine…');
    const text = (await page.locator('#lab').textContent()) ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\n\s+at /);
    await page.close();
  });

  it('refuses the page without the token, and a WebSocket from another origin', async () => {
    const page = await browser.newPage();
    const bare = url.replace(/\?token=.*/, '');
    const res = await page.goto(bare);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('body')).toMatch(/token/);
    // A page from another origin (a data: page here) cannot open the engine's socket, token or not.
    await page.goto('data:text/html,<p>another page</p>');
    const opened = await page.evaluate(
      (wsUrl) =>
        new Promise<boolean>((resolve) => {
          const ws = new WebSocket(wsUrl);
          ws.onopen = () => resolve(true);
          ws.onerror = () => resolve(false);
        }),
      url.replace('http://', 'ws://').replace('/?token=', '/api?token='),
    );
    expect(opened).toBe(false);
    await page.close();
  });
});
