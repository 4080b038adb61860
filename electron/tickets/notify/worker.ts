// The engine's background duty for tickets: check return clocks and retry due notifications on a
// timer. Errors are logged and the next tick tries again; nothing here can stop the engine.
import { logLine } from '../../system/log.ts';
import type { Db } from '../db.ts';
import { checkReturnClocks } from './notifications.ts';
import { kickOutbox } from './outbox.ts';

export function startTicketWorker(opts: { db?: Db; intervalMs?: number; now?: () => Date } = {}): () => void {
  const now = opts.now ?? (() => new Date());
  const tick = () => {
    try {
      checkReturnClocks(now(), { db: opts.db, now, flush: false });
    } catch (e) {
      logLine('notify', { during: 'return-clock check', error: e instanceof Error ? e.message : String(e) });
    }
    kickOutbox({ db: opts.db, now });
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? 60_000);
  timer.unref?.();
  return () => clearInterval(timer);
}
