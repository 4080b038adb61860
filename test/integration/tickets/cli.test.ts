// `roundtrip ticket ...` and `roundtrip audit ...`: mostly through the CLI host in process (fast),
// and through the real bin/roundtrip.mjs for the paths a script depends on (exit codes, --json).
import { afterAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../../../electron/hosts/cli.ts';
import { forwardRequest, reverseRequest } from '../../unit/tickets/fixtures.ts';
import { tempHome } from './helpers.ts';

const home = tempHome();
afterAll(() => home.cleanup());
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'roundtrip.mjs');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

function binary(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...argv], { env: { ...process.env, ROUNDTRIP_HOME: home.dir, ROUNDTRIP_USER: 'script' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

const file = (name: string, v: unknown) => {
  const p = join(home.dir, name);
  writeFileSync(p, JSON.stringify(v));
  return p;
};

describe('roundtrip ticket / audit CLI', () => {
  it('creates a ticket from a file with the real binary and shows it as JSON', async () => {
    const created = await binary('ticket', 'create', '--file', file('t1.json', reverseRequest()), '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ id: '1234567', createdBy: 'script', nextSteps: ['consultation'] });
    const shown = await binary('ticket', 'show', 'T1234567', '--json');
    expect(JSON.parse(shown.out)).toMatchObject({ id: '1234567', packing: { returnLabel: { poNumber: 'A1B2C3D4E5F6' } }, notifications: [] });
  }, 60_000);

  it('refuses an invalid form with every field in the JSON error and exit code 2', async () => {
    const r = await cli('ticket', 'create', '--file', file('bad.json', reverseRequest({ ticketNumber: '12', notifyEmails: 'a@example.com b@example.com' })), '--json');
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.out);
    expect(error.code).toBe('TICKET_INVALID');
    expect(error.data.fields.map((f: { field: string }) => f.field).sort()).toEqual(['notifyEmails', 'ticketNumber']);
    expect(r.err).toMatch(/^TICKET_INVALID: The ticket has 2 problems/);
  });

  it('advances with --by, --tracking and --bytes, and refuses out-of-order steps', async () => {
    const bad = await cli('ticket', 'advance', '1234567', 'shipped', '--by', 'jane', '--tracking', '794612345678');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^TICKET_BAD_TRANSITION: Ticket 1234567: cannot be marked shipped yet: the next step is "consultation"/);
    for (const argv of [
      ['consultation'],
      ['details-verified'],
      ['estimate-confirmed', '--bytes', '2.5TB'],
      ['synced', '--bytes', '3100GB'],
      ['verified'],
      ['packed'],
      ['shipped', '--tracking', '794612345678'],
    ]) {
      const r = await cli('ticket', 'advance', '1234567', ...argv, '--by', 'jane');
      expect(r.code, r.err).toBe(0);
    }
    const r = await cli('ticket', 'show', '1234567', '--json');
    const t = JSON.parse(r.out);
    expect(t.steps.at(-1)).toMatchObject({ step: 'shipped', by: 'jane', trackingNumber: '794612345678' });
    expect(t.fees.sync).toMatchObject({ usd: 150, basis: 'actual', bytes: 3.1e12 });
    const human = await cli('ticket', 'show', '1234567');
    expect(human.out).toMatch(/\[x\] shipped: jane, .*\(tracking 794612345678\)/);
    expect(human.out).toMatch(/\[ \] delivered   <- next/);
    expect(human.out).toMatch(/Return label: ticket 1234567, Example Partner \(reseller R-1\), PO A1B2C3D4E5F6, Overnight/);
  });

  it('exports to a file and imports it back as a new ticket; lists both', async () => {
    const out = join(home.dir, 'export.json');
    expect((await cli('ticket', 'export', '1234567', '--out', out)).code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc).toMatchObject({ kind: 'roundtrip-bench.ticket', version: 1, request: { ticketNumber: '1234567' } });
    doc.request.ticketNumber = '2345678';
    const imported = await cli('ticket', 'import', file('import.json', doc), '--json');
    expect(JSON.parse(imported.out)).toMatchObject({ id: '2345678', steps: [] });
    expect((await cli('ticket', 'import', file('import2.json', forwardRequest()), '--by', 'kim')).out).toMatch(/Imported ticket 7654321 \(RoundTrip\)/);
    const list = JSON.parse((await cli('ticket', 'list', '--json')).out);
    expect(list.map((t: { id: string }) => t.id)).toEqual(['1234567', '2345678', '7654321']);
    const again = await cli('ticket', 'import', file('import.json', doc));
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists/);
  });

  it('shows settings with whether an SMTP password is set and where it lives, never the password', async () => {
    const r = await cli('ticket', 'settings', '--smtp-host', '127.0.0.1', '--smtp-port', '2525', '--smtp-from', 'bench@example.com', '--smtp-user', 'u', '--fee-nas-unit', '1800', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ smtp: { host: '127.0.0.1', port: 2525, secure: false, user: 'u', passSet: false, passStore: 'memory' }, replacementFeesUsd: { 'nas-unit': 1800, 'usb-drive': 300 } });
    expect(JSON.parse(r.out).smtp).not.toHaveProperty('pass');
    const human = await cli('ticket', 'settings');
    expect(human.out).toContain('password (none); The password is held in memory until the engine stops');
    const outbox = await cli('ticket', 'outbox', '--json');
    expect(JSON.parse(outbox.out)).toEqual({ entries: [] });
  });

  it('sets the commands that pause and resume local backups (R9) as argument arrays, refuses a bad one, and clears them', async () => {
    const set = await cli('ticket', 'settings', '--local-backups-pause', '["/usr/local/bin/appliance-backups","pause"]', '--local-backups-resume', '["/usr/local/bin/appliance-backups","resume"]');
    expect(set.code, set.err).toBe(0);
    expect(set.out).toContain('Local backups during a sync: pause with /usr/local/bin/appliance-backups pause, resume with /usr/local/bin/appliance-backups resume');
    const shell = await cli('ticket', 'settings', '--local-backups-pause', '"/usr/local/bin/appliance-backups pause"', '--local-backups-resume', '["/bin/true"]');
    expect(shell.code).toBe(2);
    expect(shell.err).toMatch(/^BAD_INPUT: .*A command is a list: the program, then its arguments\./m);
    const alone = await cli('ticket', 'settings', '--local-backups-pause', '["/bin/true"]');
    expect(alone.err).toMatch(/^BAD_INPUT: Give both --local-backups-pause and --local-backups-resume/m);
    // The refused changes left the configured commands as they were.
    expect(JSON.parse((await cli('ticket', 'settings', '--json')).out).localBackups.pause).toEqual(['/usr/local/bin/appliance-backups', 'pause']);
    const cleared = await cli('ticket', 'settings', '--no-local-backups', '--json');
    expect(JSON.parse(cleared.out).localBackups).toBeNull();
  });

  it('verifies the audit trail, and exits 1 once an entry is edited', async () => {
    const ok = await cli('audit', 'verify', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, head: 'ok' });
    const list = JSON.parse((await cli('audit', 'list', '--ticket', 'T1234567', '--json')).out);
    expect(list[0]).toMatchObject({ action: 'ticket.create', actor: 'script', ticketId: '1234567' });
    const other = new Database(join(home.dir, 'tickets.db'));
    other.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 2").run();
    other.close();
    const bad = await binary('audit', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/AUDIT_TAMPERED: The audit trail was tampered with: entry 2 was changed after it was written/);
  }, 60_000);
});
