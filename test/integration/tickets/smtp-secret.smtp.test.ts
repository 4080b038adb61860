// The SMTP relay password through the real engine (`roundtrip engine --stdio`) and a real SMTP
// server on 127.0.0.1: set through tickets.settings and used by a real test mail, it is in no file
// under the engine's home (every file's bytes, recursively); a mistyped secret key is refused by the
// contract before anything is logged; after an engine restart in memory mode the settings say no
// password is set and a notification stays queued with a sentence that says why.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTicketDb, openTicketDb } from '../../../electron/tickets/db.ts';
import { queueNotification } from '../../../electron/tickets/notify/outbox.ts';
import { startStdioEngine, type StdioEngine } from '../../helpers/stdio-engine.ts';
import { TestSmtp } from './smtp-server.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-smtp-secret-'));
// Memory mode, whatever this machine has: the keyring path is probed, never used, by these tests.
const prevKeyring = process.env.ROUNDTRIP_SMTP_KEYRING;
process.env.ROUNDTRIP_SMTP_KEYRING = 'off';
const engines: StdioEngine[] = [];
const smtp = new TestSmtp({ user: 'bench', pass: 'Relay-Pw-9Xq2' });

afterAll(async () => {
  for (const e of engines) e.child.kill();
  await smtp.close();
  closeTicketDb(join(home, 'tickets.db'));
  if (prevKeyring === undefined) delete process.env.ROUNDTRIP_SMTP_KEYRING;
  else process.env.ROUNDTRIP_SMTP_KEYRING = prevKeyring;
  rmSync(home, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function holders(secret: string): string[] {
  return filesUnder(home).filter((f) => readFileSync(f).includes(Buffer.from(secret)));
}

async function stop(e: StdioEngine): Promise<void> {
  e.child.stdin!.end();
  await e.child;
}

describe('the SMTP password, through the engine', () => {
  it('is used for a real test mail and kept in no file; a mistyped secret key is refused unlogged', async () => {
    await smtp.listen(0);
    const e = startStdioEngine(home);
    engines.push(e);
    const relay = { host: '127.0.0.1', port: smtp.port, secure: false, user: 'bench', from: 'bench@example.com', timeoutMs: 3000 };
    const set = await e.request('tickets.settings', { patch: { smtp: { ...relay, pass: 'Relay-Pw-9Xq2' } } });
    expect(set.ok).toBe(true);
    expect(set.result.smtp).toMatchObject({ ...relay, passSet: true, passStore: 'memory', passNote: 'The password is held in memory until the engine stops: enter it again after a restart.' });
    expect(JSON.stringify(set)).not.toContain('Relay-Pw-9Xq2');

    const sent = await e.request('tickets.testMail', { to: 'partner@example.com' });
    expect(sent.ok).toBe(true);
    expect(smtp.received).toHaveLength(1);

    const typo = await e.request('tickets.settings', { patch: { smtp: { ...relay, passwd: 'S3cret-typo' } } });
    expect(typo.ok).toBe(false);
    expect(typo.error.code).toBe('BAD_INPUT');
    expect(typo.error.data.fields).toEqual([{ field: 'patch.smtp.passwd', message: 'Unknown setting: passwd.' }]);
    expect(JSON.stringify(typo)).not.toContain('S3cret-typo');
    // Another request, so the log has been written after the refusal.
    expect((await e.request('tickets.settings', {})).result.smtp.passSet).toBe(true);

    const logs = filesUnder(join(home, 'logs'));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((f) => readFileSync(f).includes(Buffer.from('S3cret-typo')))).toEqual([]);
    expect(holders('S3cret-typo')).toEqual([]);
    expect(holders('Relay-Pw-9Xq2')).toEqual([]);
    expect(e.raw.join('\n')).not.toContain('Relay-Pw-9Xq2');
    await stop(e);
    expect(holders('Relay-Pw-9Xq2')).toEqual([]);
  });

  it('after a restart (memory mode) says no password is set, and a notification waits queued with the reason', async () => {
    const e = startStdioEngine(home);
    engines.push(e);
    const s = await e.request('tickets.settings', {});
    expect(s.result.smtp).toMatchObject({ host: '127.0.0.1', user: 'bench', passSet: false, passStore: 'memory' });

    const mail = await e.request('tickets.testMail', { to: 'partner@example.com' });
    expect(mail.error).toMatchObject({ code: 'NOTIFY_FAILED', message: 'The SMTP relay password is not set since the engine started; enter it in Settings.' });

    const db = openTicketDb(join(home, 'tickets.db'));
    queueNotification(db, { kind: 'test', recipients: ['partner@example.com'], subject: 'Queued while no password', body: 'Body.' }, new Date());
    const out = await e.request('tickets.outbox', { flush: true });
    const entry = out.result.entries.find((x: { subject: string }) => x.subject === 'Queued while no password');
    expect(entry).toMatchObject({ status: 'retrying', lastError: 'The SMTP relay password is not set since the engine started; enter it in Settings.' });
    expect(smtp.received).toHaveLength(1);

    // Typed again, the message goes out on the next try.
    expect((await e.request('tickets.settings', { patch: { smtp: { ...s.result.smtp, passSet: undefined, passStore: undefined, passNote: undefined, pass: 'Relay-Pw-9Xq2' } } })).result.smtp.passSet).toBe(true);
    await e.request('tickets.outbox', { flush: true });
    expect(smtp.received.map((m) => m.subject)).toContain('Queued while no password');
    await stop(e);
    expect(holders('Relay-Pw-9Xq2')).toEqual([]);
  });
});
