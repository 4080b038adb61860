// The desktop app end to end with Playwright's Electron support: the packaged shell
// (dist/electron/main.js, its preload and the built renderer on app://) opened on the lab, its
// engine child started by the main process, walked from the ticket list to a ticket's drive list.
// It needs an Electron binary; where none is installed (ELECTRON_SKIP_BINARY_DOWNLOAD), it is
// skipped and the summary counts it as skipped, with the reason in its name.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const { electronBinary }: { electronBinary: () => string | null } = await import(pathToFileURL(join(root, 'scripts', 'electron-binary.mjs')).href);
const bin = electronBinary();
const TICKET = '1840001';

describe.skipIf(!bin)(`the desktop app in Electron (Playwright _electron, zfs-fuse lab)${bin ? '' : ': skipped, no Electron binary is installed here (node_modules/electron has no dist/)'}`, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  }, 300_000);

  it('opens on the ticket list with its engine connected and walks to a ticket\'s drive list', async () => {
    const { _electron } = await import('playwright-core');
    const { startUiLab } = await import('../helpers/ui-lab.ts');
    const { createTicket } = await import('../helpers/units.ts');
    const { buildShell }: any = await import(pathToFileURL(join(root, 'scripts', 'build-shell.mjs')).href);
    if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
    await buildShell();

    const ui = await startUiLab('e2e-electron', [TICKET], { serve: false });
    cleanups.push(() => ui.cleanup());
    createTicket(ui.lab, TICKET, {});
    const [drive] = await ui.drives(1);

    const app = await _electron.launch({ executablePath: bin!, args: [join(root, 'dist', 'electron', 'main.js')], cwd: root, env: { ...process.env, ROUNDTRIP_HOME: ui.home } as Record<string, string> });
    cleanups.push(() => app.close());
    const page = await app.firstWindow();
    expect(page.url()).toMatch(/^app:\/\/bench\//);
    await page.getByText('engine connected').waitFor({ timeout: 60_000 });
    // The page has the bridge and nothing of Node or Electron.
    expect(await page.evaluate(() => [typeof (window as any).roundtrip?.methods?.['drives.list'], typeof (window as any).require, typeof (window as any).process])).toEqual(['function', 'undefined', 'undefined']);
    await page.getByRole('link', { name: new RegExp(TICKET) }).first().click();
    await page.getByRole('navigation', { name: 'Ticket steps' }).getByRole('link', { name: /Drives/ }).click();
    await page.getByRole('checkbox', { name: new RegExp(`Use .*${drive.replace('/', '\\/')},`) }).waitFor({ timeout: 60_000 });
  }, 600_000);
});
