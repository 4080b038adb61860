// Merge-back in the bench UI (R18) in Chromium against serve on the shared lab: a ZFS unit made in
// the test (a forward sync through the CLI) found on the Units screen, merged into an offsite copy
// of the test's own after one wrong and one right passphrase for its encrypted agent (the wrong one
// refused before anything ran); an appliance with a newer point, refused with the point named and
// merged only after the rollback was chosen and confirmed. Then neither passphrase is anywhere: the
// browser's storage, the page, the engine's logs, journals and database, or any file under the
// test's home, its scratch (unit drive, destination pools) and the lab directory.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { registerSite } from '../../electron/appliance/default-sites.ts';
import { jobs } from '../../electron/engine/jobs/registry.ts';
import { labAgentPassphrase } from '../../electron/lab/passphrase.ts';
import { getUserProps, listSnapshots, snapshot } from '../../electron/system/zfs/index.ts';
import { benchContext, launchChromium, screenshot } from '../helpers/ui-browser.ts';
import { lookAt, openBench, pageText } from '../helpers/ui-page.ts';
import { startUiLab, type UiLab } from '../helpers/ui-lab.ts';
import { cli, createTicket, fingerprint, labFingerprint } from '../helpers/units.ts';
import { destPool, fileContains, filesUnder, points, seed } from '../integration/merge/helpers.ts';

const TICKET = '1910001';
const SYSTEMS = ['LNX-WEB01', 'ENC-SQL01'];

