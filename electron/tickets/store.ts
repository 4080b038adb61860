// The ticket store: validated requests and their checklist in SQLite. Every write is one
// transaction that also appends its audit entry, so a ticket and its trail never disagree, and
// nothing is written until the whole input has passed validation.
import { AppError } from '../api/errors.ts';
import { anchorAudit, appendAuditIn } from './audit.ts';
import { openTicketDb, writeTx, type Db } from './db.ts';
import { parseTicketJson, requestFromImport, toExport, type TicketExport } from './model/exchange.ts';
import { isClosed, planStep, stepRecord, type AdvanceOptions, type Step, type StepRecord } from './model/lifecycle.ts';
import { requiredPackingItems } from './model/packing.ts';
import { returnClock, type ReturnState } from './model/return-clock.ts';
import { computeTicketFees, type TicketFees } from './model/ticket-fees.ts';
import { canonicalTicketNumber, TICKET_NUMBER_RULE, type TicketInput } from './model/ticket-schema.ts';
import { ticketView, type Ticket, type TicketRecord } from './model/ticket-view.ts';
import { validateTicketInput } from './model/validate.ts';
import { getTicketSettings } from './settings.ts';

export interface TicketStoreOptions {
  /** Database file; defaults to appPath('tickets.db'). */
  path?: string;
  db?: Db;
  /** The clock; tests set it to walk through the return deadlines. */
  now?: () => Date;
}

export interface TicketFilter {
  /** Only tickets that are not returned or kept. */
  open?: boolean;
  direction?: 'forward' | 'reverse';
}

interface TicketRow {
  id: string;
  direction: string;
  request: string;
  fees: string;
  return_state: string;
  closed: number;
  created_at: string;
  created_by: string;
  updated_at: string;
}

interface StepRow {
  step: string;
  by: string;
  at: string;
  data: string;
}

function requireActor(by: string | undefined, what: string): string {
  const s = typeof by === 'string' ? by.trim() : '';
  if (!s) throw new AppError('BAD_INPUT', `Say who ${what} (a name).`);
  return s.slice(0, 80);
}

/** Top-level request fields whose value differs, for the audit entry of an update. */
function changedFields(a: TicketInput, b: TicketInput): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof TicketInput>;
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

export class TicketStore {
  readonly db: Db;
  readonly now: () => Date;

  constructor(opts: TicketStoreOptions = {}) {
    this.db = opts.db ?? openTicketDb(opts.path);
    this.now = opts.now ?? (() => new Date());
  }

  /** The canonical id for "T1234567" or "1234567"; TICKET_NOT_FOUND for anything that cannot be one. */
  static idOf(ticketId: string): string {
    const id = canonicalTicketNumber(String(ticketId));
    if (!id) throw new AppError('TICKET_NOT_FOUND', `"${ticketId}" is not a ticket number (${TICKET_NUMBER_RULE}).`);
    return id;
  }

  private record(id: string): TicketRecord | null {
    const row = this.db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as TicketRow | undefined;
    if (!row) return null;
    const steps = (this.db.prepare('SELECT step, by, at, data FROM ticket_steps WHERE ticket_id = ? ORDER BY seq').all(id) as StepRow[]).map(
      (s) => ({ ...(JSON.parse(s.data) as object), step: s.step as Step, by: s.by, at: s.at }) as StepRecord,
    );
    return {
      id: row.id,
      request: JSON.parse(row.request) as TicketInput,
      steps,
      storedFees: JSON.parse(row.fees) as TicketFees,
      createdAt: row.created_at,
      createdBy: row.created_by,
      updatedAt: row.updated_at,
    };
  }

  private mustRecord(ticketId: string): TicketRecord {
    const id = TicketStore.idOf(ticketId);
    const rec = this.record(id);
    if (!rec) throw new AppError('TICKET_NOT_FOUND', `There is no ticket ${id} on this bench.`, { hint: 'Run "roundtrip ticket list" to see the tickets, or import the request form.' });
    return rec;
  }

  private view(rec: TicketRecord, now = this.now(), settings = getTicketSettings(this.db)): Ticket {
    return ticketView(rec, now, settings.replacementFeesUsd, settings.dataCenters);
  }

