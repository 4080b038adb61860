// The bench UI's other paths in Chromium: a Reverse RoundTrip from the offsite copy onto an NTFS
// unit, with its drive plugged in while the Drives step is open (the list follows hot-plug); a
// reload in the middle of a sync that finds the same job running, then a cancel confirmed in its
// dialog; and hostile ticket text shown as text, never run.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { benchContext, launchChromium, screenshot } from '../helpers/ui-browser.ts';
import { chooseUnencrypted } from '../helpers/ui-protection.ts';
import { lookAt, openBench, pageText } from '../helpers/ui-page.ts';
import { startUiLab, type UiLab } from '../helpers/ui-lab.ts';
import { createTicket } from '../helpers/units.ts';

const REVERSE = '1820001';
const RELOAD = '1820002';
const HOSTILE = '1820003';

describe('the bench UI: a revRT onto NTFS, a reload mid-run and a cancel, hostile text (Chromium, serve, zfs-fuse lab)', () => {
  let ui: UiLab;
  let browser: Browser;

  beforeAll(async () => {
    ui = await startUiLab('e2e-reverse', [REVERSE, RELOAD, HOSTILE]);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.cleanup();
  }, 300_000);

  const stepLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Ticket steps' }).getByRole('link', { name: new RegExp(`^\\d?\\s*${name}`) });
  const opened = (page: Page, hash = '') => openBench(page, ui.server.url, hash);

  it('writes a Reverse RoundTrip from the offsite copy onto an NTFS unit, its drive plugged in while the list is open', async () => {
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, '#/new');
    await page.getByLabel('Technician').fill('Rae Reverse');
    await page.getByLabel('Support ticket number').fill(REVERSE);
    await page.getByLabel('Direction').selectOption('reverse');
    await page.getByLabel('Appliance serial (PO number)').fill(ui.lab.applianceSerial);
    await page.getByLabel('What goes on the unit').selectOption('browsable');
    await page.getByLabel('Filesystem').selectOption('ntfs');
    await page.getByLabel('System 1 name').fill('WIN-FS01');
    await page.getByLabel('System 1 points').selectOption('latest');
    expect(await page.getByLabel('Points come from').inputValue()).toBe('offsite');
    await page.getByLabel('Recipient').fill('Sam Partner');
    await page.getByLabel('Street (one line each, up to 3)').fill('1 Partner Way');
    await page.getByLabel('City').fill('Springfield');
    await page.getByLabel('Postal code').fill('19000');
    await page.getByLabel('Country').fill('United States');
    await page.getByLabel('Partner name').fill('Reverse Partner Ltd.');
    await page.getByLabel('Technical contact').fill('Sam Partner');
    await page.getByLabel('Contact e-mail').fill('sam@example.com');
    await page.getByRole('button', { name: 'Create the ticket' }).click();
    await page.getByRole('heading', { name: 'Checklist', exact: true }).waitFor({ timeout: 20_000 });
    for (const s of ['consultation done', 'technical and logistics details verified']) await page.getByRole('button', { name: `Mark “${s}”` }).click();
    await expect.poll(() => page.getByRole('row', { name: /details verified/ }).innerText(), { timeout: 20_000 }).toContain('Rae Reverse');
    await stepLink(page, 'Plan').click();
    await page.getByRole('button', { name: 'Confirm the estimate' }).click();
    await page.getByText('The cost estimate is confirmed').waitFor({ timeout: 60_000 });
    expect(await pageText(page)).toContain('NTFS browsable folders');

    // The drive arrives while the technician looks at the list.
    await stepLink(page, 'Drives').click();
    await page.getByRole('table', { name: 'Attached drives' }).waitFor({ timeout: 30_000 });
    const [drive] = await ui.drives(1);
    const use = page.getByRole('checkbox', { name: new RegExp(`Use .*${drive.replace('/', '\\/')},`) });
    await use.waitFor({ timeout: 30_000 });
    await use.check();
    await page.getByText(/One drive: \d+ GB/).waitFor();

    await stepLink(page, 'Confirm').click();
    await page.getByText(/Blank: no partition/).waitFor({ timeout: 30_000 });
    await chooseUnencrypted(page);
    await page.getByLabel(/^Type the last four/).fill(REVERSE.slice(-4));
    await page.getByRole('button', { name: /Erase 1 drive and start the sync/ }).click();
    await page.getByRole('button', { name: 'Verify the unit' }).waitFor({ timeout: 300_000 });
    await page.getByRole('button', { name: 'Verify the unit' }).click();
    await page.getByText('The unit is verified').waitFor({ timeout: 300_000 });
    await page.getByRole('button', { name: /Record “synced” and “verified”/ }).click();
    await page.getByText(/Recorded on the ticket: synced by Rae Reverse/).waitFor({ timeout: 20_000 });
    await lookAt(page, 'revrt-run-verified');
    const dark = await benchContext(browser, 'dark', ctx);
    const dpage = await dark.newPage();
    await opened(dpage, `#/ticket/${REVERSE}/run`);
    await dpage.getByText('The unit is verified').waitFor({ timeout: 30_000 });
    await lookAt(dpage, 'revrt-run-verified', 'dark');
    await dark.close();
    await ctx.close();
  }, 900_000);

  it('finds the running sync again after a reload, and cancels it after asking', async () => {
    // Every point of every system: a sync long enough to reload in the middle of.
    createTicket(ui.lab, RELOAD, {
      systems: ui.lab.systems.map((x) => ({ name: x.name, points: x.offsiteDataset ? { kind: 'newer-than-lock' } : { kind: 'range', from: '2000-01-01', to: '2100-01-01' } })),
    });
    const [drive] = await ui.drives(1);
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, `#/ticket/${RELOAD}/drives`);
    await page.getByRole('checkbox', { name: new RegExp(`Use .*${drive.replace('/', '\\/')},`) }).check();
    await stepLink(page, 'Confirm').click();
    await page.getByText(/Blank: no partition/).waitFor({ timeout: 30_000 });
    await chooseUnencrypted(page);
    await page.getByLabel(/^Type the last four/).fill(RELOAD.slice(-4));
    await page.getByRole('button', { name: /Erase 1 drive and start the sync/ }).click();
    const bar = page.getByRole('progressbar', { name: 'Sync progress' });
    await expect.poll(async () => (await bar.getAttribute('aria-valuetext')) ?? '', { timeout: 120_000 }).toMatch(/step send/);
    const started = await page.getByText(/^Sync of ticket .* started/).innerText();

    await page.reload();
    await page.getByRole('heading', { name: 'Run', exact: true }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByText(/^Sync of ticket .* started/).innerText(), { timeout: 20_000 }).toBe(started);
    expect(await page.getByText(/^\W?running$/).count()).toBe(1);
    // Screenshots only while it runs (axe takes seconds, the sync may not): the same screen is
    // checked by axe once the job has ended.
    await screenshot(page, 'run-live', 'light');
    await page.getByRole('button', { name: 'Cancel…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await screenshot(page, 'run-cancel-dialog', 'light');
    await dialog.getByRole('button', { name: 'Cancel it' }).click();
    await page.getByText(/^\W?cancelled$/).waitFor({ timeout: 180_000 });
    expect(await pageText(page)).toMatch(/Sync was cancelled/);
    await lookAt(page, 'run-cancelled');
    await ctx.close();
  }, 600_000);

  it('shows hostile ticket text as text and refuses a 100 kB field with the engine\'s sentence', async () => {
    const script = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    createTicket(ui.lab, HOSTILE, {
      partner: { name: script.slice(0, 120), resellerId: 'R-<b>1</b>' },
      instructions: `\u202Eevil right-to-left ${'مرحبا שלום '.repeat(20)} 🚚📦🔥 ${script}`,
    });
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await opened(page);
    await page.getByRole('link', { name: HOSTILE }).waitFor({ timeout: 20_000 });
    expect(await pageText(page)).toContain('<script>window.__pwned = 1</script>');
    await page.getByRole('link', { name: HOSTILE }).click();
    await page.getByRole('heading', { name: 'Checklist', exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Specific instructions (optional)').inputValue()).toContain('🚚📦🔥');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img').count()).toBe(0);
    await lookAt(page, 'hostile-ticket');

    await page.getByLabel('Specific instructions (optional)').fill('x'.repeat(100_000));
    await page.getByRole('button', { name: 'Save the request' }).click();
    await page.getByText('The specific instructions must be at most 4000 characters.').first().waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Specific instructions (optional)').getAttribute('aria-invalid')).toBe('true');
    expect(dialogs).toEqual([]);
    await ctx.close();
  }, 300_000);
});
