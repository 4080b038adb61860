// The notification outbox. A notification is first a row in the database (so it survives a crash
// and can be shown), then an attempt to send it. A failed attempt is retried with exponential
// backoff, forever: the outbox never drops a message, it shows it as "retrying" with the last error
// until the relay takes it. Sending runs beside the job that asked for it and never throws into it.
import { AppError } from '../../api/errors.ts';
import { logLine } from '../../system/log.ts';
import { openTicketDb, writeTx, type Db } from '../db.ts';
import { getTicketSettings } from '../settings.ts';
import { sendMail as realSend, type SendMail } from './mailer.ts';
import { passNotSetSentence, smtpPassword } from './smtp-secret.ts';

export type OutboxStatus = 'queued' | 'retrying' | 'sent';

export interface OutboxEntry {
  id: number;
  kind: string;
  ticketId: string | null;
  recipients: string[];
  subject: string;
  body: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NewNotification {
  kind: string;
  ticketId?: string;
  recipients: string[];
  subject: string;
  body: string;
  /** Queue at most one notification with this key, ever (e.g. "return:123456:late"). */
  dedupeKey?: string;
}

/** First retry after 30 s, doubling each time, never more than an hour apart. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 3_600_000;
/** While one sender works on a row, others leave it alone; a sender killed mid-send releases it after this. */
export const CLAIM_MS = 120_000;

export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}

interface Row {
  id: number;
  kind: string;
  ticket_id: string | null;
  recipients: string;
  subject: string;
  body: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

function fromRow(r: Row): OutboxEntry {
  return {
    id: r.id,
    kind: r.kind,
    ticketId: r.ticket_id,
    recipients: JSON.parse(r.recipients) as string[],
    subject: r.subject,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

/** Adds a notification; returns null when its dedupeKey was queued before (or nobody is to be told). */
export function queueNotification(db: Db, n: NewNotification, now: Date): OutboxEntry | null {
  if (!n.recipients.length) return null;
  return writeTx(db, () => {
    const r = db
      .prepare(
        "INSERT OR IGNORE INTO outbox (dedupe_key, kind, ticket_id, recipients, subject, body, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
      )
      .run(n.dedupeKey ?? null, n.kind, n.ticketId ?? null, JSON.stringify(n.recipients), n.subject, n.body, now.toISOString(), now.toISOString());
    if (!r.changes) return null;
    return fromRow(db.prepare('SELECT * FROM outbox WHERE id = ?').get(r.lastInsertRowid) as Row);
  });
}

export function listOutbox(opts: { db?: Db; ticketId?: string; pending?: boolean } = {}): OutboxEntry[] {
  const db = opts.db ?? openTicketDb();
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.ticketId !== undefined) (where.push('ticket_id = ?'), args.push(opts.ticketId));
  if (opts.pending) where.push("status != 'sent'");
  return (db.prepare(`SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...args) as Row[]).map(fromRow);
}

export interface FlushOptions {
  db?: Db;
  now?: () => Date;
  /** Try every unsent notification now, ignoring the backoff (a technician's "retry now"). */
  force?: boolean;
  /** The sender; tests and previews may pass their own. */
  send?: SendMail;
}

export interface FlushReport {
  tried: number;
  sent: number;
  failed: Array<{ id: number; error: string; nextAttemptAt: string }>;
}

async function flushOnce(opts: FlushOptions): Promise<FlushReport> {
  const db = opts.db ?? openTicketDb();
  const now = opts.now ?? (() => new Date());
  const send = opts.send ?? realSend;
  const start = now();
  // Claim due rows first so another process flushing the same database skips them.
  const claimed = writeTx(db, () => {
    const due = db
      .prepare(`SELECT * FROM outbox WHERE status != 'sent' ${opts.force ? '' : 'AND next_attempt_at <= ?'} ORDER BY id`)
      .all(...(opts.force ? [] : [start.toISOString()])) as Row[];
    const until = new Date(start.getTime() + CLAIM_MS).toISOString();
    const claim = db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE id = ?');
    for (const r of due) claim.run(until, r.id);
    return due.map(fromRow);
  });
  const report: FlushReport = { tried: claimed.length, sent: 0, failed: [] };
  if (!claimed.length) return report;
  const relay = getTicketSettings(db).smtp;
  const pass = relay?.user ? await smtpPassword(db).catch(() => undefined) : undefined;
  const smtp = relay ? { ...relay, ...(pass !== undefined ? { pass } : {}) } : null;
  for (const e of claimed) {
    try {
      if (!smtp) throw new Error('SMTP is not configured in the settings (host, port, sender).');
      // A relay with a user name needs its password: without one (after a restart in memory mode)
      // no login is tried blindly, the message stays queued and says why.
      if (smtp.user && smtp.pass === undefined) throw new AppError('NOTIFY_FAILED', passNotSetSentence());
      const res = await send(smtp, { to: e.recipients, subject: e.subject, text: e.body });
      const note = res.rejected.length ? `Delivered, but the relay refused: ${res.rejected.join(', ')}` : null;
      db.prepare("UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = ? WHERE id = ?").run(now().toISOString(), note, e.id);
      if (note) logLine('notify', { id: e.id, ticketId: e.ticketId, kind: e.kind, note });
      report.sent++;
    } catch (err) {
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      const attempts = e.attempts + 1;
      const next = new Date(now().getTime() + retryDelayMs(attempts)).toISOString();
      db.prepare("UPDATE outbox SET status = 'retrying', attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?").run(attempts, next, error, e.id);
      logLine('notify', { id: e.id, ticketId: e.ticketId, kind: e.kind, attempts, ...(err instanceof AppError ? { code: err.code } : {}), error, nextAttemptAt: next });
      report.failed.push({ id: e.id, error, nextAttemptAt: next });
    }
  }
  return report;
}

// One flush at a time per process: a kick during a flush waits its turn instead of double-sending.
let tail: Promise<unknown> = Promise.resolve();

/** Tries every due notification once. Resolves with what happened; does not throw for send failures. */
export function flushOutbox(opts: FlushOptions = {}): Promise<FlushReport> {
  const p = tail.then(() => flushOnce(opts));
  tail = p.catch(() => undefined);
  return p;
}

/** Starts a flush in the background: for callers inside a job, which must never wait on or fail by e-mail. */
export function kickOutbox(opts: FlushOptions = {}): void {
  flushOutbox(opts).catch((e) => logLine('notify', { error: e instanceof Error ? e.message : String(e), during: 'flush' }));
}

/** Resolves when every flush started so far has finished (tests, shutdown). */
export function outboxIdle(): Promise<void> {
  return tail.then(() => undefined);
}
