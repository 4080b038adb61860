// The engine's start-up resume of what a killed engine's sync left paused (recover.ts), as a
// promise a sync's pause waits for: in one engine the left-over resume always comes before a new
// pause, never after it. Kept apart from recover.ts so a host notes it without loading the store.
let pending: Promise<void> = Promise.resolve();

export function noteRecovery(p: Promise<void>): void {
  pending = p.catch(() => undefined);
}

export function recovered(): Promise<void> {
  return pending;
}
