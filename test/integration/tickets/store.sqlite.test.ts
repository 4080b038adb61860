// The SQLite ticket store (better-sqlite3) on a real database file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../../electron/api/errors.ts';
import { listAudit, verifyAudit } from '../../../electron/tickets/audit.ts';
import { closeTicketDb, openTicketDb } from '../../../electron/tickets/db.ts';
import { migrate, SCHEMA_VERSION } from '../../../electron/tickets/migrations.ts';
import { getTicketSettings, saveTicketSettings, updateTicketSettings } from '../../../electron/tickets/settings.ts';
import { forgetSmtpPasswordForTest, setPassStoreForTest, smtpPassword } from '../../../electron/tickets/notify/smtp-secret.ts';
import { TicketStore } from '../../../electron/tickets/store.ts';
import { forwardRequest, reverseRequest } from '../../unit/tickets/fixtures.ts';
import { tempHome, TestClock } from './helpers.ts';

const home = tempHome();
afterAll(() => home.cleanup());

function count(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a throw');
}

describe('ticket store (SQLite)', () => {
  let clock: TestClock;
  let store: TicketStore;
  beforeAll(() => {
    clock = new TestClock('2025-03-01T09:00:00Z');
    store = new TicketStore({ now: clock.now });
  });

  it('opens tickets.db in the app home, in WAL mode, at the current schema version', () => {
    expect(store.db.name).toBe(join(home.dir, 'tickets.db'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('creates, reads back after a reopen, and lists tickets', () => {
    const t = store.create(reverseRequest(), 'jane');
    expect(t).toMatchObject({ id: '1234567', createdBy: 'jane', current: null, nextSteps: ['consultation'], closed: false });
    store.create(forwardRequest(), 'jane');
    closeTicketDb();
    const again = new TicketStore({ now: clock.now });
    expect(again.get('T1234567').request).toEqual(t.request);
    expect(again.list().map((x) => x.id)).toEqual(['1234567', '7654321']);
    expect(again.list({ direction: 'forward' }).map((x) => x.id)).toEqual(['7654321']);
    store = again;
  });

  it('writes nothing at all for invalid input or a duplicate number', () => {
    const before = { t: count(store.db, 'tickets'), a: count(store.db, 'audit') };
    const e = caught(() => store.create(reverseRequest({ ticketNumber: '99', notifyEmails: 'x y' }), 'jane'));
    expect(e.code).toBe('TICKET_INVALID');
    const dup = caught(() => store.create(reverseRequest({ notifyEmails: '' }), 'bob'));
    expect(dup.code).toBe('TICKET_INVALID');
    expect(dup.data!.fields).toEqual([{ field: 'ticketNumber', message: 'A ticket with number 1234567 already exists (created 2025-03-01 by jane).' }]);
    expect({ t: count(store.db, 'tickets'), a: count(store.db, 'audit') }).toEqual(before);
  });

  it('reports an unknown ticket as TICKET_NOT_FOUND', () => {
    expect(caught(() => store.get('5555555')).code).toBe('TICKET_NOT_FOUND');
    expect(caught(() => store.get('nope')).message).toMatch(/is not a ticket number/);
    expect(store.find('5555555')).toBeNull();
  });

  it('advances through the checklist, storing steps, fees and one audit entry per change', () => {
    const id = '1234567';
    const steps: Array<[string, object]> = [
      ['consultation', {}],
      ['details-verified', {}],
      ['estimate-confirmed', { bytes: 2.5e12 }],
      ['synced', { bytes: 3.2e12 }],
      ['verified', {}],
      ['packed', {}],
      ['shipped', { trackingNumber: '794612345678' }],
      ['delivered', {}],
    ];
    for (const [step, data] of steps) {
      clock.advanceMs(3_600_000);
      store.advance(id, step, { by: 'jane', ...data });
    }
    const t = store.get(id);
    expect(t.steps.map((s) => s.step)).toEqual(steps.map(([s]) => s));
    expect(t.fees.sync).toMatchObject({ usd: 150, basis: 'actual' });
    expect(t.returnClock.state).toBe('out');
    const stored = JSON.parse((store.db.prepare('SELECT fees FROM tickets WHERE id = ?').get(id) as { fees: string }).fees);
    expect(stored.sync.usd).toBe(150);
    const trail = listAudit({ db: store.db, ticketId: id });
    expect(trail.map((e) => e.action)).toEqual(['ticket.create', ...steps.map(() => 'ticket.advance')]);
    expect(trail.at(-1)!.details).toMatchObject({ step: 'delivered' });
    // Out of order and after-the-fact refusals change nothing.
    const n = count(store.db, 'ticket_steps');
    expect(caught(() => store.advance(id, 'consultation', { by: 'x' })).code).toBe('TICKET_BAD_TRANSITION');
    expect(count(store.db, 'ticket_steps')).toBe(n);
  });

  it('updates a request until the sync is recorded, then refuses', () => {
    const id = '7654321';
    const t = store.update(id, forwardRequest({ instructions: 'Label both drives.' }), 'bob');
    expect(t.request.instructions).toBe('Label both drives.');
    expect(listAudit({ db: store.db, ticketId: id }).at(-1)).toMatchObject({ action: 'ticket.update', actor: 'bob', details: { changed: ['instructions'] } });
    expect(caught(() => store.update(id, forwardRequest({ ticketNumber: '1111111' }), 'bob')).data!.fields).toEqual([
      { field: 'ticketNumber', message: 'The ticket number cannot change (this is ticket 7654321); create a new ticket instead.' },
    ]);
    expect(caught(() => store.update('1234567', reverseRequest({ instructions: 'late change' }), 'bob')).code).toBe('TICKET_BAD_TRANSITION');
  });

  it('exports and imports a ticket as JSON, validated like create', () => {
    const doc = store.exportTicket('1234567');
    expect(doc.status!.steps).toHaveLength(8);
    const text = JSON.stringify({ ...doc, request: { ...doc.request, ticketNumber: 'T2222222' } });
    const imported = store.importTicket(text, 'imp');
    expect(imported).toMatchObject({ id: '2222222', steps: [], createdBy: 'imp' });
    expect(listAudit({ db: store.db, ticketId: '2222222' })[0].action).toBe('ticket.import');
    const bad = caught(() => store.importTicket(JSON.stringify({ ...doc, request: { ...doc.request, ticketNumber: '3333333', unit: { providedBy: 'partner', kind: 'usb-drive' } } }), 'imp'));
    expect(bad.code).toBe('TICKET_INVALID');
    expect(store.find('3333333')).toBeNull();
  });

  it('keeps replacement fees as settings, and the SMTP password out of the database', async () => {
    setPassStoreForTest('memory');
    expect(getTicketSettings(store.db).replacementFeesUsd).toEqual({ 'usb-drive': 300, 'nas-unit': 2500 });
    const s = await saveTicketSettings({ replacementFeesUsd: { 'usb-drive': 450 }, smtp: { host: 'relay.example.com', port: 587, secure: false, user: 'bench', pass: 's3cret-pw', from: 'bench@example.com' } }, 'admin', {
      db: store.db,
    });
    expect(s.replacementFeesUsd).toEqual({ 'usb-drive': 450, 'nas-unit': 2500 });
    expect(s.smtp).toMatchObject({ host: 'relay.example.com', passSet: true, passStore: 'memory', passNote: expect.stringMatching(/held in memory until the engine stops/) });
    expect(s.smtp).not.toHaveProperty('pass');
    expect(await smtpPassword(store.db)).toBe('s3cret-pw');
    const row = store.db.prepare("SELECT value FROM settings WHERE key = 'smtp'").get() as { value: string };
    expect(row.value).not.toContain('s3cret-pw');
    // A relay change without a password keeps it; null removes it.
    expect((await saveTicketSettings({ smtp: { host: 'relay2.example.com', port: 587, secure: false, user: 'bench', from: 'bench@example.com' } }, 'admin', { db: store.db })).smtp!.passSet).toBe(true);
    expect((await saveTicketSettings({ smtp: { host: 'relay2.example.com', port: 587, secure: false, user: 'bench', from: 'bench@example.com', pass: null } }, 'admin', { db: store.db })).smtp!.passSet).toBe(false);
    expect(await smtpPassword(store.db)).toBeUndefined();
    // A wrong key in the relay is refused by the model too, by name.
    const typo = caught(() => updateTicketSettings({ smtp: { host: 'h', port: 25, secure: false, from: 'a@b.c', passwd: 'x' } }, 'admin', { db: store.db }));
    expect(typo.data?.fields).toEqual([{ field: 'smtp', message: 'Unknown setting: passwd.' }]);
    const trail = JSON.stringify(listAudit({ db: store.db, action: 'settings.update' }));
    expect(trail).not.toContain('s3cret-pw');
    for (const f of ['tickets.db', 'tickets.db-wal', 'tickets.db-shm'].map((n) => join(dirname(store.db.name), n)).filter(existsSync)) expect(readFileSync(f).includes('s3cret-pw'), f).toBe(false);
    expect(caught(() => updateTicketSettings({ replacementFeesUsd: { 'usb-drive': -5 } }, 'admin', { db: store.db })).code).toBe('BAD_INPUT');
    // The kept fee uses the configured amount and stays with the ticket.
    store.advance('1234567', 'kept', { by: 'jane' });
    updateTicketSettings({ replacementFeesUsd: { 'usb-drive': 999 } }, 'admin', { db: store.db });
    expect(store.get('1234567').fees.replacement).toMatchObject({ usd: 450, due: true });
    expect(store.list({ open: true }).map((t) => t.id)).not.toContain('1234567');
    expect(verifyAudit({ db: store.db })).toMatchObject({ ok: true, head: 'ok' });
  });
});

describe('an SMTP password left in the database by an older version', () => {
  it('is taken out of the row and the file (and its WAL) when the database is opened, and held in memory', async () => {
    setPassStoreForTest('memory');
    const path = join(home.dir, 'old-layout', 'tickets.db');
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.pragma('wal_autocheckpoint = 0');
    migrate(old);
    const put = old.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('smtp', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    const relay = { host: 'relay.example.com', port: 587, secure: false, user: 'bench', from: 'bench@example.com' };
    // An older password checkpointed into the main file, the current one only in the WAL.
    put.run(JSON.stringify({ ...relay, pass: 'Older-Pw-Kx41' }), 'x');
    old.pragma('wal_checkpoint(TRUNCATE)');
    put.run(JSON.stringify({ ...relay, pass: 'Plain-Pw-Zq7' }), 'x');
    const bytesOf = (n: string) => (existsSync(`${path}${n}`) ? readFileSync(`${path}${n}`) : Buffer.alloc(0));
    expect(bytesOf('').includes('Older-Pw-Kx41')).toBe(true);
    expect(bytesOf('-wal').includes('Plain-Pw-Zq7')).toBe(true);

    const db = openTicketDb(path);
    expect(getTicketSettings(db).smtp).toEqual(relay);
    expect(await smtpPassword(db)).toBe('Plain-Pw-Zq7');
    for (const n of ['', '-wal', '-shm']) {
      for (const pw of ['Plain-Pw-Zq7', 'Older-Pw-Kx41']) expect(bytesOf(n).includes(pw), `tickets.db${n} holds ${pw}`).toBe(false);
    }
    old.close();
    closeTicketDb(path);
    for (const n of ['', '-wal', '-shm']) expect(bytesOf(n).includes('Plain-Pw-Zq7')).toBe(false);
    // The next engine run finds nothing to take out, and (memory mode) no password.
    forgetSmtpPasswordForTest(openTicketDb(path));
    expect(await smtpPassword(openTicketDb(path))).toBeUndefined();
    closeTicketDb(path);
  });
});

describe('schema migrations', () => {
  it('migrates an empty database to the latest version and refuses one from a newer app', () => {
    const path = join(home.dir, 'm.db');
    const db = new Database(path);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    const e = caught(() => migrate(db));
    expect(e.message).toMatch(/written by a newer RoundTrip Bench/);
    db.close();
    expect(() => openTicketDb(path)).toThrow(/newer RoundTrip Bench/);
  });

  it('rolls a failing migration back whole and leaves the version where it was', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken = [
      { version: SCHEMA_VERSION, what: 'current', up() {} },
      {
        version: SCHEMA_VERSION + 1,
        what: 'half-done',
        up(d: Database.Database) {
          d.exec('CREATE TABLE extra (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
    db.close();
    expect(existsSync(join(home.dir, 'tickets.db'))).toBe(true);
  });
});
