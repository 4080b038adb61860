// Tickets survive the process being killed in the middle of writing (better-sqlite3, WAL, synchronous=FULL).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { verifyAudit } from '../../../electron/tickets/audit.ts';
import { closeTicketDb, openTicketDb } from '../../../electron/tickets/db.ts';
import { planStep, type StepRecord } from '../../../electron/tickets/model/lifecycle.ts';
import { validateTicketInput } from '../../../electron/tickets/model/validate.ts';
import { tempHome } from './helpers.ts';

const home = tempHome();
afterAll(() => home.cleanup());

const root = join(import.meta.dirname, '..', '..', '..');
const script = join(import.meta.dirname, 'fixtures', 'write-loop.ts');

/** Runs the writer until it has reported `writes` commits (plus a random few ms), then SIGKILLs it. */
function runAndKill(dbPath: string, round: number, writes: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dbPath, String(round)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const reported = new Map<string, number>();
    let seen = 0;
    let buf = '';
    let err = '';
    let killing = false;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [, id, steps] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        reported.set(id, Number(steps));
        if (++seen >= writes && !killing) {
          killing = true;
          setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(reported) : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe('ticket store survives kill -9 during writes', () => {
  it('keeps every reported write, and nothing half-written, over several killed writers', async () => {
    const dbPath = join(home.dir, 'kill.db');
    const everReported = new Map<string, number>();
    for (let round = 1; round <= 5; round++) {
      const reported = await runAndKill(dbPath, round, 20 + Math.floor(Math.random() * 40));
      for (const [id, s] of reported) everReported.set(id, s);

      const db = openTicketDb(dbPath);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT id, request FROM tickets').all() as Array<{ id: string; request: string }>;
      const steps = db.prepare('SELECT ticket_id, seq, step, by, at, data FROM ticket_steps ORDER BY ticket_id, seq').all() as Array<{ ticket_id: string; seq: number; step: string; by: string; at: string; data: string }>;
      const byTicket = new Map<string, StepRecord[]>();
      for (const s of steps) {
        const list = byTicket.get(s.ticket_id) ?? [];
        expect(s.seq).toBe(list.length + 1);
        list.push({ ...(JSON.parse(s.data) as object), step: s.step, by: s.by, at: s.at } as StepRecord);
        byTicket.set(s.ticket_id, list);
      }
      const ids = new Set(rows.map((r) => r.id));
      // Every write the child saw committed is there.
      for (const [id, n] of everReported) {
        expect(ids.has(id)).toBe(true);
        expect((byTicket.get(id) ?? []).length).toBeGreaterThanOrEqual(n);
      }
      // Every stored ticket is whole: a valid request, its steps in lifecycle order, no orphan steps.
      for (const r of rows) {
        const request = validateTicketInput(JSON.parse(r.request));
        const replay: StepRecord[] = [];
        for (const s of byTicket.get(r.id) ?? []) replay.push(planStep({ id: r.id, request, steps: replay }, s.step, { by: s.by, at: s.at, bytes: s.bytes }, new Date()));
      }
      expect([...byTicket.keys()].every((id) => ids.has(id))).toBe(true);
      // Each ticket and each step committed together with its audit entry, and the chain is intact.
      const creates = (db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'ticket.create'").get() as { n: number }).n;
      const advances = (db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'ticket.advance'").get() as { n: number }).n;
      expect(creates).toBe(rows.length);
      expect(advances).toBe(steps.length);
      expect(verifyAudit({ db })).toMatchObject({ ok: true });
      closeTicketDb(dbPath);
    }
    expect(everReported.size).toBeGreaterThan(5);
  }, 60_000);
});
