// How the bench's pages are served: their files' content types, the Content-Security-Policy and security headers, one policy for both ways
// the renderer is served: `roundtrip serve` (hosts/renderer-files.ts, which adds its WebSocket) and
// the desktop app's app:// protocol (shell/csp.ts, which needs no socket: the engine is behind the
// preload's bridge). The page loads only its own files, runs no eval and no inline script, and
// cannot be framed. Pure.

export interface PagePolicyOptions {
  /** Extra connect-src sources (the serve host's WebSocket); none in the app. */
  connect?: string[];
  /** Inline style sheets allowed by hash ('sha256-…'), such as the kept-unit report's. */
  styleHashes?: string[];
}

export function pagePolicy(opts: PagePolicyOptions = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    ["style-src 'self'", ...(opts.styleHashes ?? [])].join(' '),
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...(opts.connect ?? [])].join(' '),
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every page and asset is sent with, around `policy`. */
export function pageSecurityHeaders(policy: string): Record<string, string> {
  return {
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** The content type of each kind of file the renderer's build holds; any other kind is not served. */
export const PAGE_FILE_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};
