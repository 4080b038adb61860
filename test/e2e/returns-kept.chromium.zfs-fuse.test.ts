// The unit's way back in Chromium, against serve on the shared lab: two lent units moved through
// late and overdue by delivery dates set in the test (state words, days, fee, the partner's
// notices), one marked returned with its tracking number and one kept after the replacement fee
// is named; a ticket's timeline with who and when and an intact audit log; a kept unit (a reverse
// unit made in the test through the contract) verified with each check shown, its report opened
// as HTML and downloaded as PDF (read back by pdftotext); and an audit row edited in this test's
// own database, shown as the entry where the log was edited.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import WebSocket from 'ws';
import type { Browser, Page } from 'playwright-core';
import { EngineClient } from '../../renderer/api/client.ts';
import { webSocketTransport, type WebSocketLike } from '../../renderer/api/transport.ts';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { lookAt, openBench, pageText } from '../helpers/ui-page.ts';
import { startUiLab, type UiLab } from '../helpers/ui-lab.ts';
import { createTicket } from '../helpers/units.ts';
import { listSnapshots } from '../../electron/system/zfs/index.ts';

const KEPT_UNIT = '1920001';
const LATE = '1920002';
const OVERDUE = '1920003';
const KEPT_SYSTEM = 'WIN-FS01';
const DAY = 86_400_000;
const FEE = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'resources', 'fees.json'), 'utf8')).replacementFeesUsd['usb-drive'] as number;

