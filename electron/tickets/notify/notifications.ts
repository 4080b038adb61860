// The two events that send e-mail: a sync ending, and a lent unit turning late or overdue (R7).
// Both only queue rows and start a background flush; neither can fail or slow the caller's job.
import { logLine } from '../../system/log.ts';
import { parseEmailList } from '../model/validate.ts';
import type { ReturnState } from '../model/return-clock.ts';
import { syncEndedText, returnStateText, type SyncSummary } from '../model/notification-text.ts';
import type { TicketInput } from '../model/ticket-schema.ts';
import { TicketStore } from '../store.ts';
import type { Db } from '../db.ts';
import { kickOutbox, queueNotification, type FlushOptions, type OutboxEntry } from './outbox.ts';

export type { SyncSummary } from '../model/notification-text.ts';

export interface NotifyOptions {
  db?: Db;
  now?: () => Date;
  /** Start a background flush after queueing (default true). */
  flush?: boolean;
  send?: FlushOptions['send'];
}

function emails(request: TicketInput): string[] {
  const r = parseEmailList(request.notifyEmails);
  return 'emails' in r ? r.emails : [];
}

/**
 * Tells the ticket's notification addresses (R10) that its sync ended, with the summary.
 * Returns the queued entry, or null when there is nobody to tell or the ticket is unknown.
 * Never throws: a notification problem must not turn a finished sync into a failed one.
 */
export function notifySyncEnded(ticketId: string, summary: SyncSummary, opts: NotifyOptions = {}): OutboxEntry | null {
  try {
    const store = new TicketStore({ db: opts.db, now: opts.now });
    const t = store.get(ticketId);
    const to = emails(t.request);
    if (!to.length) {
      logLine('notify', { ticketId: t.id, kind: 'sync-ended', skipped: 'no notification e-mails on the ticket' });
      return null;
    }
    const { subject, text } = syncEndedText(t.request, summary);
    const entry = queueNotification(store.db, { kind: 'sync-ended', ticketId: t.id, recipients: to, subject, body: text }, store.now());
    if (opts.flush !== false) kickOutbox({ db: store.db, now: opts.now, send: opts.send });
    return entry;
  } catch (e) {
    logLine('notify', { ticketId, kind: 'sync-ended', error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}

export interface ReturnClockChange {
  ticketId: string;
  from: ReturnState;
  to: ReturnState;
  /** The notification queued for this change, if one was. */
  notification: OutboxEntry | null;
}

/**
 * Walks every unit out with a partner, records return-clock changes on the ticket (audited), and
 * queues one notification per ticket when it turns late and one when it turns overdue. Run it on a
 * timer and at start-up; running it twice queues nothing twice.
 */
export function checkReturnClocks(now: Date = new Date(), opts: NotifyOptions = {}): ReturnClockChange[] {
  const store = new TicketStore({ db: opts.db, now: () => now });
  const changes: ReturnClockChange[] = [];
  for (const id of store.openDeliveredIds()) {
    const change = store.recordReturnState(id, now, ({ to }, t) => {
      if (to !== 'late' && to !== 'overdue') return null;
      // R7's notice goes to the partner: its technical contact as well as the ticket's notification list.
      const recipients = [...new Set([...emails(t.request), t.request.contact.email])];
      const { subject, text } = returnStateText(t.request, t.returnClock, t.fees);
      return queueNotification(store.db, { kind: `return-${to}`, ticketId: id, recipients, subject, body: text, dedupeKey: `return:${id}:${to}` }, now);
    });
    if (change) changes.push({ ticketId: id, from: change.from, to: change.to, notification: change.result });
  }
  if (opts.flush !== false && changes.some((c) => c.notification)) kickOutbox({ db: store.db, now: opts.now, send: opts.send });
  return changes;
}
