// What happened to the test run as a whole (zfs-fuse restarted by the watchdog or at setup), kept
// for the summary printed at its end (tail-summary-reporter.ts). On globalThis: the global setup
// and the reporter run in vitest's main process but may each load their own copy of this module.
const KEY = Symbol.for('roundtrip.test.runEvents');
type Holder = { [KEY]?: string[] };

/** Records one event, with the time of day (UTC) it happened. */
export function recordRunEvent(text: string): void {
  const g = globalThis as Holder;
  (g[KEY] ??= []).push(`${new Date().toISOString().slice(11, 19)} ${text}`);
}

/** The events so far, oldest first. */
export function runEvents(): string[] {
  return [...((globalThis as Holder)[KEY] ?? [])];
}
