// A sealed image unit in the bench UI, in Chromium against serve on the shared lab: a revRT image
// ticket synced sealed through the CLI, listed on the Units screen as sealed disk images without
// its systems and with "Unseal images"; the Merge screen offers no merge and points there. On the
// Unseal screen a wrong unit passphrase and a bad folder are refused next to their fields with
// nothing written; the right passphrase unseals both images into a folder the test made, each
// listed file on disk with the SHA-256 of the folder's ROUNDTRIP-MANIFEST.json; a folder where a
// foreign file has an image's name is refused at the folder field with that file untouched; run
// again into the first folder, both images are kept. The passphrase is in no browser storage, address or page afterwards. Every new state passes
// axe and is kept as a screenshot, light and dark.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Manifest } from '../../electron/jobs/manifest.ts';
import { jobs } from '../../electron/engine/jobs/registry.ts';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { lookAt, openBench, pageText } from '../helpers/ui-page.ts';
import { startUiLab, type UiLab } from '../helpers/ui-lab.ts';
import { cli } from '../helpers/units.ts';
import { fileTicket, sha256 } from '../integration/files/helpers.ts';
import { filesUnder } from '../integration/merge/helpers.ts';

const TICKET = '1950001';
const SYSTEMS = ['WIN-FS01', 'LNX-WEB01'];
const PASSPHRASE_RE = /Unit passphrase[^:]*: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})/;
// The right shape, and one no unit key opens (O, I, L and U are not in the alphabet's output).
const WRONG = 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ';

