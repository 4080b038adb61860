// Notifications through nodemailer to a real SMTP server (smtp-server) on 127.0.0.1.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listAudit } from '../../../electron/tickets/audit.ts';
import { closeTicketDb, openTicketDb, type Db } from '../../../electron/tickets/db.ts';
import { checkReturnClocks, notifySyncEnded } from '../../../electron/tickets/notify/notifications.ts';
import { flushOutbox, listOutbox, outboxIdle, RETRY_BASE_MS } from '../../../electron/tickets/notify/outbox.ts';
import { startTicketWorker } from '../../../electron/tickets/notify/worker.ts';
import { saveTicketSettings } from '../../../electron/tickets/settings.ts';
import { TicketStore } from '../../../electron/tickets/store.ts';
import { reverseRequest } from '../../unit/tickets/fixtures.ts';
import { tempHome, TestClock } from './helpers.ts';
import { freePort, silentServer, TestSmtp } from './smtp-server.ts';

const home = tempHome();
afterAll(() => home.cleanup());

let n = 0;
let db: Db;
let clock: TestClock;
let store: TicketStore;
const servers: Array<{ close(): Promise<void> }> = [];

beforeEach(() => {
  const path = join(home.dir, `notify-${++n}.db`);
  db = openTicketDb(path);
  clock = new TestClock('2025-03-01T09:00:00Z');
  store = new TicketStore({ db, now: clock.now });
  store.create(reverseRequest(), 'jane');
});

afterEach(async () => {
  await outboxIdle();
  for (const s of servers.splice(0)) await s.close();
  closeTicketDb(db.name);
});

async function useSmtp(port: number, extra: Record<string, unknown> = {}): Promise<void> {
  await saveTicketSettings({ smtp: { host: '127.0.0.1', port, secure: false, from: 'bench@example.com', timeoutMs: 2000, ...extra } }, 'admin', { db, now: clock.now });
}

async function startSmtp(auth?: { user: string; pass: string }, port = 0): Promise<TestSmtp> {
  const s = new TestSmtp(auth);
  await s.listen(port);
  servers.push(s);
  return s;
}

const summary = { ok: true, headline: '1 system, 1.20 TB', bytes: 1.2e12, durationSeconds: 3700, systems: [{ name: 'win01', points: 3, ok: true }] };

