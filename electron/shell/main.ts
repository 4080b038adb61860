// The Electron main process: one window on app://bench (the built renderer), locked down
// (window-options.ts, web-policy.ts, csp.ts), the engine as a privileged child relayed to it
// with a read-only one when that is refused or dies (engine-pair.ts), and IPC handled only for the app's own page (sender-check.ts). Everything
// with a decision in it lives in those modules, which the tests run without Electron; this file
// only wires them to Electron's objects.
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { join } from 'node:path';
import { CHANNELS } from './channels.ts';
import { engineLaunch, readOnlyLaunch } from './engine-launch.ts';
import { EnginePair } from './engine-pair.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_START_URL, appFile } from './protocol.ts';
import { guarded } from './sender-check.ts';
import { windowOptions } from './window-options.ts';
import { denyPermissions, lockDownContents } from './web-policy.ts';

// dist/electron/main.js: the renderer is beside it in dist/renderer; the engine is the checkout
// (development) or resources/engine (packaged, build/electron-builder.config.mjs).
const here = import.meta.dirname;
const rendererDir = join(here, '..', 'renderer');
const engineRoot = app.isPackaged ? join(process.resourcesPath, 'engine') : join(here, '..', '..');

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

let win: BrowserWindow | null = null;
const toWindow = (channel: string, data: unknown) => {
  if (win && !win.isDestroyed()) win.webContents.send(channel, data);
};

const relay = new EnginePair({
  privileged: () => engineLaunch({ isRoot: process.getuid?.() === 0, engineRoot }),
  readOnly: () => readOnlyLaunch({ engineRoot }),
  onEvent: (e) => toWindow(CHANNELS.event, e),
  onState: (s) => toWindow(CHANNELS.state, s),
});

app.on('web-contents-created', (_e, contents) => lockDownContents(contents));

app.whenReady().then(() => {
  denyPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => {
    const a = appFile(request.url, rendererDir);
    return new Response(typeof a.body === 'string' ? a.body : new Uint8Array(a.body), { status: a.status, headers: a.headers });
  });
  ipcMain.handle(CHANNELS.call, guarded((method: unknown, params: unknown) => relay.request(method, params)));
  ipcMain.handle(CHANNELS.getState, guarded(() => relay.state));
  ipcMain.handle(CHANNELS.retry, guarded(() => relay.retry()));

  win = new BrowserWindow(windowOptions(join(here, 'preload.cjs')));
  win.once('ready-to-show', () => win?.show());
  void win.loadURL(APP_START_URL);
  void relay.start();
});

app.on('window-all-closed', () => app.quit());
// The engine ends when its stdin closes; the app waits for it so running jobs are cancelled cleanly.
let quitting = false;
app.on('will-quit', (e) => {
  if (quitting) return;
  quitting = true;
  e.preventDefault();
  void relay.stop().finally(() => app.quit());
});