describe('a sealed image unit in the bench UI: listed, refused with a wrong passphrase or folder, unsealed into a folder (Chromium, serve, zfs-fuse lab)', () => {
  let ui: UiLab;
  let browser: Browser;
  let light: BrowserContext;
  let dark: BrowserContext;
  let drive: string;
  let passphrase = '';
  let to: string;

  beforeAll(async () => {
    ui = await startUiLab('e2e-unseal', [TICKET]);
    browser = await launchChromium();
    fileTicket(TICKET, { format: { filesystem: 'ntfs', layout: 'image', imageFormat: 'vhdx' }, systems: SYSTEMS.map((name) => ({ name, points: { kind: 'latest' } })) });
    [drive] = await ui.drives(1);
    const r = await cli(ui.home, ['sync', '--seal', '--ticket', TICKET, '--drive', drive, '--source', ui.lab.appliancePool, '--offsite', ui.lab.offsitePool, '--by', 'Sam', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    passphrase = PASSPHRASE_RE.exec(r.stderr)?.[1] ?? '';
    expect(passphrase, r.stderr).not.toBe('');
    to = join(ui.scratch.dir, 'unsealed');
    mkdirSync(to);
    light = await benchContext(browser);
    dark = await benchContext(browser, 'dark');
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.cleanup();
  }, 300_000);

  const opened = (page: Page, hash = '') => openBench(page, ui.server.url, hash);
  /** The error line under a field, found by its label. */
  const fieldError = (page: Page, label: string): Locator => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.error');
  const unsealJobs = () => jobs.list().filter((j) => j.kind === 'unseal');
  const start = async (page: Page, pass: string, folder: string) => {
    await page.getByLabel('Unit passphrase', { exact: true }).fill(pass);
    await page.getByLabel('Destination folder', { exact: true }).fill(folder);
    await page.getByRole('button', { name: 'Unseal the images' }).click();
  };

  it('lists the unit as sealed disk images with "Unseal images", and the Merge screen points there instead of merging', async () => {
    const page = await light.newPage();
    const dpage = await dark.newPage();
    await opened(page, '#/units');
    const row = page.getByRole('table', { name: 'Attached units' }).getByRole('row', { name: new RegExp(TICKET) });
    await row.waitFor({ timeout: 60_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`Sealed disk images (encrypted) on ${drive}`);
    expect(text).toContain("its systems' images are listed once the unit passphrase is entered (Unseal images)");
    for (const s of SYSTEMS) expect(text).not.toContain(s);
    expect(await row.getByRole('link', { name: /Merge back|Verify as a kept unit/ }).count()).toBe(0);
    await lookAt(page, 'unseal-units-list');
    await opened(dpage, '#/units');
    await dpage.getByRole('row', { name: new RegExp(TICKET) }).waitFor({ timeout: 60_000 });
    await lookAt(dpage, 'unseal-units-list', 'dark');

    // The Merge screen of this unit, as an old bookmark would open it: no merge, a link to Unseal.
    for (const [p, scheme] of [
      [page, 'light'],
      [dpage, 'dark'],
    ] as const) {
      await opened(p, `#/merge${drive}`);
      await p.getByText('This unit holds sealed disk images').waitFor({ timeout: 30_000 });
      expect(await p.getByRole('link', { name: 'Unseal images…' }).getAttribute('href')).toBe(`#/unseal${drive}`);
      expect(await p.getByLabel('Unit passphrase').count()).toBe(0);
      expect(await p.getByRole('radiogroup').count()).toBe(0);
      await lookAt(p, 'unseal-merge-points-there', scheme);
    }
    await opened(page, '#/units');
    await row.getByRole('link', { name: `Unseal images… (ticket ${TICKET})` }).click();
    await page.getByRole('heading', { name: 'Unseal images', level: 1 }).waitFor();
    expect(page.url()).toContain(`#/unseal${drive}`);
    await dpage.close();
    await page.close();
  }, 300_000);

  it('shows what the unit says without its key, and refuses a wrong passphrase and a bad folder next to their fields, writing nothing', async () => {
    const page = await light.newPage();
    const dpage = await dark.newPage();
    for (const p of [page, dpage]) await opened(p, `#/unseal${drive}`);
    for (const p of [page, dpage]) await p.getByText(`ticket ${TICKET}, 2 sealed files`).waitFor({ timeout: 30_000 });
    expect(await pageText(page)).toMatch(/disk images as VHDX/);
    for (const s of SYSTEMS) expect(await pageText(page)).not.toContain(s);
    expect(await page.getByLabel('Unit passphrase', { exact: true }).getAttribute('type')).toBe('password');
    await lookAt(page, 'unseal-asks');
    await lookAt(dpage, 'unseal-asks', 'dark');

    // A wrong passphrase: refused when the job opens the unit, its sentence at the passphrase field.
    for (const [p, scheme] of [
      [page, 'light'],
      [dpage, 'dark'],
    ] as const) {
      await start(p, WRONG, to);
      await fieldError(p, 'Unit passphrase').getByText(/does not unlock this unit.*\(code UNIT_PASSPHRASE_WRONG\)/).waitFor({ timeout: 60_000 });
      expect(await p.getByLabel('Unit passphrase', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      expect(await fieldError(p, 'Destination folder').count()).toBe(0);
      expect(await pageText(p)).toContain('Nothing was unsealed');
      await lookAt(p, 'unseal-wrong-passphrase', scheme);
    }
    expect(unsealJobs().map((j) => [j.state, j.error?.code])).toEqual([
      ['failed', 'UNIT_PASSPHRASE_WRONG'],
      ['failed', 'UNIT_PASSPHRASE_WRONG'],
    ]);
    expect(readdirSync(to)).toEqual([]);

    // The right passphrase and a folder that does not exist: refused by the job, at the folder field.
    const missing = join(ui.scratch.dir, 'not-made');
    await start(page, passphrase, missing);
    await fieldError(page, 'Destination folder').getByText(/The folder .*not-made does not exist.*\(code BAD_INPUT\)/).waitFor({ timeout: 60_000 });
    expect(await fieldError(page, 'Unit passphrase').count()).toBe(0);
    expect(existsSync(missing)).toBe(false);
    await lookAt(page, 'unseal-folder-missing');
    // A relative path: refused by the contract before any job starts, at the folder field too.
    const before = unsealJobs().length;
    await start(dpage, passphrase, 'unsealed');
    await fieldError(dpage, 'Destination folder').getByText(/The folder must be given as an absolute path.*\(code BAD_INPUT\)/).waitFor({ timeout: 30_000 });
    expect(unsealJobs()).toHaveLength(before);
    // The other window's refused job wrote nothing either: it is not shown here as a failure.
    expect(await pageText(dpage)).not.toContain('Unseal failed');
    await lookAt(dpage, 'unseal-folder-relative', 'dark');
    expect(readdirSync(to)).toEqual([]);
    await dpage.close();
    await page.close();
  }, 300_000);

  it('unseals both images into the folder with the right passphrase, each on disk with the SHA-256 of its manifest; refuses a foreign file in the way; run again, keeps them', async () => {
    const page = await light.newPage();
    await opened(page, `#/unseal${drive}`);
    // Typed as a technician might: lower case, spaces.
    await start(page, passphrase.toLowerCase().replace(/-/g, ' '), to);
    const table = page.getByRole('table', { name: 'Unsealed images' });
    await table.waitFor({ timeout: 600_000 }).catch(async (e) => {
      throw new Error(`${String(e)}\n${await pageText(page)}\n${JSON.stringify(unsealJobs().at(-1))}`);
    });
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);

    // Every image the folder's manifest names is listed, is on disk and has the manifest's SHA-256.
    const manifest: Manifest = JSON.parse(readFileSync(join(to, 'ROUNDTRIP-MANIFEST.json'), 'utf8'));
    expect(manifest.systems.map((s) => s.system).sort()).toEqual([...SYSTEMS].sort());
    const images = manifest.systems.flatMap((s) => s.points.flatMap((p) => p.images ?? []));
    expect(images).toHaveLength(2);
    const listed = new Map<string, string>();
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      await row.locator('summary').click();
      listed.set((await row.locator('th').innerText()).trim(), (await row.locator('details code').innerText()).trim());
      expect(await row.innerText()).toMatch(/unsealed/);
    }
    for (const img of images) {
      expect(listed.get(img.file), img.file).toBe(img.sha256);
      expect(existsSync(join(to, img.file)), img.file).toBe(true);
      expect(sha256(join(to, img.file)), img.file).toBe(img.sha256);
    }
    expect(await pageText(page)).toContain(`2 images of ticket ${TICKET} in ${to}`);
    expect(await pageText(page)).toContain(join(to, 'ROUNDTRIP-MANIFEST.json'));
    expect(await page.getByLabel('Unit passphrase', { exact: true }).inputValue()).toBe('');
    await lookAt(page, 'unseal-done');
    const dpage = await dark.newPage();
    await opened(dpage, `#/unseal${drive}`);
    await dpage.getByRole('table', { name: 'Unsealed images' }).waitFor({ timeout: 30_000 });
    await lookAt(dpage, 'unseal-done', 'dark');

    // A folder where a file of the partner's has the last image's name: refused at the folder
    // field, that file left as it was, the images before it written whole; the job shown.
    const clash = join(ui.scratch.dir, 'clash');
    const [first, last] = [...listed.keys()];
    mkdirSync(dirname(join(clash, last)), { recursive: true });
    writeFileSync(join(clash, last), 'the partner\'s own file\n');
    await start(page, passphrase, clash);
    await fieldError(page, 'Destination folder').getByText(/already exists and is not this unit's image.*\(code UNSEAL_TARGET_EXISTS\)/).waitFor({ timeout: 300_000 });
    expect(await pageText(page)).toContain('Not every image was unsealed');
    expect(await page.getByText('Unseal failed').count()).toBe(1);
    expect(readFileSync(join(clash, last), 'utf8')).toBe("the partner's own file\n");
    expect(sha256(join(clash, first))).toBe(listed.get(first));
    expect(filesUnder(clash).filter((f) => f.endsWith('.partial'))).toEqual([]);
    await lookAt(page, 'unseal-folder-clash');

    // Run again into the first folder: both images are already whole there and kept.
    const runs = unsealJobs().length;
    await start(page, passphrase, to);
    await expect.poll(() => unsealJobs().filter((j) => j.state === 'done').length, { timeout: 300_000 }).toBe(2);
    expect(unsealJobs()).toHaveLength(runs + 1);
    await expect.poll(async () => (await table.innerText()).match(/already there, kept/g)?.length ?? 0, { timeout: 30_000 }).toBe(2);
    await lookAt(page, 'unseal-kept');

    // The other window follows to the newest result; the passphrase is in no storage, address or page.
    await expect.poll(async () => (await dpage.getByRole('table', { name: 'Unsealed images' }).innerText()).match(/already there, kept/g)?.length ?? 0, { timeout: 30_000 }).toBe(2);
    await lookAt(dpage, 'unseal-kept', 'dark');
    for (const p of [page, dpage]) {
      const seen = await p.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, url: location.href, text: document.body.innerText }));
      expect(seen.toUpperCase().replace(/[\s-]/g, '')).not.toContain(passphrase.replace(/-/g, ''));
    }
    // Nor in what the page is sent about the jobs (their parameters and logs).
    expect(JSON.stringify(unsealJobs()).toUpperCase().replace(/[\s-]/g, '')).not.toContain(passphrase.replace(/-/g, ''));
    await dpage.close();
    await page.close();
  }, 900_000);
});
