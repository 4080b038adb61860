// Hot-plug: emits drive-added / drive-removed / drive-changed. Polls a cheap fingerprint of the
// kernel's block devices, mounts, registered drives and drive locks every `intervalMs`; a full listing
// runs only when the fingerprint moved (and every `fullEveryMs`, for changes only blkid can see,
// such as a new filesystem). Polling works with or without udev, which this VM lacks.
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { logLine } from '../system/log.ts';
import { appPath } from '../system/paths.ts';
import { enumerate, type EnumerateOptions } from './enumerate.ts';
import { registryFile } from './registered-drives.ts';
import type { JudgedDrive } from './types.ts';

export type DriveEventType = 'drive-added' | 'drive-removed' | 'drive-changed';

export interface DriveEvent {
  type: DriveEventType;
  drive: JudgedDrive;
  /** For drive-changed: how it looked before. */
  previous?: JudgedDrive;
  /** When the change was seen (ms since epoch). */
  at: number;
}

export interface WatchOptions extends EnumerateOptions {
  intervalMs?: number;
  fullEveryMs?: number;
}

function readOr(path: string, fallback = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function statKey(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** Everything whose change may change the listing, read from /proc and /sys without running a tool. */
export function fingerprint(): string {
  const parts: string[] = [readOr('/proc/partitions'), readOr('/proc/self/mountinfo'), readOr('/proc/swaps')];
  let blocks: string[] = [];
  try {
    blocks = readdirSync('/sys/block');
  } catch {
    /* not Linux */
  }
  for (const b of blocks) {
    parts.push(`${b}:${readOr(`/sys/block/${b}/size`)}:${readOr(`/sys/block/${b}/ro`)}:${readOr(`/sys/block/${b}/diskseq`)}`);
  }
  parts.push(statKey(registryFile()));
  try {
    parts.push(readdirSync(appPath('locks')).map((f) => `${f}:${statKey(appPath('locks', f))}`).join(','));
  } catch {
    parts.push('no-locks');
  }
  return parts.join('\n');
}

function key(d: JudgedDrive): string {
  return JSON.stringify(d);
}

export class DriveWatcher extends EventEmitter {
  private timer: NodeJS.Timeout | null = null;
  private drives = new Map<string, JudgedDrive>();
  private lastPrint = '';
  private lastFull = 0;
  private polling = false;
  private readonly intervalMs: number;
  private readonly fullEveryMs: number;

  constructor(private readonly opts: WatchOptions = {}) {
    super();
    this.intervalMs = opts.intervalMs ?? 250;
    this.fullEveryMs = opts.fullEveryMs ?? 5_000;
  }

  /** Reads the current drives (no events for them) and starts watching. */
  async start(): Promise<JudgedDrive[]> {
    this.lastPrint = fingerprint();
    const listing = await enumerate(this.opts);
    this.lastFull = Date.now();
    this.drives = new Map(listing.drives.map((d) => [d.device, d]));
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref?.();
    return this.current();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  current(): JudgedDrive[] {
    return [...this.drives.values()];
  }

  /** One poll; exposed so callers (and tests) can force a look now. */
  async poll(force = false): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const print = fingerprint();
      const due = Date.now() - this.lastFull >= this.fullEveryMs;
      if (!force && !due && print === this.lastPrint) return;
      this.lastPrint = print;
      const listing = await enumerate(this.opts);
      this.lastFull = Date.now();
      const at = Date.now();
      const next = new Map(listing.drives.map((d) => [d.device, d]));
      for (const [dev, old] of this.drives) {
        const now = next.get(dev);
        if (!now || now.diskseq !== old.diskseq) this.emit('drive-removed', { type: 'drive-removed', drive: old, at } satisfies DriveEvent);
      }
      for (const [dev, now] of next) {
        const old = this.drives.get(dev);
        if (!old || old.diskseq !== now.diskseq) this.emit('drive-added', { type: 'drive-added', drive: now, at } satisfies DriveEvent);
        else if (key(old) !== key(now)) this.emit('drive-changed', { type: 'drive-changed', drive: now, previous: old, at } satisfies DriveEvent);
      }
      this.drives = next;
    } catch (e) {
      logLine('drives', { op: 'watch poll', failed: String(e) });
      this.emit('poll-error', e);
    } finally {
      this.polling = false;
    }
  }
}

/** Starts a watcher; stop it with `.stop()`. */
export async function watchDrives(opts: WatchOptions = {}): Promise<DriveWatcher> {
  const w = new DriveWatcher(opts);
  await w.start();
  return w;
}
