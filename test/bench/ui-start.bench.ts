// ui_cold_start_ms for `npm run bench`: from `roundtrip serve` started (a new process, as a
// technician starts it) to the ticket list interactive in Chromium: the address printed, the page
// loaded, the engine connected over the WebSocket and its tickets listed (a bench with 50 open
// tickets). The browser is started before the clock, as it is on a bench; each run gets a new
// engine process and a new browser profile. Median of 5 runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './figure.ts';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { serveProcess } from '../helpers/serve-process.ts';

const RUNS = 5;
const TICKETS = 50;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function seed(home: string): Promise<void> {
  const { TicketStore } = await import('../../electron/tickets/store.ts');
  const prev = process.env.ROUNDTRIP_HOME;
  process.env.ROUNDTRIP_HOME = home;
  try {
    const store = new TicketStore();
    for (let i = 0; i < TICKETS; i++) {
      store.create(
        {
          ticketNumber: String(5_000_000 + i),
          direction: i % 2 ? 'reverse' : 'forward',
          format: { filesystem: i % 2 ? 'ntfs' : 'zfs', layout: i % 2 ? 'browsable' : 'datasets' },
          systems: [{ name: `SYS-${i}`, points: { kind: 'latest' } }],
          source: { location: i % 2 ? 'offsite' : 'appliance' },
          shipping: { region: 'usa', ...(i % 2 ? { address: { recipient: 'R', street: ['1 St'], city: 'C', postalCode: '1', country: 'US' } } : {}) },
          unit: { providedBy: 'datacenter', kind: 'usb-drive' },
          contact: { name: 'Bench', email: 'bench@example.com' },
          partner: { name: `Partner ${i}` },
          applianceSerial: `SN-${i}`,
          notifyEmails: '',
        },
        'bench',
      );
    }
  } finally {
    if (prev === undefined) delete process.env.ROUNDTRIP_HOME;
    else process.env.ROUNDTRIP_HOME = prev;
  }
}

export async function figures(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'rt-bench-ui-'));
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    await seed(home);
    for (let i = 0; i < RUNS; i++) {
      const ctx = await benchContext(browser);
      const page = await ctx.newPage();
      const t0 = performance.now();
      const { url, proc: server } = await serveProcess(home);
      try {
        await page.goto(url);
        // Interactive: the list is there and its first ticket's link can take the focus.
        const last = page.getByRole('link', { name: String(5_000_000 + TICKETS - 2) });
        await last.waitFor({ timeout: 30_000 });
        await last.focus();
        times.push(performance.now() - t0);
      } finally {
        server.kill('SIGTERM');
        await server;
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
    rmSync(home, { recursive: true, force: true });
  }
  return [{ name: 'ui_cold_start_ms', value: Math.round(median(times)), unit: 'ms' }];
}