describe('the bench UI: return clock, timeline and audit verification, kept-unit verification (Chromium, serve, zfs-fuse lab)', () => {
  let ui: UiLab;
  let browser: Browser;
  let engine: EngineClient;

  beforeAll(async () => {
    ui = await startUiLab('e2e-returns', [KEPT_UNIT, LATE, OVERDUE]);
    browser = await launchChromium();
    const origin = `http://127.0.0.1:${ui.server.port}`;
    class BenchSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    }
    engine = new EngineClient(webSocketTransport(ui.server.url.replace('http://', 'ws://').replace('/?token=', '/api?token='), BenchSocket as unknown as new (url: string) => WebSocketLike), { backoffMs: 100 });
  }, 300_000);

  afterAll(async () => {
    engine?.close?.();
    await browser?.close();
    await ui?.cleanup();
  }, 300_000);

  const opened = (page: Page, hash = '') => openBench(page, ui.server.url, hash);

  const reverse = (systems: Array<{ name: string; points: unknown }>) => ({
    direction: 'reverse',
    source: { location: 'offsite' },
    systems,
    contact: { name: 'Pat Partner', email: 'pat@example.com' },
    shipping: { region: 'usa', address: { recipient: 'Pat Partner', street: ['1 Partner Way'], city: 'Springfield', postalCode: '19000', country: 'United States' } },
  });

  /** Every step up to "delivered", through the contract, dated so the unit was delivered `daysAgo` days ago. */
  const deliver = async (ticketId: string, daysAgo: number) => {
    const t0 = Date.now() - (daysAgo + 2) * DAY;
    const steps: Array<[string, Record<string, unknown>]> = [
      ['consultation', {}],
      ['details-verified', {}],
      ['estimate-confirmed', { bytes: 5e9 }],
      ['synced', { bytes: 5e9 }],
      ['verified', {}],
      ['packed', {}],
      ['shipped', { trackingNumber: `1ZOUT${ticketId}` }],
    ];
    for (const [i, [step, extra]] of steps.entries()) {
      await engine.call('tickets.advance', { ticketId, step, actor: 'Tess Returns', at: new Date(t0 + i * 60_000).toISOString(), ...extra } as never);
    }
    await engine.call('tickets.advance', { ticketId, step: 'delivered', actor: 'Carrier Desk', at: new Date(Date.now() - daysAgo * DAY).toISOString() });
  };

  it('shows lent units as late and overdue by the dates set in the test, with days and fees; one is returned, one kept for the named fee', async () => {
    createTicket(ui.lab, LATE, reverse([{ name: 'LNX-WEB01', points: { kind: 'latest' } }]));
    createTicket(ui.lab, OVERDUE, reverse([{ name: 'LNX-WEB01', points: { kind: 'latest' } }]));
    await deliver(LATE, 30);
    await deliver(OVERDUE, 60);

    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, '#/returns');
    await page.getByLabel('Technician').fill('Rae Returns');
    const late = page.getByRole('table', { name: /^Late \(over 28 days\)/ });
    const overdue = page.getByRole('table', { name: /^Overdue \(over 56 days\)/ });
    await late.waitFor({ timeout: 20_000 });
    const lateRow = (await late.getByRole('row', { name: new RegExp(LATE) }).innerText()).replace(/\s+/g, ' ');
    expect(lateRow).toContain('late (over 28 days)');
    expect(lateRow).toContain('16 days over the return date; overdue in 26 days');
    expect(lateRow).toContain(`no fee yet ($${FEE} if kept or past day 56)`);
    const overdueRow = (await overdue.getByRole('row', { name: new RegExp(OVERDUE) }).innerText()).replace(/\s+/g, ' ');
    expect(overdueRow).toContain('overdue (over 56 days): replacement fee due');
    expect(overdueRow).toContain('46 days over the return date');
    expect(overdueRow).toContain(`$${FEE} replacement fee due`);

    // The clock check records both states and queues one notice each to the partner.
    await page.getByRole('button', { name: 'Check the return clocks now' }).click();
    const checked = page.getByRole('status').filter({ hasText: 'Return clocks checked' });
    await checked.waitFor({ timeout: 20_000 });
    expect(await checked.innerText()).toContain(`T${LATE}: not delivered yet → late (over 28 days)`);
    expect(await checked.innerText()).toContain(`T${OVERDUE}: not delivered yet → overdue (over 56 days)`);

    await page.getByRole('button', { name: `Details of T${LATE}` }).click();
    const notices = page.getByRole('table', { name: 'Notifications to the partner' });
    await notices.waitFor({ timeout: 20_000 });
    expect(await notices.innerText()).toContain('late notice');
    expect(await notices.innerText()).toContain('pat@example.com');
    await lookAt(page, 'returns-late-detail');

    // A bad tracking number is refused next to its field; a good one closes the clock.
    await page.getByLabel('Return tracking number').fill('no');
    await page.getByRole('button', { name: 'Mark the unit returned' }).click();
    await expect.poll(() => page.getByLabel('Return tracking number').getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
    expect(await pageText(page)).toContain('8 to 34 letters or digits');
    await page.getByLabel('Return tracking number').fill('1ZBACK19200020');
    await page.getByRole('button', { name: 'Mark the unit returned' }).click();
    await page.getByText('The unit is back').waitFor({ timeout: 20_000 });
    expect(await pageText(page)).toContain('tracking 1ZBACK19200020');
    const back = page.getByRole('table', { name: /^Returned/ }).getByRole('row', { name: new RegExp(LATE) });
    await back.waitFor({ timeout: 20_000 });
    expect((await back.innerText()).replace(/\s+/g, ' ')).toContain('returned after 30 days out');
    expect((await back.innerText()).replace(/\s+/g, ' ')).toContain('no replacement fee: returned in time');

    await page.getByRole('button', { name: `Details of T${OVERDUE}` }).click();
    await expect.poll(async () => (await notices.innerText()).includes('overdue notice'), { timeout: 20_000 }).toBe(true);
    await page.getByRole('button', { name: 'The partner keeps the unit…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`The replacement fee of $${FEE} (usb-drive) becomes due`);
    await lookAt(page, 'returns-kept-confirm');
    await dialog.getByRole('button', { name: `Record kept for $${FEE}` }).click();
    await page.getByText('The partner keeps the unit', { exact: true }).waitFor({ timeout: 20_000 });
    const kept = page.getByRole('table', { name: /^Kept by the partner/ });
    await kept.waitFor({ timeout: 20_000 });
    expect((await kept.getByRole('row', { name: new RegExp(OVERDUE) }).innerText()).replace(/\s+/g, ' ')).toContain(`$${FEE} replacement fee due`);
    await lookAt(page, 'returns');
    const dark = await benchContext(browser, 'dark', ctx);
    const dpage = await dark.newPage();
    await opened(dpage, '#/returns');
    await dpage.getByRole('table', { name: /^Kept by the partner/ }).waitFor({ timeout: 20_000 });
    await lookAt(dpage, 'returns', 'dark');
    await dark.close();

    // The timeline: every step with who and when, and the audit log intact.
    await opened(page, `#/ticket/${LATE}/timeline`);
    const trail = page.getByRole('table', { name: 'Audit trail' });
    await trail.waitFor({ timeout: 20_000 });
    await page.getByText('The audit log is intact').waitFor({ timeout: 20_000 });
    const delivered = (await trail.getByRole('row', { name: /Marked delivered/ }).innerText()).replace(/\s+/g, ' ');
    expect(delivered).toContain('Carrier Desk');
    expect(delivered).toContain('intact');
    const shipped = (await trail.getByRole('row', { name: /Marked shipped/ }).innerText()).replace(/\s+/g, ' ');
    expect(shipped).toContain('Tess Returns');
    expect(shipped).toContain(`tracking 1ZOUT${LATE}`);
    expect(await trail.getByRole('row', { name: /Return clock changed/ }).innerText()).toContain('not delivered yet → late (over 28 days)');
    expect((await trail.getByRole('row', { name: /Marked returned/ }).innerText()).replace(/\s+/g, ' ')).toContain('tracking 1ZBACK19200020');
    // When the delivery happened as the test dated it, and when it was recorded.
    const monthDay = (d: Date) => new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
    expect(delivered).toContain(`${monthDay(new Date(Date.now() - 30 * DAY))},`);
    expect(delivered).toContain(`recorded ${monthDay(new Date())},`);
    expect((await trail.getByRole('row', { name: /Marked returned/ }).innerText()).replace(/\s+/g, ' ')).toContain('Rae Returns');
    await lookAt(page, 'ticket-timeline');
    const dark2 = await benchContext(browser, 'dark', ctx);
    const dpage2 = await dark2.newPage();
    await opened(dpage2, `#/ticket/${LATE}/timeline`);
    await dpage2.getByText('The audit log is intact').waitFor({ timeout: 20_000 });
    await lookAt(dpage2, 'ticket-timeline', 'dark');
    await dark2.close();
    await ctx.close();
  }, 300_000);

  it('verifies a kept reverse unit with each check and its evidence, opens the report as HTML and downloads it as PDF', async () => {
    // The appliance holds every offsite point, so the unit carries the last two with the lock
    // moved back to the third (R11), the way a technician would in the picker.
    const offsite = (await listSnapshots(`${ui.lab.offsitePool}/${KEPT_SYSTEM}`)).map((x) => x.snap);
    createTicket(ui.lab, KEPT_UNIT, reverse([{ name: KEPT_SYSTEM, points: { kind: 'range', from: offsite.at(-2)!, to: offsite.at(-1)! } }]));
    const [drive] = await ui.drives(1);
    const sync = await engine.call('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: KEPT_UNIT, drives: [drive], actor: 'Tess Returns', locks: { [KEPT_SYSTEM]: offsite.at(-3)! } } });
    const FINAL = ['done', 'failed', 'cancelled', 'interrupted'];
    await expect.poll(async () => (await engine.call('jobs.get', { jobId: sync.id })).state, { timeout: 600_000, interval: 1000 }).toSatisfy((st: string) => FINAL.includes(st));
    const synced = await engine.call('jobs.get', { jobId: sync.id });
    expect(synced.state, JSON.stringify(synced.error)).toBe('done');

    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, '#/verify-kept');
    await page.getByLabel('Device of the unit').fill(drive);
    await page.getByRole('button', { name: 'Use this device' }).click();
    // What the engine tells every client while the job runs: each check as it ends.
    const told: string[] = [];
    const off = engine.on('job.state', (d) => {
      if (d.job.kind === 'verify-kept') told.push(`${d.job.state}: ${(d.job.keptChecks ?? []).map((c) => `${c.id} ${c.status}`).join(', ')}`);
    });
    await page.getByRole('button', { name: /^Verify the kept unit on/ }).click();
    const checks = page.getByRole('list', { name: 'Checks' });
    // The first check is shown with its result while later ones still wait or run.
    await checks.getByRole('listitem', { name: 'Contents against the manifest: passed' }).waitFor({ timeout: 300_000 });
    await page.getByText('Every check passed').waitFor({ timeout: 600_000 });
    for (const [title, word] of [
      ['Contents against the manifest', 'passed'],
      ['File restore', 'passed'],
      ['Image export (VHD and VMDK)', 'passed'],
      ['Pool health', 'passed'],
      ['Drive health (SMART)', 'not available'],
    ]) {
      await checks.getByRole('listitem', { name: `${title}: ${word}` }).waitFor();
    }
    off();
    for (const so_far of [
      'contents passed',
      'contents passed, file-restore passed',
      'contents passed, file-restore passed, image-export passed',
      'contents passed, file-restore passed, image-export passed, pool-health passed',
    ]) {
      expect(told, told.join('\n')).toContain(`running: ${so_far}`);
    }
    const exportEvidence = await page.getByRole('list', { name: 'Evidence of image export (vhd and vmdk)' }).innerText();
    expect(exportEvidence).toMatch(/vhd/i);
    expect(exportEvidence).toMatch(/vmdk/i);
    expect(await page.getByRole('list', { name: 'Evidence of contents against the manifest' }).count()).toBe(1);
    await lookAt(page, 'verify-kept');

    const [tab] = await Promise.all([ctx.waitForEvent('page'), page.getByRole('button', { name: 'Open the report (HTML)' }).click()]);
    await tab.waitForLoadState();
    await expect.poll(() => tab.url(), { timeout: 20_000 }).toMatch(/^blob:/);
    await expect.poll(async () => (await tab.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' '), { timeout: 20_000 }).toContain('Kept unit verification report');
    const html = (await tab.locator('body').innerText()).replace(/\s+/g, ' ');
    expect(html).toContain('Every check passed.');
    expect(html).toContain(`Ticket ${KEPT_UNIT}`);
    // Styled as the downloaded file is: the page's policy lets the report's own sheet apply.
    const verdict = tab.getByText('Every check passed.');
    expect(await verdict.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    expect(await verdict.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(27, 122, 52)');
    await tab.close();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the report (PDF)' }).click()]);
    const pdf = join(ui.scratch.dir, 'kept-report.pdf');
    await download.saveAs(pdf);
    const text = (await execa('pdftotext', ['-layout', pdf, '-'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain(KEPT_UNIT);
    expect(text).toMatch(/passed/i);
    expect(text).toMatch(/VMDK/);

    const dark = await benchContext(browser, 'dark', ctx);
    const dpage = await dark.newPage();
    await opened(dpage, `#/verify-kept${drive}`);
    await dpage.getByText('Every check passed').waitFor({ timeout: 30_000 });
    await lookAt(dpage, 'verify-kept', 'dark');
    await dark.close();
    await ctx.close();
  }, 1_200_000);

  it('shows where the audit log was edited when a row in its database is changed', async () => {
    const entries = (await engine.call('audit.list', { ticketId: LATE })) as Array<{ seq: number; action: string; details?: { step?: string } }>;
    const target = entries.find((e) => e.action === 'ticket.advance' && e.details?.step === 'shipped')!;
    const db = new Database(join(ui.home, 'tickets.db'));
    try {
      db.prepare("UPDATE audit SET actor = 'Mallory' WHERE seq = ?").run(target.seq);
    } finally {
      db.close();
    }
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, `#/ticket/${LATE}/timeline`);
    const alert = page.getByRole('alert').filter({ hasText: 'The audit log was edited' });
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toContain(`edited at entry ${target.seq}`);
    expect(await alert.innerText()).toContain('marked in this ticket’s timeline');
    const row = (await page.getByRole('table', { name: 'Audit trail' }).getByRole('row', { name: /Marked shipped/ }).innerText()).replace(/\s+/g, ' ');
    expect(row).toContain('Mallory');
    expect(row).toContain('edited here');
    await lookAt(page, 'ticket-timeline-edited');
    const dark = await benchContext(browser, 'dark', ctx);
    const dpage = await dark.newPage();
    await opened(dpage, `#/ticket/${LATE}/timeline`);
    await dpage.getByRole('alert').filter({ hasText: 'The audit log was edited' }).waitFor({ timeout: 20_000 });
    await lookAt(dpage, 'ticket-timeline-edited', 'dark');
    await dark.close();
    await ctx.close();
  }, 120_000);
});
