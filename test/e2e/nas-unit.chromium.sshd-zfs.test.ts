// A NAS unit chosen in the bench UI (R3): the NAS reached over a real sshd on 127.0.0.1 (its own
// keys and known_hosts), its pools listed from the NAS itself, one chosen, the start confirmed by
// typing the ticket number, the sync followed, and the unit verified on the NAS; then the NAS
// unit found on the Units screen and merged back from the NAS into an offsite copy of the test's own.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { chooseUnencrypted } from '../helpers/ui-protection.ts';
import { lookAt, pageText } from '../helpers/ui-page.ts';
import { startUiLab, type UiLab } from '../helpers/ui-lab.ts';
import { startSshd, type TestSshd } from '../helpers/sshd.ts';
import { cli, createTicket } from '../helpers/units.ts';
import { registerSite } from '../../electron/appliance/default-sites.ts';
import { listSnapshots } from '../../electron/system/zfs/index.ts';
import { destPool, points, seed } from '../integration/merge/helpers.ts';
import { zfsCmd } from '../helpers/zfs-cmd.ts';

const TICKET = '1840001';

describe('a NAS unit in the bench UI (Chromium, serve, a real sshd, zfs-fuse)', () => {
  let ui: UiLab;
  let browser: Browser;
  let sshd: TestSshd;
  let pool = '';

  beforeAll(async () => {
    ui = await startUiLab('e2e-nas', [TICKET]);
    sshd = await startSshd(ui.scratch.dir);
    // The NAS's pool: a sparse file in this test's scratch, mounted under it.
    pool = ui.scratch.pool(ui.scratch.uniqueName('rtuinas'));
    await zfsCmd('zpool', ['create', '-m', join(ui.scratch.dir, 'nasmnt'), pool, await ui.scratch.file('nas.vdev', '2G')]);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await sshd?.stop();
    await ui?.cleanup();
  }, 300_000);

  /** The NAS form (a sync's target, or the Units screen's NAS units) filled with the test's sshd. */
  const fillNasAddress = async (page: Page) => {
    await page.getByLabel('NAS host or address').fill('127.0.0.1');
    await page.getByLabel('SSH port').fill(String(sshd.port));
    await page.getByLabel('Private key file on this bench').fill(sshd.nas.identityFile);
    await page.getByLabel('known_hosts file that trusts the NAS').fill(sshd.nas.knownHostsFile);
  };

  it('lists the NAS pools over ssh, writes the unit into the chosen one and verifies it there', async () => {
    createTicket(ui.lab, TICKET, { unit: { providedBy: 'datacenter', kind: 'nas-unit' }, systems: [{ name: 'WIN-FS01', points: { kind: 'newer-than-lock' } }] });
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${ui.server.url}#/ticket/${TICKET}/drives`);
    await page.getByText('This ticket asks for a NAS unit').waitFor({ timeout: 30_000 });
    await fillNasAddress(page);
    await page.getByRole('button', { name: 'List the NAS pools' }).click();
    await page.getByRole('radio', { name: `Use pool ${pool}` }).check({ timeout: 60_000 });
    await page.getByText(`The unit goes into ${pool} on 127.0.0.1.`).waitFor();
    await lookAt(page, 'nas-drives');

    await page.getByRole('navigation', { name: 'Ticket steps' }).getByRole('link', { name: /Confirm/ }).click();
    await page.getByText(`${pool}/rt_${TICKET}`).first().waitFor({ timeout: 30_000 });
    const start = page.getByRole('button', { name: 'Write the NAS unit and start the sync' });
    expect(await start.isDisabled()).toBe(true);
    await lookAt(page, 'nas-confirm');
    // A NAS unit cannot be sealed: it leaves unencrypted only once the box is ticked.
    await chooseUnencrypted(page);
    expect(await page.getByRole('radio', { name: /^Sealed/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'Ship this unit unencrypted' }).isChecked()).toBe(true);
    await lookAt(page, 'nas-confirm-unencrypted');
    await page.getByLabel(/^Type the ticket number/).fill(TICKET);
    await start.click();
    await page.getByRole('button', { name: 'Verify the unit' }).waitFor({ timeout: 300_000 });
    await page.getByRole('button', { name: 'Verify the unit' }).click();
    await page.getByText('The unit is verified').waitFor({ timeout: 300_000 });
    expect(await pageText(page)).toMatch(/point\(s\) match the manifest/);
    // The dataset is on the NAS's pool, with the ticket's points.
    const snaps = (await zfsCmd('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', `${pool}/rt_${TICKET}`])).stdout;
    expect(snaps).toMatch(/WIN-FS01@\d+/);
    await lookAt(page, 'nas-run-verified');
    await ctx.close();
  }, 900_000);

  it('lists the NAS unit on the Units screen from its own manifest, once told which NAS to look on, and remembers it', async () => {
    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${ui.server.url}#/units`);
    await page.getByRole('heading', { name: 'Units', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('not looking on any NAS').click();
    await fillNasAddress(page);
    await page.getByRole('button', { name: 'Look for units on this NAS' }).click();
    const table = page.getByRole('table', { name: 'Attached units' });
    const row = table.getByRole('row', { name: new RegExp(`NAS 127\\.0\\.0\\.1: ${pool}/rt_${TICKET}`) });
    await row.waitFor({ timeout: 60_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('ZFS on the NAS 127.0.0.1');
    expect(text).toContain(TICKET);
    expect(text).toMatch(/WIN-FS01 \(agent, \d+ points?\)/);
    expect(text).toContain('sealed manifest');
    // The verify job of the first test read this unit on the NAS.
    expect(text).toMatch(/verified/);
    expect(await row.getByRole('link', { name: `Merge back… (ticket ${TICKET})` }).getAttribute('href')).toBe(`#/merge-nas/${pool}/rt_${TICKET}`);
    await lookAt(page, 'units-nas');
    // The same screen dark, from the same storage (it remembers the NAS).
    const dark = await benchContext(browser, 'dark', ctx);
    const dpage = await dark.newPage();
    await dpage.goto(`${ui.server.url}#/units`);
    await dpage.getByRole('row', { name: new RegExp(`rt_${TICKET}`) }).waitFor({ timeout: 60_000 });
    await lookAt(dpage, 'units-nas', 'dark');
    await dark.close();

    // Remembered: the next visit looks on the same NAS without asking.
    await page.reload();
    await page.getByText('also looking on 127.0.0.1').waitFor({ timeout: 30_000 });
    await table.getByRole('row', { name: new RegExp(`rt_${TICKET}`) }).waitFor({ timeout: 60_000 });
    // A NAS that does not answer is a note; the screen still works.
    await page.getByLabel('SSH port').fill('1');
    await page.getByRole('button', { name: 'Look for units on this NAS' }).click();
    await page.getByText('What could not be read as a unit').waitFor({ timeout: 60_000 });
    expect(await pageText(page)).toMatch(/127\.0\.0\.1/);
    await page.getByRole('button', { name: 'Stop looking on 127.0.0.1' }).click();
    await page.getByText('not looking on any NAS').waitFor();
    await ctx.close();

    // The same list from the command line.
    const nasFlags = ['--nas', '127.0.0.1', '--nas-port', String(sshd.port), '--nas-identity', sshd.nas.identityFile, '--nas-known-hosts', sshd.nas.knownHostsFile];
    const human = await cli(ui.home, ['units', ...nasFlags]);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toContain(`on the NAS 127.0.0.1 as ${pool}/rt_${TICKET}: ticket ${TICKET}`);
    expect(human.stdout).toMatch(/WIN-FS01 +\d+ point\(s\)/);
    const json = JSON.parse((await cli(ui.home, ['units', ...nasFlags, '--json'])).stdout) as { units: Array<{ ticketId: string; nas: { dataset: string } | null; sealed: boolean }> };
    expect(json.units.find((u) => u.nas?.dataset === `${pool}/rt_${TICKET}`)).toMatchObject({ ticketId: TICKET, sealed: true });
  }, 600_000);

  it('merges the NAS unit back from the NAS into an offsite copy, every point with its GUID', async () => {
    // The offsite copy as the data center holds it: the offsite's points up to the unit's base.
    const sys = ui.lab.systems.find((x) => x.name === 'WIN-FS01')!;
    const offsite = await destPool(ui.scratch, 'rtuinoff');
    const off = (await listSnapshots(sys.offsiteDataset!)).map((x) => x.snap);
    await seed(sys.offsiteDataset!, off.slice(-2), `${offsite}/WIN-FS01`);
    registerSite({ applianceSerial: 'NAS-MERGE-1', appliance: `${offsite}/none`, offsite, owner: 'test:e2e-nas-merge' });
    const before = new Map(await points(`${offsite}/WIN-FS01`));
    const onNas = await points(`${pool}/rt_${TICKET}/WIN-FS01`);

    const ctx = await benchContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${ui.server.url}#/units`);
    await page.getByText('not looking on any NAS').click();
    await fillNasAddress(page);
    await page.getByRole('button', { name: 'Look for units on this NAS' }).click();
    await page.getByRole('link', { name: `Merge back… (ticket ${TICKET})` }).click({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Merge back' }).waitFor();
    await page.getByText(`rt_${TICKET} on the NAS 127.0.0.1`).first().waitFor({ timeout: 60_000 });
    await page.getByRole('radio', { name: new RegExp(`^${offsite}: the offsite copy`) }).check();
    const row = page.getByRole('table', { name: 'What the merge will do' }).getByRole('row', { name: /^WIN-FS01/ });
    await row.waitFor({ timeout: 60_000 });
    expect(await row.innerText()).toMatch(/new points to receive/);
    await lookAt(page, 'merge-nas-preview');
    await page.getByRole('button', { name: /^Start the merge/ }).click();
    const result = page.getByRole('table', { name: 'Merge result per system' });
    await result.waitFor({ timeout: 300_000 });
    expect(await result.getByRole('row', { name: /^WIN-FS01/ }).innerText()).toMatch(/merged/);
    expect(await pageText(page)).toContain(`Every system of ticket ${TICKET} is in ${offsite}`);
    await lookAt(page, 'merge-nas-result');
    // Every point on the NAS unit is now in the offsite copy with the same GUID; the older ones stayed.
    const after = new Map(await points(`${offsite}/WIN-FS01`));
    for (const [snap, guid] of onNas) expect(after.get(snap), snap).toBe(guid);
    for (const [snap, guid] of before) expect(after.get(snap), snap).toBe(guid);
    await ctx.close();
  }, 600_000);
});
