// Every IPC message the main process handles must come from the app's own page: the top frame of
// a window showing app://bench. A message from any other frame or origin (a remote page that got
// loaded somehow, an iframe) is refused before the engine hears of it.
import { isAppUrl } from './protocol.ts';

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface SenderLike {
  senderFrame?: { url: string; parent?: unknown | null } | null;
}

export function isTrustedSender(event: SenderLike): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent) return false;
  return isAppUrl(frame.url);
}

export class ForgedSenderError extends Error {
  constructor(url: string | undefined) {
    super(`Refused an IPC message from ${url ?? 'an unknown frame'}: only the app's own page may talk to the engine.`);
    this.name = 'ForgedSenderError';
  }
}

/** Wraps an ipcMain.handle handler so it runs only for the app's own page. */
export function guarded<A extends unknown[], R>(handler: (...args: A) => R): (event: SenderLike, ...args: A) => R {
  return (event, ...args) => {
    if (!isTrustedSender(event)) throw new ForgedSenderError(event.senderFrame?.url);
    return handler(...args);
  };
}
