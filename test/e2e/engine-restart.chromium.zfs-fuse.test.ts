// The engine dies in the middle of a sync started from the bench UI (kill -9 of `roundtrip
// serve`): the page says the engine is unreachable; a new engine shows the same job as
// interrupted with its resume, and the resume, pressed in the page, finishes the unit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ResultPromise } from 'execa';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { chooseUnencrypted } from '../helpers/ui-protection.ts';
import { lookAt } from '../helpers/ui-page.ts';
import { serveProcess, startUiLab, type UiLab } from '../helpers/ui-lab.ts';
import { createTicket } from '../helpers/units.ts';

const TICKET = '1830001';

describe('the bench UI across an engine restart (Chromium, serve as a process, zfs-fuse lab)', () => {
  let ui: UiLab;
  let browser: Browser;
  const procs: ResultPromise[] = [];

  beforeAll(async () => {
    ui = await startUiLab('e2e-restart', [TICKET], { serve: false });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    for (const p of procs) {
      p.kill('SIGTERM');
      await p;
    }
    await browser?.close();
    await ui?.cleanup();
  }, 300_000);

  it('shows the interrupted sync after a kill -9 of its engine and resumes it to the end', async () => {
    createTicket(ui.lab, TICKET, {
      systems: ui.lab.systems.map((x) => ({ name: x.name, points: x.offsiteDataset ? { kind: 'newer-than-lock' } : { kind: 'range', from: '2000-01-01', to: '2100-01-01' } })),
    });
    const [drive] = await ui.drives(1);
    const first = await serveProcess(ui.home);
    procs.push(first.proc);
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${first.url}#/ticket/${TICKET}/drives`);
    await page.getByRole('checkbox', { name: new RegExp(`Use .*${drive.replace('/', '\\/')},`) }).check({ timeout: 30_000 });
    await page.getByRole('navigation', { name: 'Ticket steps' }).getByRole('link', { name: /Confirm/ }).click();
    await page.getByText(/Blank: no partition/).waitFor({ timeout: 30_000 });
    await chooseUnencrypted(page);
    await page.getByLabel(/^Type the last four/).fill(TICKET.slice(-4));
    await page.getByRole('button', { name: /Erase 1 drive and start the sync/ }).click();
    const bar = page.getByRole('progressbar', { name: 'Sync progress' });
    await expect.poll(async () => (await bar.getAttribute('aria-valuetext')) ?? '', { timeout: 120_000 }).toMatch(/step send/);

    first.proc.kill('SIGKILL');
    await first.proc;
    await page.getByText(/engine unreachable/).waitFor({ timeout: 20_000 });
    await lookAt(page, 'run-engine-gone');

    // A new engine (a new address and token): the same job, interrupted, with its resume.
    const second = await serveProcess(ui.home);
    procs.push(second.proc);
    await page.goto(`${second.url}#/ticket/${TICKET}/run`);
    await page.getByText(/interrupted: the engine stopped while it ran/).waitFor({ timeout: 30_000 });
    await page.getByText('The engine stopped while this sync ran').waitFor();
    await lookAt(page, 'run-interrupted');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Verify the unit' }).waitFor({ timeout: 300_000 });
    await page.getByRole('button', { name: 'Verify the unit' }).click();
    await page.getByText('The unit is verified').waitFor({ timeout: 300_000 });
    await ctx.close();
  }, 900_000);
});
