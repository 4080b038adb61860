// The hash-chained audit trail in the ticket database, tampered with through a second SQLite connection.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { appendAudit, assertAuditIntact, canonicalJson, entryHash, GENESIS_HASH, listAudit, verifyAudit } from '../../../electron/tickets/audit.ts';
import { closeTicketDb, openTicketDb, type Db } from '../../../electron/tickets/db.ts';
import { tempHome } from './helpers.ts';

const home = tempHome();
afterAll(() => home.cleanup());

let n = 0;
let path: string;
let db: Db;

/** A fresh database with 6 entries of the kinds other modules write. */
beforeEach(() => {
  path = join(home.dir, `audit-${++n}.db`);
  db = openTicketDb(path);
  const t = Date.parse('2025-03-01T00:00:00Z');
  const actions = ['ticket.create', 'ticket.advance', 'drive.erase', 'drive.format', 'zfs.rollback', 'merge.apply'];
  actions.forEach((action, i) => appendAudit({ actor: 'jane', action, ticketId: 'T1234567', details: { i, device: '/dev/sdb' } }, { db, now: () => new Date(t + i * 1000) }));
});

/** Tampering happens behind the app's back: another connection, raw SQL. */
function tamper(sql: string[]): void {
  const other = new Database(path);
  other.exec('BEGIN');
  for (const s of sql) other.exec(s);
  other.exec('COMMIT');
  other.close();
}

describe('audit trail', () => {
  it('chains entries: genesis, previous hash, sha256 of the canonical entry', () => {
    const e = listAudit({ db });
    expect(e.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(e[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < e.length; i++) expect(e[i].prevHash).toBe(e[i - 1].hash);
    for (const x of e) expect(entryHash(x)).toBe(x.hash);
    expect(e[0].ticketId).toBe('1234567');
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe('{"a":{"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(verifyAudit({ db })).toEqual({ ok: true, entries: 6, head: 'ok' });
  });

  it('redacts secrets in details and refuses entries without an actor or a proper action', () => {
    const e = appendAudit({ actor: 'jane', action: 'merge.unlock', details: { agent: 'enc', passphrase: 'hunter2', nested: { apiToken: 'x' } } }, { db });
    expect(e.details).toEqual({ agent: 'enc', passphrase: '[redacted]', nested: { apiToken: '[redacted]' } });
    expect(() => appendAudit({ actor: '', action: 'drive.erase' }, { db })).toThrow(/needs the actor/);
    expect(() => appendAudit({ actor: 'x', action: 'Erase everything' }, { db })).toThrow(/not an audit action/);
    expect(verifyAudit({ db }).ok).toBe(true);
  });

  it('catches an edited entry', () => {
    tamper([`UPDATE audit SET actor = 'mallory' WHERE seq = 3`]);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 3, kind: 'edited' });
  });

  it('catches edited details', () => {
    tamper([`UPDATE audit SET details = '{"device":"/dev/sdc","i":3}' WHERE seq = 4`]);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 4, kind: 'edited' });
  });

  it('catches an edit whose hash was recomputed, at the edited entry', () => {
    const e = listAudit({ db })[1];
    const forged = { ...e, actor: 'mallory' };
    tamper([`UPDATE audit SET actor = 'mallory', hash = '${entryHash(forged)}' WHERE seq = 2`]);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 2, kind: 'edited' });
  });

  it('catches a removed entry in the middle', () => {
    tamper(['DELETE FROM audit WHERE seq = 4']);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 4, kind: 'removed' });
  });

  it('catches a removed first entry', () => {
    tamper(['DELETE FROM audit WHERE seq = 1']);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 1, kind: 'removed' });
  });

  it('catches a removed entry when the rest were renumbered to close the gap', () => {
    tamper(['DELETE FROM audit WHERE seq = 3', 'UPDATE audit SET seq = -seq WHERE seq > 3', 'UPDATE audit SET seq = -seq - 1 WHERE seq < 0']);
    expect(listAudit({ db }).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 3, kind: 'removed' });
  });

  it('catches the last entry cut off, through the head record', () => {
    tamper(['DELETE FROM audit WHERE seq = 6']);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 6, kind: 'removed' });
  });

  it('catches two entries swapped', () => {
    tamper(['UPDATE audit SET seq = 100 WHERE seq = 2', 'UPDATE audit SET seq = 2 WHERE seq = 5', 'UPDATE audit SET seq = 5 WHERE seq = 100']);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 2, kind: 'reordered' });
  });

  it('catches two neighbours swapped', () => {
    tamper(['UPDATE audit SET seq = 100 WHERE seq = 3', 'UPDATE audit SET seq = 3 WHERE seq = 4', 'UPDATE audit SET seq = 4 WHERE seq = 100']);
    const v = verifyAudit({ db });
    expect(v).toMatchObject({ ok: false, seq: 3, kind: 'reordered' });
    expect(() => assertAuditIntact({ db })).toThrow(expect.objectContaining({ code: 'AUDIT_TAMPERED' }));
  });

  it('catches a chain rewritten from the middle with every hash recomputed, through the head record', () => {
    const e = listAudit({ db });
    const sql: string[] = [];
    let prev = e[2].hash;
    for (const x of e.slice(3)) {
      const forged = { ...x, actor: 'mallory', prevHash: prev };
      const h = entryHash(forged);
      sql.push(`UPDATE audit SET actor = 'mallory', prev_hash = '${prev}', hash = '${h}' WHERE seq = ${x.seq}`);
      prev = h;
    }
    tamper(sql);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 6, kind: 'edited' });
  });

  it('without a head record an intact chain is still checked link by link', () => {
    closeTicketDb(path);
    rmSync(`${path}.audit-head`);
    db = openTicketDb(path);
    expect(verifyAudit({ db })).toEqual({ ok: true, entries: 6, head: 'missing' });
    tamper([`UPDATE audit SET action = 'drive.eject' WHERE seq = 3`]);
    expect(verifyAudit({ db })).toMatchObject({ ok: false, seq: 3, kind: 'edited' });
  });
});
