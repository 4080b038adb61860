// The browser host in a real Chromium (Debian's, driven by playwright-core): `roundtrip serve`
// prints an address with its session token; the bench UI opens under its Content-Security-Policy
// and talks to the engine over its WebSocket; without the token the page is refused, and no
// path reaches a file outside the built renderer.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser } from 'playwright-core';
import { serveProcess } from '../helpers/serve-process.ts';
import { launchChromium } from '../helpers/ui-browser.ts';

describe('roundtrip serve in Chromium (playwright-core, /usr/bin/chromium)', () => {
  const home = mkdtempSync(join(tmpdir(), 'rt-e2e-home-'));
  let server: ResultPromise;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    ({ url, proc: server } = await serveProcess(home));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    await server;
    rmSync(home, { recursive: true, force: true });
  });

  it('opens the bench UI with the token, under a strict Content-Security-Policy, and shows the engine\'s tickets', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const res = await page.goto(url);
    await expect.poll(() => page.title()).toBe('RoundTrip Bench');
    // The page talked to the engine over its WebSocket: connected, and the (empty) ticket list.
    await page.getByText('engine connected').waitFor({ timeout: 20_000 });
    await page.getByText('No tickets yet').waitFor({ timeout: 20_000 });
    const csp = res?.headers()['content-security-policy'] ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v] as const));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
    // The only origins named are this server's own WebSocket ones.
    const origins = csp.match(/[a-z]+:\/\/[^\s;]+/g) ?? [];
    expect(origins.every((o) => /^ws:\/\/(127\.0\.0\.1|localhost):\d+$/.test(o))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('imports tickets from their JSON files, finds them by search and filter, and shows a disaster-recovery ticket\'s fee waiver', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-e2e-import-'));
    const request = (n: string, partner: string, extra: Record<string, unknown> = {}) => ({
      ticketNumber: n,
      direction: 'forward',
      format: { filesystem: 'zfs', layout: 'datasets' },
      systems: [{ name: 'WIN-FS01', points: { kind: 'newer-than-lock' } }],
      source: { location: 'appliance' },
      shipping: { region: 'emea' },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      contact: { name: 'Imp Orter', email: 'imp@example.com' },
      partner: { name: partner },
      applianceSerial: `SN-${n}`,
      ...extra,
    });
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ kind: 'roundtrip-bench.ticket', version: 1, exportedAt: new Date().toISOString(), request: request('2850001', 'Alpha Imports') }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(request('2850002', 'Bravo Recovery', { disasterRecovery: true })));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(request('28', 'Broken', { contact: { name: 'X', email: 'not an address' } })));
    const page = await browser.newPage();
    try {
      const importFile = async (f: string) => {
        await page.goto(url);
        await page.getByText('engine connected').waitFor({ timeout: 20_000 });
        await page.getByLabel('Ticket JSON file to import').setInputFiles(join(dir, f));
      };
      await importFile('a.json');
      await page.getByRole('heading', { name: 'Checklist', exact: true }).waitFor({ timeout: 20_000 });
      expect(await page.locator('h1').innerText()).toContain('2850001');
      await importFile('b.json');
      await page.getByText('Disaster-recovery ticket: all fees are waived (R6)').waitFor({ timeout: 20_000 });
      // A bad file: the engine's sentences, each naming its field; nothing imported.
      await importFile('bad.json');
      await page.getByText('The ticket could not be imported').waitFor({ timeout: 20_000 });
      const problems = await page.getByRole('list', { name: 'Problems in the ticket' }).innerText();
      expect(problems).toMatch(/ticketNumber/);
      expect(problems).toMatch(/contact\.email/);

      await page.goto(url);
      const rows = page.getByRole('table', { name: 'Tickets' }).getByRole('row');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
      await page.getByLabel('Search').fill('bravo');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await page.getByRole('table', { name: 'Tickets' }).innerText()).toContain('2850002');
      await page.getByLabel('Search').fill('T2850001');
      await expect.poll(() => page.getByRole('table', { name: 'Tickets' }).innerText()).toContain('Alpha Imports');
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Show').selectOption('closed');
      await page.getByText('No ticket matches').waitFor();
    } finally {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the build folder\'s files only: no path leads outside it', async () => {
    const origin = url.replace(/\/\?token=.*/, '');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json', '/%2e%2e%2fpackage.json', '/assets/%00.js', '/etc/passwd']) {
      const r = await fetch(origin + path, { headers: { host: new URL(origin).host } });
      expect(r.status, path).toBe(404);
      expect(await r.text()).not.toMatch(/roundtrip-bench/);
    }
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
