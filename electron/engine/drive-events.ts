// Hot-plug as engine events: the drive watch (drives/watch.ts) publishes drives.changed while at
// least one host wants it (serve and the stdio engine do, for their windows; the CLI does not).
// One watch for every host in the process; it stops when the last of them lets go.
import type { DriveEvent, DriveWatcher } from '../drives/watch.ts';
import { logLine } from '../system/log.ts';
import { publish } from './events.ts';

let users = 0;
let watching: Promise<DriveWatcher> | null = null;

async function startWatch(opts: { intervalMs?: number; includeLoops?: boolean }): Promise<DriveWatcher> {
  const { DriveWatcher } = await import('../drives/watch.ts');
  // Once a second is quick enough for a person plugging a drive in, and keeps enumerate (which
  // asks ZFS about pools) out of the way of a running sync.
  const w = new DriveWatcher({ intervalMs: opts.intervalMs ?? 1000, fullEveryMs: 15_000, includeLoops: opts.includeLoops });
  const forward = (e: DriveEvent) => publish('drives.changed', { type: e.type, device: e.drive.device, drive: e.drive as never, at: e.at });
  for (const t of ['drive-added', 'drive-removed', 'drive-changed'] as const) w.on(t, forward);
  w.on('poll-error', (e) => logLine('drives', { op: 'drive events', failed: String(e) }));
  await w.start().catch((e: unknown) => logLine('drives', { op: 'drive events start', failed: String(e) }));
  return w;
}

/** Starts publishing drives.changed; the returned function stops this host's share of it. */
export async function startDriveEvents(opts: { intervalMs?: number; includeLoops?: boolean } = {}): Promise<() => void> {
  users++;
  watching ??= startWatch(opts);
  await watching;
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--users === 0 && watching) {
      // Stopped once its start is done, so no timer it set up afterwards is left running.
      void watching.then((w) => w.stop());
      watching = null;
    }
  };
}
