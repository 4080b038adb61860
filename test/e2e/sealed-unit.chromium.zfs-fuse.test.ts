// A sealed unit (issue 21) through the bench UI in Chromium against serve on the shared lab: the
// Confirm step offers "Sealed (encrypted)" as recommended and the sync starts with it; the Run step
// shows the unit passphrase once, copies it to the clipboard and forgets it when the technician
// says it was passed on, and verifies the unit with it typed back (a wrong one refused next to its
// field); the Units screen lists the unit without its systems; the Merge screen
// refuses a wrong unit passphrase next to its field, then with the right one previews and merges
// the unit into an offsite copy, every point with its GUID. The passphrase is in no browser storage
// or address. Every new state passes axe and is kept as a screenshot, light and dark.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerSite } from '../../electron/appliance/default-sites.ts';
import { jobs } from '../../electron/engine/jobs/registry.ts';
import { listSnapshots } from '../../electron/system/zfs/index.ts';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { lookAt, openBench, pageText } from '../helpers/ui-page.ts';
import { startUiLab, type UiLab } from '../helpers/ui-lab.ts';
import { createTicket } from '../helpers/units.ts';
import { destPool, points, seed } from '../integration/merge/helpers.ts';

const TICKET = '1940001';
const SYSTEM = 'WIN-FS01';
const SHAPE = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/;
// The right shape, and one no unit key opens (O, I, L and U are not in the alphabet's output).
const WRONG = 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ';