describe('merge-back in the bench UI: units, destinations, passphrases, refused newer points and a confirmed rollback (Chromium, serve, zfs-fuse lab)', () => {
  let ui: UiLab;
  let browser: Browser;
  let drive: string;
  let manifest: { systems: Array<{ system: string; points: Array<{ name: string; guid: string }> }> };
  let offsite: string;
  let appliance: string;
  let labBefore: unknown;
  const wrong = `wrong-${randomBytes(6).toString('hex')}`;
  let right: string;

  beforeAll(async () => {
    ui = await startUiLab('e2e-merge', [TICKET]);
    browser = await launchChromium();
    right = labAgentPassphrase(ui.lab.id);
    labBefore = await labFingerprint(ui.lab);
    createTicket(ui.lab, TICKET, { systems: SYSTEMS.map((name) => ({ name, points: { kind: 'newer-than-lock' } })) });
    [drive] = await ui.drives(1);
    const r = await cli(ui.home, ['sync', '--unencrypted', '--ticket', TICKET, '--drive', drive, '--source', ui.lab.appliancePool, '--offsite', ui.lab.offsitePool, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    manifest = JSON.parse(r.stdout).manifest;

    // The offsite copy as the data center holds it: the last two offsite points of each system.
    offsite = await destPool(ui.scratch, 'rtuimoff');
    for (const name of SYSTEMS) {
      const sys = ui.lab.systems.find((x) => x.name === name)!;
      const off = (await listSnapshots(sys.offsiteDataset!)).map((x) => x.snap);
      await seed(sys.offsiteDataset!, off.slice(-2), `${offsite}/${name}`);
    }
    // An appliance whose LNX-WEB01 has the unit's first point and then a backup of its own, newer.
    appliance = await destPool(ui.scratch, 'rtuimapp');
    const lnx = manifest.systems.find((x) => x.system === 'LNX-WEB01')!;
    await seed(`${ui.lab.appliancePool}/LNX-WEB01`, [lnx.points[0].name], `${appliance}/LNX-WEB01`);
    const newest = Number(lnx.points.at(-1)!.name);
    await snapshot(`${appliance}/LNX-WEB01`, String(Number.isFinite(newest) ? newest + 3600 : 4_000_000_000));
    registerSite({ applianceSerial: 'MERGE-BENCH-1', appliance, offsite, owner: 'test:e2e-merge-dest' });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.cleanup();
  }, 300_000);

  const opened = (page: Page, hash = '') => openBench(page, ui.server.url, hash);
  const mergeJobs = () => jobs.list().filter((j) => j.kind === 'merge');
  const preview = (page: Page) => page.getByRole('table', { name: 'What the merge will do' });
  const previewRow = (page: Page, system: string) => preview(page).getByRole('row', { name: new RegExp(`^${system}`) });

  it('lists the unit with its ticket, systems, points and encrypted agent, and merges it into the offsite copy after a wrong and a right passphrase', async () => {
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, '#/units');
    const row = page.getByRole('table', { name: 'Attached units' }).getByRole('row', { name: new RegExp(TICKET) });
    await row.waitFor({ timeout: 60_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(drive);
    for (const s of manifest.systems) expect(text).toContain(`${s.system} (agent, ${s.points.length} point${s.points.length === 1 ? '' : 's'})`);
    expect(text).toMatch(/encrypted: needs its passphrase/);
    expect(text).toMatch(/sealed manifest/);
    await lookAt(page, 'units-list');
    // The list follows hot-plug: a drive plugged in while it is open is noticed (a blank one is no unit).
    const [blank] = await ui.drives(1);
    await page.getByText(`Attached: ${blank}`).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByRole('table', { name: 'Attached units' }).getByRole('row').count(), { timeout: 30_000 }).toBe(2);
    const dark = await benchContext(browser, 'dark', ctx);
    const dpage = await dark.newPage();
    await opened(dpage, '#/units');
    await dpage.getByRole('row', { name: new RegExp(TICKET) }).waitFor({ timeout: 60_000 });
    await lookAt(dpage, 'units-list', 'dark');

    await row.getByRole('link', { name: `Merge back… (ticket ${TICKET})` }).click();
    await page.getByRole('heading', { name: 'Merge back' }).waitFor();
    await page.getByRole('radio', { name: new RegExp(`^${offsite}: the offsite copy`) }).check();
    await previewRow(page, 'ENC-SQL01').waitFor({ timeout: 60_000 });
    for (const s of SYSTEMS) expect(await previewRow(page, s).innerText()).toMatch(/new points to receive[\s\S]*would receive \d+ point\(s\) on top of/);
    const field = page.getByLabel('Passphrase for ENC-SQL01');
    expect(await field.getAttribute('type')).toBe('password');
    await lookAt(page, 'merge-preview');

    // A wrong passphrase: refused by the agent's key record on the unit, nothing merged, the field emptied.
    const before = await fingerprint(offsite);
    await field.fill(wrong);
    await page.getByRole('button', { name: /^Check the passphrases and merge/ }).click();
    await page.getByText(/That passphrase does not unlock this agent.*\(code PASSPHRASE_WRONG\)/).waitFor({ timeout: 60_000 });
    expect(await field.inputValue()).toBe('');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(mergeJobs()).toEqual([]);
    expect(await fingerprint(offsite)).toEqual(before);
    await lookAt(page, 'merge-passphrase-refused');

    await field.fill(right);
    await page.getByRole('button', { name: /^Check the passphrases and merge/ }).click();
    await page.getByRole('progressbar', { name: 'Merge progress' }).waitFor({ timeout: 60_000 });
    const result = page.getByRole('table', { name: 'Merge result per system' });
    await result.waitFor({ timeout: 300_000 });
    await expect.poll(() => result.getByRole('row', { name: /^ENC-SQL01/ }).innerText(), { timeout: 120_000 }).toMatch(/unlocked: its pairing resumes/);
    expect(await result.getByRole('row', { name: /^LNX-WEB01/ }).innerText()).toMatch(/merged/);
    expect(await pageText(page)).toContain(`Every system of ticket ${TICKET} is in ${offsite}`);
    // Everything is there now: no passphrase field is asked for, and none holds a value.
    expect(await page.locator('input[type="password"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value).filter(Boolean))).toEqual([]);

    // Every point of the unit arrived with its GUID, the offsite copy's older points stayed.
    for (const ms of manifest.systems) {
      const onDest = new Map(await points(`${offsite}/${ms.system}`));
      for (const p of ms.points) expect(onDest.get(p.name), `${ms.system}@${p.name}`).toBe(p.guid);
      for (const [snap, guid] of (before as Record<string, { points: Array<[string, string]> }>)[`${offsite}/${ms.system}`].points) expect(onDest.get(snap)).toBe(guid);
    }
    expect((await getUserProps(`${offsite}/ENC-SQL01`))['roundtrip:agent-state']).toBe('unlocked');
    await lookAt(page, 'merge-result');
    await opened(dpage, `#/merge${drive}`);
    await dpage.getByRole('table', { name: 'Merge result per system' }).waitFor({ timeout: 30_000 });
    await lookAt(dpage, 'merge-result', 'dark');
    await dark.close();
    await ctx.close();
  }, 900_000);

  it('refuses a system whose appliance holds a newer point, naming it, and merges it only after the rollback is chosen and confirmed', async () => {
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, `#/merge${drive}`);
    await page.getByRole('radio', { name: new RegExp(`^${appliance}: the appliance's datasets`) }).check({ timeout: 30_000 }).catch(async (e) => {
      throw new Error(`${String(e)}\n${await pageText(page)}`);
    });
    const lnx = previewRow(page, 'LNX-WEB01');
    await lnx.waitFor({ timeout: 60_000 });
    const own = (await listSnapshots(`${appliance}/LNX-WEB01`)).at(-1)!;
    expect(await lnx.innerText()).toMatch(/refused: the destination holds newer points/);
    expect(await lnx.innerText()).toContain(own.snap);
    const before = await fingerprint(appliance);

    // Unticking is free, ticking asks first; "Keep them" leaves it refused.
    const allow = lnx.getByRole('checkbox', { name: 'Allow a rollback of LNX-WEB01…' });
    await allow.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(own.snap);
    await screenshot(page, 'merge-rollback-dialog', 'light');
    await dialog.getByRole('button', { name: 'Keep them' }).click();
    expect(await allow.isChecked()).toBe(false);
    expect(await lnx.innerText()).toMatch(/refused/);

    await allow.click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard them and merge' }).click();
    await expect.poll(() => lnx.innerText(), { timeout: 60_000 }).toMatch(/new points, after a rollback[\s\S]*Discarded by the rollback:[\s\S]*/);
    expect(await lnx.innerText()).toContain(own.snap);
    expect(await fingerprint(appliance)).toEqual(before);
    await lookAt(page, 'merge-rollback-allowed');

    // ENC-SQL01 is new on this appliance: its passphrase is asked again (nothing was kept).
    const field = page.getByLabel('Passphrase for ENC-SQL01');
    expect(await field.inputValue()).toBe('');
    await field.fill(right);
    await page.getByRole('button', { name: /^Check the passphrases and merge/ }).click();
    const result = page.getByRole('table', { name: 'Merge result per system' });
    await expect.poll(async () => ((await result.count()) ? result.getByRole('row', { name: /^ENC-SQL01/ }).innerText() : ''), { timeout: 300_000 }).toMatch(/unlocked: its pairing resumes/);
    expect(await result.getByRole('row', { name: /^LNX-WEB01/ }).innerText()).toMatch(/merged/);
    const got = new Map(await points(`${appliance}/LNX-WEB01`));
    expect(got.has(own.snap)).toBe(false);
    for (const p of manifest.systems.find((x) => x.system === 'LNX-WEB01')!.points) expect(got.get(p.name)).toBe(p.guid);
    await ctx.close();
    expect(await labFingerprint(ui.lab)).toEqual(labBefore);
  }, 900_000);

  it('leaves neither passphrase in the browser, the page, the engine\'s logs, journals, database or any file of the test and the lab', async () => {
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await opened(page, `#/merge${drive}`);
    await page.getByRole('table', { name: 'Merge result per system' }).waitFor({ timeout: 30_000 });
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, url: location.href, html: document.documentElement.outerHTML }));
    await ctx.close();
    const needles = [wrong, right].flatMap((p) => [Buffer.from(p, 'utf8'), Buffer.from(p, 'utf16le')]);
    for (const p of [wrong, right]) expect(stored).not.toContain(p);
    const files = [ui.home, ui.scratch.dir, ui.lab.dir].flatMap((d) => filesUnder(d));
    expect(files.some((f) => f.startsWith(ui.home) && /\.(log|jsonl|db|sqlite)$|journal/.test(f))).toBe(true);
    const found: string[] = [];
    for (const f of files) {
      for (const n of needles) {
        // Other test files' scratch comes and goes under the lab directory meanwhile.
        if (await fileContains(f, n).catch(() => false)) found.push(f);
      }
    }
    expect(found).toEqual([]);
  }, 600_000);
});
