// The Settings screen in Chromium against `roundtrip serve` (its own process, on a private home),
// with a real SMTP server on 127.0.0.1: the bench's name and technicians (offered in the top
// bar), a data center's return address (then printed on a ticket's label), the fees, the SMTP
// relay and its test mail (delivered, and refused by a bad login and by a port nobody listens
// on), removing the stored password and resetting a region to the resource file's address, the
// local-backups commands, the engine's per-field sentences for bad values; and the SMTP password in
// no file: not in the page's HTML, the browser's storage, the engine's output or log, the ticket
// database or any other file under the home (the engine holds it in memory).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { serveProcess } from '../helpers/serve-process.ts';
import { benchContext, launchChromium } from '../helpers/ui-browser.ts';
import { lookAt } from '../helpers/ui-page.ts';
import { freePort, TestSmtp } from '../integration/tickets/smtp-server.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'roundtrip.mjs');
const TICKET = '1930001';
const PASSWORD = `relay-${randomBytes(9).toString('hex')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(9).toString('hex')}`;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** The section (a card with its heading) a technician looks at. */
const section = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });

/** The error text next to a labelled field, through its aria-describedby. */
async function errorsOf(page: Page, scope: ReturnType<typeof section>, label: string): Promise<string> {
  const input = scope.getByLabel(label, { exact: true });
  await expect.poll(() => input.getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter((i) => i.endsWith('-err'));
  expect(ids).toHaveLength(1);
  return squash(await page.locator(`[id="${ids[0]}"]`).innerText());
}

describe('the Settings screen (Chromium, serve, smtp-server)', () => {
  const home = mkdtempSync(join(tmpdir(), 'rt-e2e-settings-home-'));
  const work = mkdtempSync(join(tmpdir(), 'rt-e2e-settings-work-'));
  let url = '';
  let proc: ResultPromise;
  let output = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let smtp: TestSmtp;

  beforeAll(async () => {
    smtp = new TestSmtp({ user: 'bench19', pass: PASSWORD });
    await smtp.listen(0);
    ({ url, proc } = await serveProcess(home));
    proc.stdout!.on('data', (c: Buffer) => (output += c));
    proc.stderr!.on('data', (c: Buffer) => (output += c));
    browser = await launchChromium();
    context = await benchContext(browser, 'light');
    page = await context.newPage();
    await page.goto(`${url}#/settings`);
    await page.getByText('engine connected').waitFor({ timeout: 20_000 });
    await section(page, 'The bench').waitFor({ timeout: 20_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    proc?.kill('SIGTERM');
    await proc;
    await smtp?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('shows the settings as stored, accessible in light and dark', async () => {
    await expect.poll(() => section(page, 'USA data center').innerText()).toContain('placeholder address');
    expect(await section(page, 'SMTP relay for notifications').innerText()).toContain('not set');
    expect(await section(page, 'Fees').innerText()).toMatch(/\$50 for the first 2 TB/);
    await lookAt(page, 'settings', 'light');
    const dark = await benchContext(browser, 'dark');
    const p = await dark.newPage();
    await p.goto(`${url}#/settings`);
    await section(p, 'The bench').waitFor({ timeout: 20_000 });
    await lookAt(p, 'settings', 'dark');
    await dark.close();
  }, 120_000);

  it('puts the engine\'s sentence next to each bad value, and stores nothing from a refused section', async () => {
    const fees = section(page, 'Fees');
    await fees.getByLabel('Replacement fee, USB drive (US dollars)').fill('-5');
    await fees.getByLabel('Replacement fee, NAS unit (US dollars)').fill('lots');
    await fees.getByRole('button', { name: 'Save the fees' }).click();
    expect(await errorsOf(page, fees, 'Replacement fee, USB drive (US dollars)')).toContain('A replacement fee cannot be negative.');
    expect(await errorsOf(page, fees, 'Replacement fee, NAS unit (US dollars)')).toContain('The replacement fee for nas-unit must be a number of dollars.');
    expect(await fees.getByRole('alert').innerText()).toContain('code BAD_INPUT');

    const relay = section(page, 'SMTP relay for notifications');
    await relay.getByLabel('Port', { exact: true }).fill('70000');
    await relay.getByLabel('From address').fill('');
    await relay.getByRole('button', { name: 'Save the SMTP relay' }).click();
    expect(await errorsOf(page, relay, 'Port')).toContain('The SMTP port must be 1 to 65535.');
    expect(await errorsOf(page, relay, 'From address')).toContain('The sender address (from) is required.');
    expect(await errorsOf(page, relay, 'Host')).toContain('The SMTP host is required.');

    const bench = section(page, 'The bench');
    await bench.getByLabel('Bench name').fill(' ');
    await bench.getByLabel('Technicians').fill('Ana Tech\nana tech');
    await bench.getByRole('button', { name: "Save the bench's names" }).click();
    expect(await errorsOf(page, bench, 'Bench name')).toContain("The bench's name is required.");
    expect(await errorsOf(page, bench, 'Technicians')).toContain('Line 2: ana tech is in the list twice.');

    const usa = section(page, 'USA data center');
    await usa.getByLabel('City').fill('');
    await usa.getByLabel('Street').fill('');
    await usa.getByRole('button', { name: 'Save the USA address' }).click();
    expect(await errorsOf(page, usa, 'City')).toContain('The city is required.');
    expect(await errorsOf(page, usa, 'Street')).toContain('The street is required.');
    await lookAt(page, 'settings-errors', 'light');

    // Nothing of it was stored: the screen as the engine has it after a reload.
    await page.reload();
    await section(page, 'Fees').waitFor({ timeout: 20_000 });
    expect(await section(page, 'Fees').getByLabel('Replacement fee, USB drive (US dollars)').inputValue()).toBe('300');
    expect(await section(page, 'USA data center').getByLabel('City').inputValue()).toBe('Reading');
    expect(await section(page, 'SMTP relay for notifications').getByLabel('Host').inputValue()).toBe('');
  }, 120_000);

  it('saves the bench\'s name and technicians, which the top bar then offers', async () => {
    const bench = section(page, 'The bench');
    await bench.getByLabel('Bench name').fill('Bench 19 (Reading)');
    await bench.getByLabel('Technicians').fill('Ana Tech\nBo Bench\n');
    await bench.getByRole('button', { name: "Save the bench's names" }).click();
    await bench.getByText('The bench: saved').waitFor({ timeout: 20_000 });
    const offered = () => page.locator('header datalist option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await expect.poll(offered).toEqual(['Ana Tech', 'Bo Bench']);
    expect(await page.getByRole('combobox', { name: 'Technician' }).getAttribute('list')).toBe('rt-technicians');
    await page.reload();
    await expect.poll(offered, { timeout: 20_000 }).toEqual(['Ana Tech', 'Bo Bench']);
    expect(await section(page, 'The bench').getByLabel('Bench name').inputValue()).toBe('Bench 19 (Reading)');
  }, 60_000);

  it('saves a data center\'s address, which the ticket\'s label then prints instead of the placeholder', async () => {
    const usa = section(page, 'USA data center');
    await usa.getByLabel('Attention line').fill('ATTN: Returns Desk');
    await usa.getByLabel('Organization').fill('Acme Receiving East');
    await usa.getByLabel('Street').fill('12 Dock Lane\nUnit 4');
    await usa.getByLabel('City').fill('Allentown');
    await usa.getByLabel('State, province or county').fill('PA');
    await usa.getByLabel('Postal code').fill('18101');
    await usa.getByRole('button', { name: 'Save the USA address' }).click();
    await usa.getByText('USA data center: saved').waitFor({ timeout: 20_000 });
    await usa.getByText("this bench's address").waitFor();
    expect(await section(page, 'EMEA data center').innerText()).toContain('placeholder address');

    // A forward ticket for the USA region, and its label through the contract (tickets.print).
    const request = {
      ticketNumber: TICKET,
      direction: 'forward',
      format: { filesystem: 'zfs', layout: 'datasets' },
      systems: [{ name: 'WIN-FS01', points: { kind: 'newer-than-lock' } }],
      source: { location: 'appliance' },
      shipping: { region: 'usa' },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      contact: { name: 'Set Tings', email: 'set@example.com' },
      partner: { name: 'Settings Partner' },
      applianceSerial: `SN-${TICKET}`,
    };
    writeFileSync(join(work, 'request.json'), JSON.stringify(request));
    const env = { ROUNDTRIP_HOME: home };
    const made = await execa('node', [BIN, 'ticket', 'create', '--file', join(work, 'request.json'), '--json', '--by', 'Ana Tech'], { env, reject: false });
    expect(made.exitCode, made.stderr).toBe(0);
    const pdf = join(work, 'label.pdf');
    const printed = await execa('node', [BIN, 'ticket', 'label', TICKET, '--out', pdf, '--json'], { env, reject: false });
    expect(printed.exitCode, printed.stderr).toBe(0);
    const text = squash((await execa('pdftotext', ['-enc', 'UTF-8', pdf, '-'])).stdout);
    for (const line of ['ATTN: Returns Desk', 'Acme Receiving East', '12 Dock Lane', 'Unit 4', 'Allentown, PA 18101']) expect(text).toContain(line);
    expect(text).not.toContain('Placeholder Road');
    expect(text).not.toContain('PLACEHOLDER ADDRESS');

    // The ticket's own page shows it too.
    await page.goto(`${url}#/ticket/${TICKET}/ship`);
    await expect.poll(async () => squash(await page.locator('main').innerText()), { timeout: 20_000 }).toContain('Acme Receiving East');
    await page.goto(`${url}#/settings`);
    await section(page, 'Fees').waitFor({ timeout: 20_000 });
  }, 90_000);

  it('puts a region back on the resource file\'s address with "Use the default address"', async () => {
    const usa = section(page, 'USA data center');
    await expect.poll(() => usa.getByLabel('City').inputValue(), { timeout: 20_000 }).toBe('Allentown');
    const emea = section(page, 'EMEA data center');
    expect(await emea.getByRole('button', { name: 'Use the default address' }).isDisabled()).toBe(true);
    expect(squash(await emea.innerText())).toContain("This region uses the resource file's address.");
    // By keyboard: focus the button, press Enter.
    await usa.getByRole('button', { name: 'Use the default address' }).focus();
    await page.keyboard.press('Enter');
    await usa.getByRole('status').filter({ hasText: "The USA data center uses the resource file's address again." }).waitFor({ timeout: 20_000 });
    await expect.poll(() => usa.innerText()).toContain('placeholder address');
    expect(await usa.getByLabel('City').inputValue()).not.toBe('Allentown');
    expect(await usa.getByLabel('Organization').inputValue()).not.toBe('Acme Receiving East');
    expect(await usa.getByRole('button', { name: 'Use the default address' }).isDisabled()).toBe(true);
    const shown = await execa('node', [BIN, 'ticket', 'settings', '--json'], { env: { ROUNDTRIP_HOME: home }, reject: false });
    expect(JSON.parse(shown.stdout).dataCenters.find((d: { region: string }) => d.region === 'usa')).toMatchObject({ placeholder: true });
  }, 60_000);

  it('saves the fees', async () => {
    const fees = section(page, 'Fees');
    await fees.getByLabel('Replacement fee, USB drive (US dollars)').fill('450');
    await fees.getByLabel('Replacement fee, NAS unit (US dollars)').fill('2600');
    await fees.getByRole('button', { name: 'Save the fees' }).click();
    await fees.getByText('Fees: saved').waitFor({ timeout: 20_000 });
    await expect.poll(() => fees.innerText()).toContain('Now $450');
    const shown = await execa('node', [BIN, 'ticket', 'settings', '--json'], { env: { ROUNDTRIP_HOME: home }, reject: false });
    expect(JSON.parse(shown.stdout).replacementFeesUsd).toEqual({ 'usb-drive': 450, 'nas-unit': 2600 });
  }, 60_000);

  it('saves the SMTP relay with its password, sends a test mail and shows the relay\'s answer', async () => {
    const relay = section(page, 'SMTP relay for notifications');
    await relay.getByLabel('Host').fill('127.0.0.1');
    await relay.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await relay.getByLabel('User name').fill('bench19');
    await relay.getByLabel('Password').fill(PASSWORD);
    await relay.getByLabel('From address').fill('bench19@example.com');
    await relay.getByRole('button', { name: 'Save the SMTP relay' }).click();
    await relay.getByText('SMTP relay for notifications: saved').waitFor({ timeout: 20_000 });
    await expect.poll(() => relay.getByLabel('Password').inputValue()).toBe('');
    expect(await relay.innerText()).toMatch(/\bset\b/);
    expect(await relay.innerText()).not.toContain('not set');
    expect(squash(await relay.innerText())).toContain('The password is held in memory until the engine stops: enter it again after a restart.');

    await relay.getByLabel('Send a test mail to').fill('tech@example.com');
    await relay.getByRole('button', { name: 'Send a test mail' }).click();
    const ok = relay.getByRole('status').filter({ hasText: 'The relay accepted the test mail' });
    await ok.waitFor({ timeout: 30_000 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ from: 'bench19@example.com', to: ['tech@example.com'], subject: 'Bench 19 (Reading): test mail' });
    // The relay's own reply line (smtp-server: "250 OK: message queued").
    expect(squash(await ok.innerText())).toMatch(new RegExp(`127\\.0\\.0\\.1:${smtp.port} answered for tech@example.com: 250 `));
    await lookAt(page, 'settings-smtp', 'light');
  }, 90_000);

  it('shows the engine\'s sentence when the relay refuses the login, and when nothing listens on the port', async () => {
    const relay = section(page, 'SMTP relay for notifications');
    await relay.getByLabel('Password').fill(WRONG_PASSWORD);
    await relay.getByRole('button', { name: 'Save the SMTP relay' }).click();
    await relay.getByText('SMTP relay for notifications: saved').waitFor({ timeout: 20_000 });
    await relay.getByRole('button', { name: 'Send a test mail' }).click();
    let refused = relay.getByRole('alert').filter({ hasText: 'The test mail was not sent' });
    await refused.waitFor({ timeout: 30_000 });
    expect(squash(await refused.innerText())).toContain(`The SMTP relay 127.0.0.1:${smtp.port} refused the user name or password.`);
    expect(await refused.innerText()).toContain('code NOTIFY_FAILED');

    // The stored password is kept when the field is left empty: only the port changes.
    const dead = await freePort();
    await relay.getByLabel('Port', { exact: true }).fill(String(dead));
    await relay.getByRole('button', { name: 'Save the SMTP relay' }).click();
    await relay.getByText('SMTP relay for notifications: saved').waitFor({ timeout: 20_000 });
    await relay.getByRole('button', { name: 'Send a test mail' }).click();
    refused = relay.getByRole('alert').filter({ hasText: `Nothing answers at 127.0.0.1:${dead}` });
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.innerText()).toContain('code NOTIFY_FAILED');
    expect(smtp.received).toHaveLength(1);
    await lookAt(page, 'settings-smtp-refused', 'light');
  }, 90_000);

  it('removes the stored password with its button, says so, and then sends no mail without one', async () => {
    const relay = section(page, 'SMTP relay for notifications');
    await relay.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await relay.getByRole('button', { name: 'Save the SMTP relay' }).click();
    await relay.getByText('SMTP relay for notifications: saved').waitFor({ timeout: 20_000 });
    const remove = relay.getByRole('button', { name: 'Remove the stored password' });
    expect(await remove.isDisabled()).toBe(false);
    await remove.focus();
    await page.keyboard.press('Enter');
    await relay.getByRole('status').filter({ hasText: 'Password removed: no password set.' }).waitFor({ timeout: 20_000 });
    expect(squash(await relay.innerText())).toContain('not set');
    expect(squash(await relay.innerText())).toContain('No password set.');
    expect(await remove.isDisabled()).toBe(true);

    await relay.getByRole('button', { name: 'Send a test mail' }).click();
    const refused = relay.getByRole('alert').filter({ hasText: 'The test mail was not sent' });
    await refused.waitFor({ timeout: 30_000 });
    expect(squash(await refused.innerText())).toContain('The SMTP relay password is not set since the engine started; enter it in Settings.');
    expect(smtp.received).toHaveLength(1);
  }, 60_000);

  it('saves the local-backups commands as argument lists, and refuses a pause without its resume at its field', async () => {
    const lb = section(page, 'Local backups during a sync (R9)');
    await lb.getByLabel('Pause command').fill('/usr/local/bin/appliance-backups\npause\n--reason\nsync to a drive');
    await lb.getByRole('button', { name: 'Save the commands' }).click();
    expect(await errorsOf(page, lb, 'Resume command')).toContain('A command needs at least its program.');
    await lb.getByLabel('Resume command').fill('/usr/local/bin/appliance-backups\nresume');
    await lb.getByRole('button', { name: 'Save the commands' }).click();
    await lb.getByText('Local backups during a sync (R9): saved').waitFor({ timeout: 20_000 });
    const shown = await execa('node', [BIN, 'ticket', 'settings', '--json'], { env: { ROUNDTRIP_HOME: home }, reject: false });
    expect(JSON.parse(shown.stdout).localBackups).toEqual({ pause: ['/usr/local/bin/appliance-backups', 'pause', '--reason', 'sync to a drive'], resume: ['/usr/local/bin/appliance-backups', 'resume'] });
  }, 60_000);

  it('keeps both SMTP passwords out of the page, the browser\'s storage, the engine\'s output and log, and every file under the home', async () => {
    const html = await page.content();
    const storage = JSON.stringify(await context.storageState());
    const session = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
    const log = readFileSync(join(home, 'logs', 'engine.log'), 'utf8');
    expect(log).toContain('tickets.settings');
    for (const secret of [PASSWORD, WRONG_PASSWORD]) {
      for (const [where, text] of [['page HTML', html], ['browser storage', storage], ['session storage', session], ['engine output', output], ['engine log', log]] as const) {
        expect(text.includes(secret), `${where} holds an SMTP password`).toBe(false);
      }
    }
    // The engine holds the password in memory: no file may hold either one, the ticket database
    // and its write-ahead log included.
    const holding = filesUnder(home)
      .filter((f) => statSync(f).size < 64 * 1024 * 1024)
      .filter((f) => {
        const bytes = readFileSync(f);
        return bytes.includes(PASSWORD) || bytes.includes(WRONG_PASSWORD);
      })
      .map((f) => relative(home, f));
    expect(holding).toEqual([]);
  }, 60_000);
});
