// The Content-Security-Policy every page of the desktop app is sent with (by the app:// protocol
// handler, protocol.ts): the page loads only its own files, runs no eval, talks to nothing on the
// network (the engine is reached through the preload's bridge, not a socket), and cannot be framed.
// The same policy as `roundtrip serve`'s pages, less its WebSocket (api/page-policy.ts).
import { pagePolicy, pageSecurityHeaders } from '../api/page-policy.ts';

export const APP_CSP = pagePolicy();

/** Headers sent with every answer of the app:// protocol. */
export function securityHeaders(): Record<string, string> {
  return pageSecurityHeaders(APP_CSP);
}
