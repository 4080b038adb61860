// The Electron shell's security checklist, read from the code that builds each setting (no copy
// here): the window's web preferences, the CSP, the app:// scheme and its files, navigation,
// window.open, <webview> and permissions, and the packaged app's fuses.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_CSP, securityHeaders } from '../../../electron/shell/csp.ts';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, APP_START_URL, appFile } from '../../../electron/shell/protocol.ts';
import { windowOptions } from '../../../electron/shell/window-options.ts';
import { denyPermissions, lockDownContents, type ContentsLike, type SessionLike } from '../../../electron/shell/web-policy.ts';

const root = join(import.meta.dirname, '..', '..', '..');

function parseCsp(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

describe('the window', () => {
  const o = windowOptions('/x/preload.cjs');
  it('runs the page isolated, sandboxed, without Node, with web security and without <webview>', () => {
    expect(o.webPreferences).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
  it('loads the app from app://, never file:// or a remote address', () => {
    expect(APP_START_URL.startsWith(`${APP_ORIGIN}/`)).toBe(true);
    expect(new URL(APP_START_URL).protocol).toBe('app:');
  });
});

describe('the Content-Security-Policy', () => {
  const csp = parseCsp(APP_CSP);
  it("has default-src 'self', no unsafe-eval or unsafe-inline, and no remote origin in any directive", () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    const all = [...csp.values()].flat();
    expect(all).not.toContain("'unsafe-eval'");
    expect(all).not.toContain("'unsafe-inline'");
    expect(all).not.toContain('*');
    // Only keywords and same-document schemes: no host, no http(s):, ws(s): or wildcard.
    for (const s of all) expect(s, s).toMatch(/^('self'|'none'|data:|blob:)$/);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });
  it('is sent with every answer of the app:// protocol, files and refusals alike', () => {
    expect(securityHeaders()['content-security-policy']).toBe(APP_CSP);
  });
});

describe('the app:// protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-shell-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'rt-shell-secret.txt.js'), 'secret');
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, '..', 'rt-shell-secret.txt.js'), { force: true });
  });

  it('is registered standard and secure, without bypassing the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, bypassCSP: false, allowServiceWorkers: false });
  });

  it('serves the build folder with the CSP', () => {
    const index = appFile(`${APP_ORIGIN}/`, dir);
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['content-security-policy']).toBe(APP_CSP);
    expect(appFile(`${APP_ORIGIN}/assets/a.js`, dir)).toMatchObject({ status: 200, headers: { 'content-type': expect.stringMatching(/javascript/) } });
  });

  it('refuses paths that leave it, other hosts, other schemes and unknown files', () => {
    for (const url of [
      `${APP_ORIGIN}/../rt-shell-secret.txt.js`,
      `${APP_ORIGIN}/%2e%2e/rt-shell-secret.txt.js`,
      `${APP_ORIGIN}/assets/%2e%2e/%2e%2e/rt-shell-secret.txt.js`,
      `${APP_ORIGIN}/assets%2f..%2f..%2frt-shell-secret.txt.js`,
      `${APP_ORIGIN}/..%5crt-shell-secret.txt.js`,
      `${APP_ORIGIN}/a%00.js`,
      `${APP_ORIGIN}/%E0%A4%A`,
      'app://other/index.html',
      `file://${dir}/index.html`,
      'https://example.com/index.html',
      `${APP_ORIGIN}/missing.js`,
      `${APP_ORIGIN}/assets`,
    ]) {
      const a = appFile(url, dir);
      expect(a.status, url).toBeGreaterThanOrEqual(400);
      expect(String(a.body), url).not.toContain('secret');
      expect(a.headers['content-security-policy']).toBe(APP_CSP);
    }
  });
});

describe('navigation, new windows, <webview> and permissions', () => {
  function standIn() {
    const handlers = new Map<string, (...a: any[]) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    const contents: ContentsLike = {
      on: (event: string, fn: (...a: any[]) => void) => handlers.set(event, fn),
      setWindowOpenHandler: (fn) => void (openHandler = fn),
    } as ContentsLike;
    lockDownContents(contents);
    const prevented = (event: string, ...args: unknown[]) => {
      let p = false;
      handlers.get(event)!({ preventDefault: () => (p = true) }, ...args);
      return p;
    };
    /** As Electron's newer events give it: the URL on the event object, no argument. */
    const preventedByDetails = (event: string, url: string) => {
      let p = false;
      handlers.get(event)!({ preventDefault: () => (p = true), url });
      return p;
    };
    return { prevented, preventedByDetails, open: (url: string) => openHandler!({ url }) };
  }

  it('blocks navigation and redirects away from the app, and lets the app move within itself', () => {
    const c = standIn();
    for (const ev of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(c.prevented(ev, 'https://example.com/'), ev).toBe(true);
      expect(c.prevented(ev, 'file:///etc/passwd'), ev).toBe(true);
      expect(c.prevented(ev, 'app://other/index.html'), ev).toBe(true);
      expect(c.prevented(ev, 'not a url'), ev).toBe(true);
      expect(c.prevented(ev, `${APP_ORIGIN}/index.html#/tickets`), ev).toBe(false);
      expect(c.preventedByDetails(ev, 'https://example.com/'), ev).toBe(true);
      expect(c.preventedByDetails(ev, `${APP_ORIGIN}/index.html`), ev).toBe(false);
    }
  });

  it('denies every window.open and every <webview>', () => {
    const c = standIn();
    expect(c.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(c.open(`${APP_ORIGIN}/index.html`)).toEqual({ action: 'deny' });
    expect(c.prevented('will-attach-webview')).toBe(true);
  });

  it('denies every permission request and check', () => {
    let request: any, check: any, device: any;
    const s: SessionLike = {
      setPermissionRequestHandler: (fn) => (request = fn),
      setPermissionCheckHandler: (fn) => (check = fn),
      setDevicePermissionHandler: (fn) => (device = fn),
    };
    denyPermissions(s);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'usb', 'hid', 'serial', 'openExternal']) {
      let granted: boolean | null = null;
      request({}, p, (g: boolean) => (granted = g));
      expect(granted, p).toBe(false);
      expect(check({}, p), p).toBe(false);
    }
    expect(device({})).toBe(false);
  });
});

describe('the packaged app\'s fuses', () => {
  it('turn off RunAsNode, NODE_OPTIONS and --inspect, turn on cookie encryption, ASAR integrity and ASAR-only loading', async () => {
    const { FuseV1Options } = await import('@electron/fuses');
    const { fuseConfig }: any = await import(pathToFileURL(join(root, 'build', 'fuses.mjs')).href);
    expect(fuseConfig.strictlyRequireAllFuses).toBe(true);
    expect(fuseConfig[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(fuseConfig[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuseConfig[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuseConfig[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });
});
