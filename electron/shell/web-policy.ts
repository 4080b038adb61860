// What every web contents of the app may do: nothing outside the app. Navigation away from the
// app's origin, new windows and <webview> are refused; every permission request (camera, USB,
// notifications, …) is denied. Takes Electron's objects as parameters (main.ts passes them), so the
// tests run it with stand-ins.
import { isAppUrl } from './protocol.ts';

interface Preventable {
  preventDefault(): void;
  /** will-frame-navigate gives the URL only here; will-navigate and will-redirect here and as an argument. */
  url?: string;
}

/** The parts of a WebContents this policy uses. */
export interface ContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', fn: (e: Preventable, url?: string) => void): unknown;
  on(event: 'will-attach-webview', fn: (e: Preventable) => void): unknown;
  setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' | 'allow' }): void;
}

/** The parts of a Session this policy uses. */
export interface SessionLike {
  setPermissionRequestHandler(fn: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(fn: ((wc: unknown, permission: string) => boolean) | null): void;
  setDevicePermissionHandler?(fn: ((details: unknown) => boolean) | null): void;
}

export function lockDownContents(contents: ContentsLike): void {
  // Hash changes stay in the page and never reach these events.
  const stayHome = (e: Preventable, url?: string) => {
    if (!isAppUrl(e.url ?? url ?? '')) e.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function denyPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}
