// The audit trail: every ticket state change and every destructive action (erase, format, rollback,
// merge), as a hash chain in the ticket database. Each entry's hash covers its own fields and the
// previous entry's hash, so editing, removing or reordering an entry breaks the chain; the last
// entry's hash is also copied to a small "head" file beside the database, which catches the one
// thing a chain alone cannot: entries cut off its end.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { redact } from '../system/log.ts';
import { openTicketDb, writeTx, type Db } from './db.ts';
import { canonicalTicketNumber } from './model/ticket-schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  /** Who did it: a technician's name, or "engine"/"lab" for automatic actions. */
  actor: string;
  /** A dotted verb: ticket.create, ticket.advance, drive.erase, drive.format, zfs.rollback, merge.apply ... */
  action: string;
  ticketId?: string;
  /** Facts about the action. Secret-looking fields (passphrase, password, token, key) are redacted. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ticketId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type AuditTamperKind = 'edited' | 'removed' | 'reordered';

export type AuditVerdict =
  | { ok: true; entries: number; head: 'ok' | 'behind' | 'missing' }
  | { ok: false; entries: number; seq: number; kind: AuditTamperKind; message: string };

/** JSON with object keys sorted at every level and undefined dropped: the same bytes on every run. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, ticketId, details, prevHash } = e;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, ticketId, details, prevHash })).digest('hex');
}

const ACTION_RE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ticket_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

function fromRow(r: Row): AuditEntry {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(r.details) as Record<string, unknown>;
  } catch {
    // Unparseable details are themselves tampering; keep the text so the hash check fails on it.
    details = { unparseable: r.details };
  }
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, ticketId: r.ticket_id, details, prevHash: r.prev_hash, hash: r.hash };
}

/**
 * Appends inside the caller's transaction (the store uses this so a state change and its entry
 * commit together). Call anchorAudit(db) after the commit.
 */
export function appendAuditIn(db: Db, input: AuditInput, at: Date): AuditEntry {
  const actor = String(input.actor ?? '').trim();
  if (!actor) throw new AppError('BAD_INPUT', 'An audit entry needs the actor: who did it.');
  if (!ACTION_RE.test(input.action)) {
    throw new AppError('BAD_INPUT', `"${input.action}" is not an audit action; use a dotted lower-case name such as drive.erase.`);
  }
  return writeTx(db, () => {
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const details = JSON.parse(canonicalJson(redact(input.details ?? {}))) as Record<string, unknown>;
    const base = {
      seq: (last?.seq ?? 0) + 1,
      at: at.toISOString(),
      actor: actor.slice(0, 120),
      action: input.action,
      // Callers may write "T1234567"; the trail uses the canonical number so a ticket's entries can be found.
      ticketId: input.ticketId === undefined ? null : (canonicalTicketNumber(String(input.ticketId)) ?? String(input.ticketId)),
      details,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...base, hash: entryHash(base) };
    db.prepare('INSERT INTO audit (seq, at, actor, action, ticket_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      entry.seq,
      entry.at,
      entry.actor,
      entry.action,
      entry.ticketId,
      canonicalJson(entry.details),
      entry.prevHash,
      entry.hash,
    );
    return entry;
  });
}

function headPath(db: Db): string | null {
  return db.memory || db.name === ':memory:' ? null : `${db.name}.audit-head`;
}

function readHead(db: Db): { seq: number; hash: string } | null {
  const p = headPath(db);
  if (!p || !existsSync(p)) return null;
  try {
    const h = JSON.parse(readFileSync(p, 'utf8')) as { seq: number; hash: string };
    return typeof h.seq === 'number' && typeof h.hash === 'string' ? h : null;
  } catch {
    return null;
  }
}

/** Copies the chain's last seq and hash to the head file; never moves it backwards. */
export function anchorAudit(db: Db): void {
  const p = headPath(db);
  if (!p) return;
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  if (!last) return;
  const cur = readHead(db);
  if (cur && cur.seq >= last.seq) return;
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ seq: last.seq, hash: last.hash }) + '\n');
  renameSync(tmp, p);
}

/**
 * The one call other modules need: record who did what. Synchronous, committed when it returns.
 * `appendAudit({ actor: 'jane', action: 'drive.erase', details: { device: '/dev/sdb', serial } })`
 */
