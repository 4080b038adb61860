// The built renderer (dist/renderer, from `vite build`) as `roundtrip serve` hands it to a
// browser: index.html only with the session token, its assets to anyone on 127.0.0.1 (they are
// the app's public code, no data), nothing outside the build folder, and a Content-Security-Policy
// that lets the page load only its own files and talk only to this server's WebSocket.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { PAGE_FILE_TYPES, pagePolicy, pageSecurityHeaders } from '../api/page-policy.ts';
import { KEPT_REPORT_CSS } from '../merge/kept-report-html.ts';

export const RENDERER_DIR = join(import.meta.dirname, '..', '..', 'dist', 'renderer');

const TYPES = PAGE_FILE_TYPES;

export interface StaticAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/**
 * The kept-unit report's style sheet by its hash: the report opens in a tab of its own (a blob: URL,
 * which inherits this policy) and is styled there; no other inline style is allowed.
 */
const KEPT_REPORT_STYLE = `'sha256-${createHash('sha256').update(KEPT_REPORT_CSS).digest('base64')}'`;

/** The policy every page of the app is sent with. `port` is the server's, for its WebSocket. */
export function contentSecurityPolicy(port: number): string {
  return pagePolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`], styleHashes: [KEPT_REPORT_STYLE] });
}

function securityHeaders(port: number): Record<string, string> {
  return pageSecurityHeaders(contentSecurityPolicy(port));
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RoundTrip Bench</title></head>
<body style="font:15px system-ui,sans-serif;margin:2rem"><h1>RoundTrip Bench</h1>
<p>The engine is running, but the bench's screens are not built on this machine. Run <code>npm run build:renderer</code> (or <code>npm run lab</code>, which builds them) and reload this page.</p></body></html>`;

/** The answer for a path under the build folder, or null when the path is not one of its files. */
export function rendererFile(pathname: string, port: number, dir = RENDERER_DIR): StaticAnswer | null {
  const headers = securityHeaders(port);
  if (pathname === '/' || pathname === '/index.html') {
    const index = join(dir, 'index.html');
    if (!existsSync(index)) return { status: 503, headers: { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-store' }, body: NOT_BUILT };
    return { status: 200, headers: { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-store' }, body: readFileSync(index) };
  }
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Only plain relative names: no "..", no NUL, no backslashes; the resolved file must stay inside.
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').includes('..')) return null;
  const file = normalize(join(dir, rel));
  if (!file.startsWith(dir + sep)) return null;
  const type = TYPES[extname(file)];
  if (!type || !existsSync(file) || !statSync(file).isFile()) return null;
  // Vite names assets by their content hash: they never change under one name.
  return { status: 200, headers: { ...headers, 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' }, body: readFileSync(file) };
}
