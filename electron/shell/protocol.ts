// The app:// protocol that serves the built renderer (dist/renderer) to the window: no file://, no
// remote content. `app://bench/…` maps to files inside the build folder only: a path that leaves it
// (.., encoded or not), another host, or an unknown file type is refused. Plain data in, plain data
// out: main.ts turns the answer into a Response.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { PAGE_FILE_TYPES } from '../api/page-policy.ts';
import { securityHeaders } from './csp.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * How the scheme is registered (protocol.registerSchemesAsPrivileged): standard and secure so the
 * page has an origin of its own and counts as a secure context; no CSP bypass, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, bypassCSP: false, allowServiceWorkers: false, corsEnabled: false, stream: false },
} as const;

const TYPES = PAGE_FILE_TYPES;

/**
 * True for a URL of the app's own origin. Compared by scheme and host: WHATWG URL gives a
 * non-special scheme the origin "null", while Electron treats app:// as a standard scheme.
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}

export interface AppAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

function refused(status: number, why: string): AppAnswer {
  return { status, headers: { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' }, body: why };
}

/** The answer for one app:// request: a file of the build folder `dir`, or a refusal. */
export function appFile(url: string, dir: string): AppAnswer {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return refused(400, 'not a URL');
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return refused(404, 'not this app');
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
  } catch {
    return refused(400, 'bad path');
  }
  // Only plain relative names: no "..", no NUL, no backslashes; the resolved file must stay inside.
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').includes('..')) return refused(404, 'outside the app');
  const root = normalize(dir);
  const file = normalize(join(root, rel));
  if (!file.startsWith(root + sep)) return refused(404, 'outside the app');
  const type = TYPES[extname(file)];
  if (!type || !existsSync(file) || !statSync(file).isFile()) return refused(404, 'no such file');
  return { status: 200, headers: { ...securityHeaders(), 'content-type': type }, body: readFileSync(file) };
}
