// The settings screen's test mail (tickets.testMail) against a real SMTP server on 127.0.0.1: the
// relay's reply comes back on success; each way a relay can refuse has its own sentence under
// NOTIFY_FAILED; the attempt is in the audit trail without the password.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AppError } from '../../../electron/api/errors.ts';
import { listAudit } from '../../../electron/tickets/audit.ts';
import { closeTicketDb, openTicketDb, type Db } from '../../../electron/tickets/db.ts';
import { sendTestMail } from '../../../electron/tickets/notify/test-mail.ts';
import { saveTicketSettings } from '../../../electron/tickets/settings.ts';
import { tempHome } from './helpers.ts';
import { freePort, silentServer, TestSmtp } from './smtp-server.ts';

const home = tempHome();
afterAll(() => home.cleanup());

let n = 0;
let db: Db;
const servers: Array<{ close(): Promise<void> }> = [];

beforeEach(() => {
  db = openTicketDb(join(home.dir, `test-mail-${++n}.db`));
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  closeTicketDb(db.name);
});

async function relay(auth?: { user: string; pass: string }): Promise<TestSmtp> {
  const s = new TestSmtp(auth);
  await s.listen(0);
  servers.push(s);
  return s;
}

async function useSmtp(port: number, extra: Record<string, unknown> = {}): Promise<void> {
  await saveTicketSettings({ smtp: { host: '127.0.0.1', port, secure: false, from: 'bench@example.com', timeoutMs: 1500, ...extra }, bench: { name: 'Bench 7', technicians: [] } }, 'admin', { db });
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('the test mail', () => {
  it('is delivered through an authenticated relay and answers with the relay\'s reply', async () => {
    const s = await relay({ user: 'bench', pass: 'relay-pw-1' });
    await useSmtp(s.port, { user: 'bench', pass: 'relay-pw-1' });
    const r = await sendTestMail('tech@example.com', 'ana', { db });
    expect(r).toMatchObject({ to: 'tech@example.com', relay: `127.0.0.1:${s.port}`, accepted: ['tech@example.com'], rejected: [] });
    expect(r.response).toMatch(/^250 /);
    expect(s.received).toHaveLength(1);
    expect(s.received[0]).toMatchObject({ to: ['tech@example.com'], subject: 'Bench 7: test mail' });
    expect(s.received[0].body).toContain('sent from its settings screen by ana');
    const [entry] = listAudit({ db, action: 'settings.test-mail' });
    expect(entry.details).toMatchObject({ to: 'tech@example.com', ok: true });
    expect(JSON.stringify(listAudit({ db }))).not.toContain('relay-pw-1');
  });

  it('says the login was refused, with the relay\'s words', async () => {
    const s = await relay({ user: 'bench', pass: 'right' });
    await useSmtp(s.port, { user: 'bench', pass: 'wrong' });
    const e = await refusal(sendTestMail('tech@example.com', 'ana', { db }));
    expect(e.code).toBe('NOTIFY_FAILED');
    expect(e.message).toMatch(new RegExp(`^The SMTP relay 127\\.0\\.0\\.1:${s.port} refused the user name or password\\. It answered: "535 `));
    expect(e.message).not.toContain('wrong');
    expect(listAudit({ db, action: 'settings.test-mail' })[0].details).toMatchObject({ ok: false });
  });

  it('says nothing answers on a port nobody listens on, and when a relay stays silent', async () => {
    const port = await freePort();
    await useSmtp(port);
    const e = await refusal(sendTestMail('tech@example.com', 'ana', { db }));
    expect(e.message).toBe(`Nothing answers at 127.0.0.1:${port}: the relay refused the connection. Check the host and port.`);
    const quiet = await silentServer();
    servers.push(quiet);
    await useSmtp(quiet.port);
    const t = await refusal(sendTestMail('tech@example.com', 'ana', { db }));
    expect(t.message).toBe(`The SMTP relay 127.0.0.1:${quiet.port} did not answer in time. Check the host, the port and the TLS setting.`);
  });

  it('refuses an address that is not one, and a bench with no relay saved', async () => {
    const bad = await refusal(sendTestMail('not an address', 'ana', { db }));
    expect(bad.code).toBe('BAD_INPUT');
    expect(bad.data?.fields).toEqual([{ field: 'to', message: 'An e-mail address, like name@example.com.' }]);
    const none = await refusal(sendTestMail('tech@example.com', 'ana', { db }));
    expect(none).toMatchObject({ code: 'NOTIFY_FAILED', message: 'No SMTP relay is saved yet: fill in the relay and save it, then send the test mail.' });
  });
});
