// The Content-Security-Policy every page of the desktop app is sent with (by the app:// protocol
// handler, protocol.ts): the page loads only its own files, runs no eval, talks to nothing on the
// network (the engine is reached through the preload's bridge, not a socket), and cannot be framed.
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers sent with every answer of the app:// protocol. */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': APP_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}
