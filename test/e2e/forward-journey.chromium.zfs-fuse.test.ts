// A whole forward RoundTrip in Chromium, driven with the keyboard alone: a new ticket typed into
// the intake form, the checklist, the plan confirmed, a drive chosen, the range picked with the
// arrow keys, the unit's protection chosen (unencrypted), the erase confirmed by typing, the sync
// followed live, the unit verified, packed, the label downloaded and read back (its text with
// pdftotext, its barcodes with zbarimg: readers the app does not use) and the ticket shipped. Every
// screen passes axe and is kept as a screenshot, light and dark.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { lookAt, pageText, tabTo } from '../helpers/ui-page.ts';
import { startUiLab, type UiLab } from '../helpers/ui-lab.ts';

const TICKET = '1810001';
const SYSTEM = 'WIN-FS01';

describe('a forward RoundTrip in the bench UI, keyboard only (Chromium, serve, zfs-fuse lab)', () => {
  let ui: UiLab;
  let browser: Browser;
  const out = mkdtempSync(join(tmpdir(), 'rt-e2e-label-'));

  beforeAll(async () => {
    ui = await startUiLab('e2e-forward', [TICKET]);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.cleanup();
    rmSync(out, { recursive: true, force: true });
  }, 300_000);

  const key = async (page: Page, k: string) => page.keyboard.press(k);
  const stepLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Ticket steps' }).getByRole('link', { name: new RegExp(`^\\d?\\s*${name}`) });

  it('goes from a new ticket to a verified, labelled, shipped unit', async () => {
    const [drive] = await ui.drives(1);
    const ctx = await benchContext(browser, 'light');
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/favicon/.test(m.text()) && errors.push(m.text()));
    await page.goto(ui.server.url);
    await expect.poll(() => page.getByText('engine connected').count(), { timeout: 20_000 }).toBe(1);
    await lookAt(page, '01-ticket-list');

    // Who is at the bench: every step they record carries this name.
    await tabTo(page, page.getByLabel('Technician'));
    await page.keyboard.type('Kim Keyboard');

    // New ticket, typed field by field.
    await tabTo(page, page.getByRole('link', { name: '+ New ticket' }));
    await key(page, 'Enter');
    await page.getByRole('heading', { name: 'New ticket', exact: true }).waitFor();
    await lookAt(page, '02-new-ticket');
    // First without the required fields: the engine's sentences appear next to each.
    await tabTo(page, page.getByRole('button', { name: 'Create the ticket' }));
    await key(page, 'Enter');
    await page.getByText(/The engine found \d+ problems? in this ticket/).waitFor();
    expect(await page.getByLabel('Support ticket number').getAttribute('aria-invalid')).toBe('true');
    await lookAt(page, '03-new-ticket-errors');
    const fill = async (label: string | RegExp, text: string) => {
      await tabTo(page, page.getByLabel(label, { exact: typeof label === 'string' }));
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
    };
    await fill('Support ticket number', `T${TICKET}`);
    await fill('Appliance serial (PO number)', ui.lab.applianceSerial);
    await fill('System 1 name', SYSTEM);
    await fill('Partner name', 'Keyboard Partner Inc.');
    await fill('Technical contact', 'Pat Contact');
    await fill('Contact e-mail', 'pat@example.com');
    await fill('Notification e-mails', 'pat@example.com,bench@example.com');
    await key(page, 'Enter'); // submits the form from its last field
    await page.getByRole('heading', { name: 'Checklist', exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.locator('h1').innerText()).toContain(TICKET);

    // The checklist: two steps recorded with who and when.
    for (const s of ['consultation done', 'technical and logistics details verified']) {
      await tabTo(page, page.getByRole('button', { name: `Mark “${s}”` }));
      await key(page, 'Enter');
      await expect.poll(() => page.getByRole('row', { name: new RegExp(s) }).innerText(), { timeout: 20_000 }).toContain('Kim Keyboard');
    }
    await lookAt(page, '04-checklist');

    // The plan: figures for the one system, confirmed.
    await tabTo(page, stepLink(page, 'Plan'));
    await key(page, 'Enter');
    await page.getByRole('heading', { name: 'Plan', exact: true }).waitFor();
    await page.getByRole('table', { name: 'Plan per system' }).getByText(SYSTEM).waitFor({ timeout: 60_000 });
    await lookAt(page, '05-plan');
    await tabTo(page, page.getByRole('button', { name: 'Confirm the estimate' }));
    await key(page, 'Enter');
    await page.getByText('The cost estimate is confirmed').waitFor({ timeout: 20_000 });

    // Drives: the test's blank drive is offered; the system disk is behind "show hidden drives".
    await tabTo(page, stepLink(page, 'Drives'));
    await key(page, 'Enter');
    const use = page.getByRole('checkbox', { name: new RegExp(`Use .*${drive.replace('/', '\\/')},`) });
    await use.waitFor({ timeout: 30_000 });
    await tabTo(page, use);
    await key(page, 'Space');
    await page.getByText(/One drive: \d+ GB/).waitFor();
    await lookAt(page, '06-drives');

    // Points: the newest point alone, then the whole syncable range with Shift+End.
    await tabTo(page, stepLink(page, 'Points'));
    await key(page, 'Enter');
    const list = page.getByRole('listbox', { name: new RegExp(SYSTEM) });
    await list.waitFor({ timeout: 30_000 });
    await tabTo(page, list);
    await key(page, 'Home');
    await key(page, 'Space');
    await expect.poll(() => page.getByText(/^1 point selected/).count(), { timeout: 30_000 }).toBe(1);
    await key(page, 'Shift+End');
    await expect.poll(async () => /^(\d+) points selected/.exec((await page.getByText(/points selected/).first().innerText()) ?? '')?.[1], { timeout: 30_000 }).not.toBe('1');
    await lookAt(page, '07-points');

    // Confirm: what is erased, what is written; the start needs the typed code.
    await tabTo(page, stepLink(page, 'Confirm'));
    await key(page, 'Enter');
    await page.getByText('What will be erased').waitFor();
    await page.getByText(/Blank: no partition/).waitFor({ timeout: 30_000 });
    const start = page.getByRole('button', { name: /Erase 1 drive and start the sync/ });
    expect(await start.isDisabled()).toBe(true);
    // R9: this bench has no pause command, and the screen says what that means.
    await page.getByText(/^No pause command is configured on this bench/).waitFor({ timeout: 60_000 });
    // Issue 21: sealed is preselected as recommended; this unit goes out unencrypted, chosen with the arrow key.
    const sealed = page.getByRole('radio', { name: /^Sealed \(encrypted\)/ });
    await sealed.waitFor({ timeout: 60_000 });
    expect(await sealed.isChecked()).toBe(true);
    await tabTo(page, sealed);
    await key(page, 'ArrowDown');
    await expect.poll(() => page.getByRole('radio', { name: /^Unencrypted/ }).isChecked()).toBe(true);
    await lookAt(page, '08-confirm');
    await tabTo(page, page.getByLabel(/^Type the last four/));
    await page.keyboard.type(TICKET.slice(-4));
    await tabTo(page, start);
    await key(page, 'Enter');

    // Run: the live job, then verification, then the ticket's record of both.
    await page.getByRole('heading', { name: 'Run', exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('progressbar', { name: 'Sync progress' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Verify the unit' }).waitFor({ timeout: 240_000 });
    expect(await pageText(page)).toMatch(new RegExp(`${SYSTEM}: last RoundTrip`));
    await lookAt(page, '09-run-done');
    await tabTo(page, page.getByRole('button', { name: 'Verify the unit' }));
    await key(page, 'Enter');
    await page.getByText('The unit is verified').waitFor({ timeout: 240_000 });
    await tabTo(page, page.getByRole('button', { name: /Record “synced” and “verified”/ }));
    await key(page, 'Enter');
    await page.getByText(/Recorded on the ticket: synced by Kim Keyboard/).waitFor({ timeout: 20_000 });
    await lookAt(page, '10-run-verified');

    // Pack and ship: the checklist, the label downloaded and read back, the tracking number.
    await tabTo(page, stepLink(page, 'Pack and ship'));
    await key(page, 'Enter');
    await page.getByRole('heading', { name: 'Pack and ship', exact: true }).waitFor();
    for (const box of await page.getByRole('checkbox').all()) {
      await tabTo(page, box);
      await key(page, 'Space');
    }
    await lookAt(page, '11-ship');
    await tabTo(page, page.getByRole('button', { name: 'Mark packed' }));
    await key(page, 'Enter');
    await page.getByText(/Packed by Kim Keyboard/).waitFor({ timeout: 20_000 });
    // Open: the browser's own viewer gets the PDF in a new tab.
    const popup = ctx.waitForEvent('page');
    await tabTo(page, page.getByRole('button', { name: 'Open the label' }));
    await key(page, 'Enter');
    const viewer = await popup;
    await expect.poll(() => viewer.url(), { timeout: 20_000 }).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
    await viewer.close();
    await page.bringToFront();
    const download = page.waitForEvent('download');
    await tabTo(page, page.getByRole('button', { name: 'Download the label (PDF)' }));
    await key(page, 'Enter');
    const file = join(out, (await download).suggestedFilename());
    await (await download).saveAs(file);
    const text = (await execa('pdftotext', ['-layout', file, '-'])).stdout;
    expect(text).toContain(TICKET);
    expect(text).toContain('Keyboard Partner Inc.');
    await execa('pdftoppm', ['-r', '200', '-png', file, join(out, 'label')]);
    const png = readdirSync(out).find((f) => f.startsWith('label') && f.endsWith('.png'))!;
    const codes = (await execa('zbarimg', ['--raw', '-q', join(out, png)], { reject: false })).stdout.split('\n');
    expect(codes).toContain(TICKET);
    expect(codes).toContain(ui.lab.applianceSerial);

    await tabTo(page, page.getByLabel('Outbound tracking number'));
    await page.keyboard.type('1Z999AA10123456784');
    await tabTo(page, page.getByRole('button', { name: 'Mark shipped' }));
    await key(page, 'Enter');
    await page.getByText(/Tracking number 1Z999AA10123456784/).waitFor({ timeout: 20_000 });
    await lookAt(page, '12-shipped');

    // The stepper says who did each step and when.
    const steps = await page.getByRole('navigation', { name: 'Ticket steps' }).innerText();
    expect(steps.match(/Kim Keyboard/g)?.length).toBe(7);
    expect(errors).toEqual([]);

    // The same screens in the dark theme, each checked by axe (contrast differs).
    const dark = await benchContext(browser, 'dark', ctx);
    const dpage = await dark.newPage();
    for (const [name, hash] of [
      ['01-ticket-list', '#/'],
      ['02-new-ticket', '#/new'],
      ['04-checklist', `#/ticket/${TICKET}/checklist`],
      ['05-plan', `#/ticket/${TICKET}/plan`],
      ['06-drives', `#/ticket/${TICKET}/drives`],
      ['07-points', `#/ticket/${TICKET}/points`],
      ['08-confirm', `#/ticket/${TICKET}/confirm`],
      ['10-run-verified', `#/ticket/${TICKET}/run`],
      ['12-shipped', `#/ticket/${TICKET}/ship`],
    ] as const) {
      await dpage.goto(ui.server.url + hash);
      await dpage.locator('main h1, main h2').first().waitFor({ timeout: 20_000 });
      await dpage.waitForTimeout(300);
      await lookAt(dpage, name, 'dark');
    }
    await dark.close();
    await ctx.close();
  }, 900_000);
});