describe('a sealed unit in the bench UI: the protection chosen, the passphrase shown once, the unit listed and merged with it (Chromium, serve, zfs-fuse lab)', () => {
  let ui: UiLab;
  let browser: Browser;
  let drive: string;
  let offsite: string;
  let passphrase = '';

  beforeAll(async () => {
    ui = await startUiLab('e2e-sealed', [TICKET]);
    browser = await launchChromium();
    createTicket(ui.lab, TICKET, { systems: [{ name: SYSTEM, points: { kind: 'newer-than-lock' } }] });
    [drive] = await ui.drives(1);
    // The offsite copy as the data center holds it: the last two offsite points, the lock among them.
    offsite = await destPool(ui.scratch, 'rtuisoff');
    const sys = ui.lab.systems.find((x) => x.name === SYSTEM)!;
    const off = (await listSnapshots(sys.offsiteDataset!)).map((x) => x.snap);
    await seed(sys.offsiteDataset!, off.slice(-2), `${offsite}/${SYSTEM}`);
    const appliance = await destPool(ui.scratch, 'rtuisapp');
    registerSite({ applianceSerial: 'SEALED-BENCH-1', appliance, offsite, owner: 'test:e2e-sealed-dest' });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.cleanup();
  }, 300_000);

  const opened = (page: Page, hash = '') => openBench(page, ui.server.url, hash);
  const stepLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Ticket steps' }).getByRole('link', { name: new RegExp(`^\\d?\\s*${name}`) });
  const panel = (page: Page) => page.getByRole('region', { name: 'Unit passphrase' });
  const syncJob = () => jobs.list().find((j) => j.kind === 'sync' && (j.params as { ticketId?: string }).ticketId === TICKET);
  let light: BrowserContext;
  let dark: BrowserContext;

  it('starts a sealed sync from the Confirm step and shows the unit passphrase once, until it is passed on', async () => {
    light = await benchContext(browser);
    await light.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ui.server.url).origin });
    const page = await light.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await opened(page, `#/ticket/${TICKET}/drives`);
    await page.getByRole('checkbox', { name: new RegExp(`Use .*${drive.replace('/', '\\/')},`) }).check({ timeout: 30_000 });
    await stepLink(page, 'Confirm').click();
    await page.getByText(/Blank: no partition/).waitFor({ timeout: 30_000 });
    const sealed = page.getByRole('radio', { name: /^Sealed \(encrypted\)/ });
    await sealed.waitFor({ timeout: 60_000 });
    expect(await sealed.isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: /^Unencrypted/ }).isChecked()).toBe(false);
    expect(await pageText(page)).toMatch(/recorded in the ticket/);
    await lookAt(page, 'sealed-confirm');
    dark = await benchContext(browser, 'dark', light);
    const dpage = await dark.newPage();
    await opened(dpage, `#/ticket/${TICKET}/confirm`);
    await dpage.getByRole('radio', { name: /^Sealed \(encrypted\)/ }).waitFor({ timeout: 60_000 });
    await dpage.getByText(/Blank: no partition/).waitFor({ timeout: 30_000 });
    await lookAt(dpage, 'sealed-confirm', 'dark');

    await page.getByLabel(/^Type the last four/).fill(TICKET.slice(-4));
    await page.getByRole('button', { name: /Erase 1 drive and start the sync/ }).click();
    await page.getByRole('heading', { name: 'Run', exact: true }).waitFor({ timeout: 20_000 });
    expect((syncJob()?.params as { protection?: string }).protection).toBe('sealed');

    // The passphrase: large, in its own panel, the engine's sentence beside it.
    await panel(page).waitFor({ timeout: 60_000 }).catch(async (e) => {
      throw new Error(`${String(e)}\n${await pageText(page)}\n${JSON.stringify(syncJob())}`);
    });
    passphrase = (await panel(page).locator('code').innerText()).trim();
    expect(passphrase).toMatch(SHAPE);
    expect(await panel(page).innerText()).toMatch(/Copy this passphrase into the support ticket now/);
    await lookAt(page, 'sealed-run-passphrase');
    await opened(dpage, `#/ticket/${TICKET}/run`);
    await panel(dpage).waitFor({ timeout: 30_000 });
    await lookAt(dpage, 'sealed-run-passphrase', 'dark');

    await panel(page).getByRole('button', { name: 'Copy' }).click();
    await panel(page).getByText(/Copied/).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(passphrase);
    await lookAt(page, 'sealed-run-copied');

    await panel(page).getByRole('button', { name: 'I have passed it on' }).click();
    await page.getByText('Unit passphrase passed on').waitFor({ timeout: 20_000 });
    expect(await panel(page).count()).toBe(0);
    expect(await pageText(page)).not.toContain(passphrase);
    await lookAt(page, 'sealed-run-passed-on');
    // Another window that showed it no longer does (it asks again), nor does a reload: the engine forgot it.
    await dpage.getByText('Unit passphrase passed on').waitFor({ timeout: 30_000 });
    expect(await pageText(dpage)).not.toContain(passphrase);
    await dpage.reload();
    await dpage.getByText('Unit passphrase passed on').waitFor({ timeout: 30_000 });
    expect(await pageText(dpage)).not.toContain(passphrase);
    await lookAt(dpage, 'sealed-run-passed-on', 'dark');

    await page.getByRole('button', { name: 'Verify the unit' }).waitFor({ timeout: 300_000 });
    const job = syncJob()!;
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect((job.result as { pipeline?: string }).pipeline).toBe('sealed');
    expect(await pageText(page)).not.toContain(passphrase);

    // Passed on, the passphrase is typed back from the support ticket to authenticate every file.
    const field = page.getByLabel('Unit passphrase (optional)');
    await field.fill(WRONG).catch(async (e) => {
      throw new Error(`${String(e)}\n${await pageText(page)}`);
    });
    await page.getByRole('button', { name: 'Verify the unit' }).click();
    await page.locator('.field .error').filter({ hasText: /passphrase/i }).waitFor({ timeout: 120_000 });
    await field.fill(passphrase);
    await page.getByRole('button', { name: 'Verify the unit' }).click();
    await page.getByText(/sealed file\(s\) opened with the unit passphrase: every record authenticated/).waitFor({ timeout: 300_000 });
    expect(page.url()).not.toContain(passphrase);
    await lookAt(page, 'sealed-run-verified');
    expect(errors).toEqual([]);
  }, 900_000);

  it('lists the sealed unit without its systems, and merges it with its unit passphrase after refusing a wrong one', async () => {
    expect(passphrase).toMatch(SHAPE);
    const page = await light.newPage();
    await opened(page, '#/units');
    const row = page.getByRole('table', { name: 'Attached units' }).getByRole('row', { name: new RegExp(TICKET) });
    await row.waitFor({ timeout: 60_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`Sealed (encrypted) on ${drive}`);
    expect(text).toContain('systems are listed once the unit passphrase is entered (Merge)');
    expect(text).not.toContain(SYSTEM);
    await lookAt(page, 'sealed-units-list');
    const dpage = await dark.newPage();
    await opened(dpage, '#/units');
    await dpage.getByRole('row', { name: new RegExp(TICKET) }).waitFor({ timeout: 60_000 });
    await lookAt(dpage, 'sealed-units-list', 'dark');

    await row.getByRole('link', { name: `Merge back… (ticket ${TICKET})` }).click();
    await page.getByRole('heading', { name: 'Merge back' }).waitFor();
    const field = page.getByLabel('Unit passphrase');
    await field.waitFor({ timeout: 30_000 });
    expect(await field.getAttribute('type')).toBe('password');
    await page.getByRole('radio', { name: new RegExp(`^${offsite}: the offsite copy`) }).check();
    await lookAt(page, 'sealed-merge-asks');

    // A wrong passphrase: the engine's sentence next to the field, nothing merged.
    const wrongOnce = async (p: Page) => {
      await p.getByLabel('Unit passphrase').fill(WRONG);
      await p.getByRole('button', { name: 'Open the unit' }).click();
      await p.getByText(/That passphrase does not unlock this unit.*\(code UNIT_PASSPHRASE_WRONG\)/).waitFor({ timeout: 60_000 });
    };
    await wrongOnce(page);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(jobs.list().filter((j) => j.kind === 'merge')).toEqual([]);
    await lookAt(page, 'sealed-merge-wrong');
    await opened(dpage, `#/merge${drive}`);
    await dpage.getByRole('radio', { name: new RegExp(`^${offsite}: the offsite copy`) }).check({ timeout: 30_000 });
    await wrongOnce(dpage);
    await lookAt(dpage, 'sealed-merge-wrong', 'dark');

    // The right one (typed as a technician might: lower case, spaces): the preview, then the merge.
    await field.fill(passphrase.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Open the unit' }).click();
    const previewRow = page.getByRole('table', { name: 'What the merge will do' }).getByRole('row', { name: new RegExp(`^${SYSTEM}`) });
    await previewRow.waitFor({ timeout: 120_000 });
    expect(await previewRow.innerText()).toMatch(/new points to receive/);
    await page.getByText(/Accepted: the unit is open/).waitFor();
    await lookAt(page, 'sealed-merge-preview');
    await page.getByRole('button', { name: /^Start the merge/ }).click();
    const result = page.getByRole('table', { name: 'Merge result per system' });
    await result.waitFor({ timeout: 300_000 });
    expect(await result.getByRole('row', { name: new RegExp(`^${SYSTEM}`) }).innerText()).toMatch(/merged/);
    expect(await pageText(page)).toContain(`Every system of ticket ${TICKET} is in ${offsite}`);
    await lookAt(page, 'sealed-merge-result');

    // Every point the sync sealed arrived with its source's GUID.
    const source = new Map(await points(`${ui.lab.appliancePool}/${SYSTEM}`));
    const merged = await points(`${offsite}/${SYSTEM}`);
    const lock = (await listSnapshots(ui.lab.systems.find((x) => x.name === SYSTEM)!.offsiteDataset!)).at(-1)!.snap;
    const newer = [...source.keys()].filter((p) => Number(p) > Number(lock));
    expect(newer.length).toBeGreaterThan(0);
    for (const p of newer) expect(new Map(merged).get(p), `${SYSTEM}@${p}`).toBe(source.get(p));

    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, url: location.href }));
    expect(stored).not.toContain(passphrase);
    expect(stored.toLowerCase()).not.toContain(passphrase.toLowerCase().replace(/-/g, ' '));

    // A new window: the merge's result is found again, and the passphrase is asked again.
    const rpage = await dark.newPage();
    await opened(rpage, `#/merge${drive}`);
    await rpage.getByRole('table', { name: 'Merge result per system' }).waitFor({ timeout: 30_000 });
    expect(await rpage.getByLabel('Unit passphrase').inputValue()).toBe('');
    await lookAt(rpage, 'sealed-merge-result', 'dark');
    await dark.close();
    await light.close();
  }, 900_000);
});