describe('notifications over SMTP', () => {
  it('e-mails the ticket addresses when a sync ends, with the summary, through an authenticated relay', async () => {
    const smtp = await startSmtp({ user: 'bench', pass: 'relay-secret' });
    await useSmtp(smtp.port, { user: 'bench', pass: 'relay-secret' });
    const entry = notifySyncEnded('T1234567', summary, { db, now: clock.now });
    expect(entry).toMatchObject({ status: 'queued', recipients: ['a@example.com', 'b@example.com'] });
    await outboxIdle();
    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0];
    expect(m.from).toBe('bench@example.com');
    expect(m.to).toEqual(['a@example.com', 'b@example.com']);
    expect(m.subject).toBe('Reverse RoundTrip ticket 1234567: sync finished (1 system, 1.20 TB)');
    expect(m.body).toContain('Data synced: 1.20 TB');
    expect(m.body).toContain('- win01: 3 point(s), ok');
    expect(listOutbox({ db })[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });

    notifySyncEnded('1234567', { ok: false, error: { code: 'TARGET_GONE', message: 'The drive was unplugged during the sync.' } }, { db, now: clock.now });
    await outboxIdle();
    expect(smtp.received[1].subject).toBe('Reverse RoundTrip ticket 1234567: sync FAILED');
    expect(smtp.received[1].body).toContain('Error (TARGET_GONE): The drive was unplugged during the sync.');
  });

  it('retries with backoff while the relay refuses, and delivers once it recovers', async () => {
    const smtp = await startSmtp();
    await useSmtp(smtp.port);
    smtp.failing = true;
    notifySyncEnded('1234567', summary, { db, now: clock.now });
    await outboxIdle();
    let [e] = listOutbox({ db });
    expect(e).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(e.lastError).toMatch(/451/);
    expect(Date.parse(e.nextAttemptAt) - clock.t).toBe(RETRY_BASE_MS);

    // Not due yet: nothing is tried.
    expect(await flushOutbox({ db, now: clock.now })).toMatchObject({ tried: 0 });
    clock.advanceMs(RETRY_BASE_MS);
    expect(await flushOutbox({ db, now: clock.now })).toMatchObject({ tried: 1, sent: 0 });
    [e] = listOutbox({ db });
    expect(e).toMatchObject({ status: 'retrying', attempts: 2 });
    expect(Date.parse(e.nextAttemptAt) - clock.t).toBe(2 * RETRY_BASE_MS);
    expect(listOutbox({ db, pending: true })).toHaveLength(1);

    smtp.failing = false;
    clock.advanceMs(2 * RETRY_BASE_MS);
    expect(await flushOutbox({ db, now: clock.now })).toMatchObject({ tried: 1, sent: 1 });
    expect(listOutbox({ db })[0]).toMatchObject({ status: 'sent', attempts: 3 });
    expect(smtp.refusals).toBe(2);
    expect(smtp.received).toHaveLength(1);
    // Sent is sent: later flushes do not send it again.
    clock.advanceMs(3_600_000);
    expect(await flushOutbox({ db, now: clock.now, force: true })).toMatchObject({ tried: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('keeps a notification when the relay is down, and sends it when the relay comes up', async () => {
    const port = await freePort();
    await useSmtp(port);
    notifySyncEnded('1234567', summary, { db, now: clock.now });
    await outboxIdle();
    expect(listOutbox({ db })[0]).toMatchObject({ status: 'retrying', lastError: expect.stringMatching(/ECONNREFUSED/) });
    const smtp = await startSmtp(undefined, port);
    clock.advanceMs(RETRY_BASE_MS);
    await flushOutbox({ db, now: clock.now });
    expect(smtp.received).toHaveLength(1);
    expect(listOutbox({ db })[0].status).toBe('sent');
  });

  it('never blocks or fails the job: a hung relay costs the caller nothing', async () => {
    const hung = await silentServer();
    servers.push(hung);
    await useSmtp(hung.port, { timeoutMs: 300 });
    const entry = notifySyncEnded('1234567', summary, { db, now: clock.now });
    // It returned (a value, not a promise to wait for) while the hung relay still had the message:
    // no attempt has ended yet.
    expect(entry).not.toBeNull();
    expect(entry).not.toBeInstanceOf(Promise);
    expect(listOutbox({ db })[0]).toMatchObject({ attempts: 0 });
    await outboxIdle();
    expect(listOutbox({ db })[0]).toMatchObject({ status: 'retrying', attempts: 1 });
    // An unknown ticket or a broken database is logged and returns null, never a throw.
    expect(notifySyncEnded('7777777', summary, { db, now: clock.now })).toBeNull();
  });

  it('shows a notification as waiting when SMTP is not configured, never drops it', async () => {
    notifySyncEnded('1234567', summary, { db, now: clock.now });
    await outboxIdle();
    expect(listOutbox({ db, pending: true })[0]).toMatchObject({ status: 'retrying', lastError: 'SMTP is not configured in the settings (host, port, sender).' });
    const smtp = await startSmtp();
    await useSmtp(smtp.port);
    expect(await flushOutbox({ db, now: clock.now, force: true })).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
  });

  it('sends nothing when the ticket has no notification e-mails', async () => {
    store.update('1234567', reverseRequest({ notifyEmails: '' }), 'jane');
    expect(notifySyncEnded('1234567', summary, { db, now: clock.now })).toBeNull();
    expect(listOutbox({ db })).toEqual([]);
  });

  it('notifies once when a unit turns late and once when it turns overdue (R7)', async () => {
    const smtp = await startSmtp();
    await useSmtp(smtp.port);
    for (const [step, data] of [
      ['consultation', {}],
      ['details-verified', {}],
      ['estimate-confirmed', { bytes: 1e12 }],
      ['synced', { bytes: 1e12 }],
      ['verified', {}],
      ['packed', {}],
      ['shipped', { trackingNumber: '794612345678' }],
      ['delivered', {}],
    ] as const) store.advance('1234567', step, { by: 'jane', ...data });
    const deliveredAt = clock.t;
    const at = (days: number, ms = 0) => new Date(deliveredAt + days * 86_400_000 + ms);
    const check = async (d: Date) => {
      clock.t = d.getTime();
      const c = checkReturnClocks(d, { db, now: clock.now });
      await outboxIdle();
      return c.map((x) => `${x.from}->${x.to}${x.notification ? '!' : ''}`);
    };

    expect(await check(at(14))).toEqual(['not-delivered->out']);
    expect(await check(at(14, 1))).toEqual(['out->due']);
    expect(await check(at(28))).toEqual([]);
    expect(await check(at(28, 1))).toEqual(['due->late!']);
    expect(await check(at(30))).toEqual([]);
    expect(await check(at(56))).toEqual([]);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Reverse RoundTrip ticket 1234567: unit return is late']);
    expect(smtp.received[0].to).toEqual(['a@example.com', 'b@example.com', 'sam@example.com']);
    expect(await check(at(56, 1))).toEqual(['late->overdue!']);
    expect(await check(at(90))).toEqual([]);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Reverse RoundTrip ticket 1234567: unit return is late', 'Reverse RoundTrip ticket 1234567: unit overdue, replacement fee due']);
    expect(smtp.received[1].body).toContain('replacement fee $300 (usb-drive)');
    // The replacement fee is now stored with the ticket, and the state changes are in the audit trail.
    const stored = JSON.parse((db.prepare('SELECT fees FROM tickets WHERE id = ?').get('1234567') as { fees: string }).fees);
    expect(stored.replacement).toMatchObject({ due: true, usd: 300 });
    expect(listAudit({ db, action: 'ticket.return-state' }).map((e) => e.details.to)).toEqual(['out', 'due', 'late', 'overdue']);
  });

  it('sends only the overdue notice for a unit first checked long after delivery', async () => {
    const smtp = await startSmtp();
    await useSmtp(smtp.port);
    for (const s of ['consultation', 'details-verified', 'estimate-confirmed', 'synced', 'verified', 'packed', 'shipped', 'delivered']) {
      store.advance('1234567', s, { by: 'jane', ...(s === 'shipped' ? { trackingNumber: '794612345678' } : s.includes('estimate') || s === 'synced' ? { bytes: 1e12 } : {}) });
    }
    clock.advanceDays(70);
    const changes = checkReturnClocks(clock.now(), { db, now: clock.now });
    expect(changes.map((c) => c.to)).toEqual(['overdue']);
    expect(checkReturnClocks(clock.now(), { db, now: clock.now })).toEqual([]);
    await outboxIdle();
    expect(smtp.received.map((m) => m.subject)).toEqual(['Reverse RoundTrip ticket 1234567: unit overdue, replacement fee due']);
  });

  it('the background worker checks clocks and sends what is due, without being awaited', async () => {
    const smtp = await startSmtp();
    await useSmtp(smtp.port);
    for (const s of ['consultation', 'details-verified', 'estimate-confirmed', 'synced', 'verified', 'packed', 'shipped', 'delivered']) {
      store.advance('1234567', s, { by: 'jane', ...(s === 'shipped' ? { trackingNumber: '794612345678' } : s.includes('estimate') || s === 'synced' ? { bytes: 1e12 } : {}) });
    }
    clock.advanceDays(29);
    const stop = startTicketWorker({ db, now: clock.now, intervalMs: 50 });
    try {
      await outboxIdle();
      expect(smtp.received.map((m) => m.subject)).toEqual(['Reverse RoundTrip ticket 1234567: unit return is late']);
    } finally {
      stop();
    }
  });
});