export function appendAudit(input: AuditInput, opts: { db?: Db; now?: () => Date } = {}): AuditEntry {
  const db = opts.db ?? openTicketDb();
  const entry = appendAuditIn(db, input, (opts.now ?? (() => new Date()))());
  anchorAudit(db);
  return entry;
}

export function listAudit(opts: { db?: Db; ticketId?: string; action?: string; afterSeq?: number; limit?: number } = {}): AuditEntry[] {
  const db = opts.db ?? openTicketDb();
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.ticketId !== undefined) (where.push('ticket_id = ?'), args.push(opts.ticketId));
  if (opts.action !== undefined) (where.push('action = ?'), args.push(opts.action));
  if (opts.afterSeq !== undefined) (where.push('seq > ?'), args.push(opts.afterSeq));
  const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${opts.limit ? `LIMIT ${Math.max(1, Math.floor(opts.limit))}` : ''}`;
  return (db.prepare(sql).all(...args) as Row[]).map(fromRow);
}

/** The seq this entry's content was hashed with, if it is intact but sits at another position. */
function originalSeq(e: AuditEntry, maxSeq: number): number | null {
  for (let q = 1; q <= maxSeq; q++) if (q !== e.seq && entryHash({ ...e, seq: q }) === e.hash) return q;
  return null;
}

function fail(entries: number, seq: number, kind: AuditTamperKind, why: string): AuditVerdict {
  return { ok: false, entries, seq, kind, message: `The audit trail was tampered with: entry ${seq} ${why}.` };
}

/** Walks the chain and reports the first broken entry and how it was broken. */
export function verifyAudit(opts: { db?: Db } = {}): AuditVerdict {
  const db = opts.db ?? openTicketDb();
  const rows = (db.prepare('SELECT * FROM audit ORDER BY seq').all() as Row[]).map(fromRow);
  const n = rows.length;
  const head = readHead(db);
  const hashes = new Set(rows.map((r) => r.hash));
  const maxSeq = Math.max(rows[n - 1]?.seq ?? 0, head?.seq ?? 0) + n + 1;
  let expectedSeq = 1;
  let expectedPrev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const e = rows[i];
    if (entryHash(e) !== e.hash) {
      const q = originalSeq(e, maxSeq);
      if (q === null) return fail(n, e.seq, 'edited', 'was changed after it was written (its hash no longer matches its content)');
      // Intact content at the wrong position: moved (its predecessor still exists) or shifted up over a deleted entry.
      if (hashes.has(e.prevHash)) return fail(n, e.seq, 'reordered', `holds the entry written as number ${q}: entries were moved`);
      return fail(n, e.seq, 'removed', `holds the entry written as number ${q}: an earlier entry was deleted and the rest renumbered`);
    }
    if (e.seq !== expectedSeq) {
      return fail(n, expectedSeq, 'removed', `is missing (the chain jumps from ${expectedSeq - 1} to ${e.seq})`);
    }
    if (e.prevHash !== expectedPrev) {
      if (hashes.has(e.prevHash)) return fail(n, e.seq, 'reordered', 'follows a different entry than the one it was written after');
      const prevSeq = i === 0 ? e.seq : rows[i - 1].seq;
      return fail(n, prevSeq, 'edited', 'was rewritten (the next entry no longer links to it)');
    }
    expectedSeq = e.seq + 1;
    expectedPrev = e.hash;
  }
  if (head) {
    const last = rows[n - 1];
    if (!last || head.seq > last.seq) return fail(n, (last?.seq ?? 0) + 1, 'removed', `is missing: the trail ended at entry ${head.seq} but now ends at ${last?.seq ?? 0}`);
    const at = rows.find((r) => r.seq === head.seq);
    if (!at || at.hash !== head.hash) return fail(n, head.seq, 'edited', 'does not match the recorded head of the chain: the trail was rewritten');
    return { ok: true, entries: n, head: head.seq === last.seq ? 'ok' : 'behind' };
  }
  return { ok: true, entries: n, head: 'missing' };
}

/** verifyAudit for callers that want an exception. */
export function assertAuditIntact(opts: { db?: Db } = {}): void {
  const v = verifyAudit(opts);
  if (!v.ok) throw new AppError('AUDIT_TAMPERED', v.message, { data: { seq: v.seq, kind: v.kind } });
}