  private fees(rec: Pick<TicketRecord, 'request' | 'steps' | 'storedFees'>, now: Date): TicketFees {
    return computeTicketFees({ request: rec.request, steps: rec.steps, now, replacementFees: getTicketSettings(this.db).replacementFeesUsd, previous: rec.storedFees });
  }

  find(ticketId: string): Ticket | null {
    const id = canonicalTicketNumber(String(ticketId));
    const rec = id ? this.record(id) : null;
    return rec ? this.view(rec) : null;
  }

  get(ticketId: string): Ticket {
    return this.view(this.mustRecord(ticketId));
  }

  list(filter: TicketFilter = {}): Ticket[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.open) where.push('closed = 0');
    if (filter.direction) (where.push('direction = ?'), args.push(filter.direction));
    const ids = this.db.prepare(`SELECT id FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`).all(...args) as Array<{ id: string }>;
    const now = this.now();
    const settings = getTicketSettings(this.db);
    return ids.map(({ id }) => this.view(this.record(id)!, now, settings));
  }

  /** Validates the whole request, then stores it with its audit entry, or stores nothing. */
  create(raw: unknown, by: string, opts: { action?: 'ticket.create' | 'ticket.import' } = {}): Ticket {
    const actor = requireActor(by, 'is creating the ticket');
    const request = validateTicketInput(raw);
    const now = this.now();
    const fees = this.fees({ request, steps: [] }, now);
    writeTx(this.db, () => {
      const existing = this.db.prepare('SELECT created_at, created_by FROM tickets WHERE id = ?').get(request.ticketNumber) as
        | { created_at: string; created_by: string }
        | undefined;
      if (existing) {
        const message = `A ticket with number ${request.ticketNumber} already exists (created ${existing.created_at.slice(0, 10)} by ${existing.created_by}).`;
        throw new AppError('TICKET_INVALID', message, { data: { fields: [{ field: 'ticketNumber', message }] } });
      }
      this.db
        .prepare('INSERT INTO tickets (id, direction, request, fees, return_state, closed, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)')
        .run(request.ticketNumber, request.direction, JSON.stringify(request), JSON.stringify(fees), returnClock(request, [], now).state, now.toISOString(), actor, now.toISOString());
      appendAuditIn(
        this.db,
        {
          actor,
          action: opts.action ?? 'ticket.create',
          ticketId: request.ticketNumber,
          details: { direction: request.direction, format: request.format, systems: request.systems.map((s) => s.name), unit: request.unit, disasterRecovery: request.disasterRecovery },
        },
        now,
      );
    });
    anchorAudit(this.db);
    return this.get(request.ticketNumber);
  }

  /**
   * Replaces the request form (fixing a typo, adding a tracking number). Allowed until the sync is
   * recorded: after that the unit's contents follow the old request and it must not silently change.
   */
  update(ticketId: string, raw: unknown, by: string): Ticket {
    const actor = requireActor(by, 'is changing the ticket');
    const rec = this.mustRecord(ticketId);
    const request = validateTicketInput(raw);
    if (request.ticketNumber !== rec.id) {
      const message = `The ticket number cannot change (this is ticket ${rec.id}); create a new ticket instead.`;
      throw new AppError('TICKET_INVALID', message, { data: { fields: [{ field: 'ticketNumber', message }] } });
    }
    if (stepRecord(rec.steps, 'synced')) {
      throw new AppError('TICKET_BAD_TRANSITION', `Ticket ${rec.id}: the request cannot change after the sync was recorded; the unit already holds what it asked for.`);
    }
    const changed = changedFields(rec.request, request);
    if (!changed.length) return this.view(rec);
    const now = this.now();
    const fees = this.fees({ ...rec, request }, now);
    writeTx(this.db, () => {
      this.db.prepare('UPDATE tickets SET direction = ?, request = ?, fees = ?, updated_at = ? WHERE id = ?').run(request.direction, JSON.stringify(request), JSON.stringify(fees), now.toISOString(), rec.id);
      appendAuditIn(this.db, { actor, action: 'ticket.update', ticketId: rec.id, details: { changed } }, now);
    });
    anchorAudit(this.db);
    return this.get(rec.id);
  }

  /** Records the next checklist step (R17); refuses a step out of order with TICKET_BAD_TRANSITION. */
  advance(ticketId: string, step: string, opts: AdvanceOptions): Ticket {
    const id = TicketStore.idOf(ticketId);
    const now = this.now();
    writeTx(this.db, () => {
      // Read inside the write transaction so two benches advancing the same ticket cannot both pass the check.
      const rec = this.mustRecord(id);
      const settings = getTicketSettings(this.db);
      const prev = rec.storedFees?.replacement;
      const rec2 = planStep(rec, step, opts, now, {
        requiredItems: requiredPackingItems(rec.request),
        replacementUsd: prev?.due && prev.fixedAt ? prev.listUsd : settings.replacementFeesUsd[rec.request.unit.kind],
      });
      const steps = [...rec.steps, rec2];
      const fees = this.fees({ ...rec, steps }, now);
      const { step: s, by, at, ...data } = rec2;
      this.db.prepare('INSERT INTO ticket_steps (ticket_id, seq, step, by, at, data) VALUES (?, ?, ?, ?, ?, ?)').run(id, steps.length, s, by, at, JSON.stringify(data));
      this.db.prepare('UPDATE tickets SET fees = ?, closed = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(fees), isClosed(steps) ? 1 : 0, now.toISOString(), id);
      appendAuditIn(this.db, { actor: by, action: 'ticket.advance', ticketId: id, details: { step: s, at, ...data, feesUsd: fees.totalUsd } }, now);
    });
    anchorAudit(this.db);
    return this.get(id);
  }

  exportTicket(ticketId: string): TicketExport {
    const t = this.get(ticketId);
    return toExport(t.request, this.now(), { steps: t.steps, fees: t.fees });
  }

  /** Imports a request form or an export (as text or parsed JSON); validated exactly like create. */
  importTicket(doc: unknown, by: string, source = 'The import'): Ticket {
    const parsed = typeof doc === 'string' ? parseTicketJson(doc, source) : doc;
    return this.create(requestFromImport(parsed), by, { action: 'ticket.import' });
  }

  /**
   * Stores a new return-clock state and the fees that follow from it, for the return checker.
   * `then` runs inside the same transaction (queueing the notice), so a crash cannot record the
   * change and lose its notification. Returns null when the state did not change.
   */
  recordReturnState<T>(ticketId: string, now: Date, then: (change: { from: ReturnState; to: ReturnState }, t: Ticket) => T): { from: ReturnState; to: ReturnState; result: T } | null {
    const id = TicketStore.idOf(ticketId);
    const out = writeTx(this.db, () => {
      const rec = this.mustRecord(id);
      const row = this.db.prepare('SELECT return_state FROM tickets WHERE id = ?').get(id) as { return_state: ReturnState };
      const to = returnClock(rec.request, rec.steps, now).state;
      if (to === row.return_state) return null;
      const fees = this.fees(rec, now);
      this.db.prepare('UPDATE tickets SET return_state = ?, fees = ?, updated_at = ? WHERE id = ?').run(to, JSON.stringify(fees), now.toISOString(), id);
      appendAuditIn(this.db, { actor: 'engine', action: 'ticket.return-state', ticketId: id, details: { from: row.return_state, to, feesUsd: fees.totalUsd } }, now);
      const change = { from: row.return_state, to };
      return { ...change, result: then(change, this.view({ ...rec, storedFees: fees }, now)) };
    });
    if (out) anchorAudit(this.db);
    return out;
  }

  /** Ids of tickets whose unit is out with a partner (delivered, not returned or kept). */
  openDeliveredIds(): string[] {
    const rows = this.db
      .prepare("SELECT t.id FROM tickets t JOIN ticket_steps s ON s.ticket_id = t.id AND s.step = 'delivered' WHERE t.closed = 0 AND t.direction = 'reverse' ORDER BY t.id")
      .all() as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
}
