// Opens the ticket database: one connection per file per process, WAL for readers beside a writer,
// synchronous=FULL so a committed ticket survives a killed process or a power cut, and migrated.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { logLine } from '../system/log.ts';
import { appPath } from '../system/paths.ts';
import { migrate } from './migrations.ts';
import { holdSmtpPassword } from './notify/smtp-secret.ts';

export type Db = Database.Database;

export function defaultTicketDbPath(): string {
  return appPath('tickets.db');
}

const open = new Map<string, Db>();

export function openTicketDb(path: string = defaultTicketDbPath()): Db {
  const key = path === ':memory:' ? path : resolve(path);
  const cached = open.get(key);
  if (cached?.open) return cached;
  if (key !== ':memory:') mkdirSync(dirname(key), { recursive: true });
  const db = new Database(key);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // The GUI engine and a CLI may write at once; wait for the other writer instead of failing.
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    scrubStoredSmtpPassword(db);
  } catch (e) {
    db.close();
    throw e;
  }
  if (key !== ':memory:') open.set(key, db);
  return db;
}

/**
 * Older benches kept the SMTP password in the settings row `smtp`. It is taken out when the
 * database is opened and held in memory for this engine run (mail keeps working until a restart),
 * and the file keeps no copy: secure_delete zeroes the old cell, VACUUM rebuilds the file without
 * the free pages older versions of the row may sit in, and the write-ahead log is checkpointed and
 * truncated so its frames (which held the row too) are gone.
 */
export function scrubStoredSmtpPassword(db: Db): boolean {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'smtp'").get() as { value: string } | undefined;
  if (!row) return false;
  let smtp: unknown;
  try {
    smtp = JSON.parse(row.value);
  } catch {
    return false;
  }
  if (!smtp || typeof smtp !== 'object' || !('pass' in smtp)) return false;
  const { pass, ...rest } = smtp as Record<string, unknown>;
  if (typeof pass === 'string') holdSmtpPassword(db, pass);
  const before = db.pragma('secure_delete', { simple: true });
  db.pragma('secure_delete = ON');
  try {
    writeTx(db, () => db.prepare("UPDATE settings SET value = ? WHERE key = 'smtp'").run(JSON.stringify(rest)));
    if (!db.memory) {
      // Another process reading the database can make these wait (busy_timeout) or fail; the row is
      // clean either way, so a failure is logged and the database still opens.
      try {
        db.exec('VACUUM');
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (e) {
        logLine('error', { op: 'compact the ticket database after taking the SMTP password out', failed: String(e) });
      }
    }
  } finally {
    db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
  }
  return true;
}

/** Closes one database (or every one this process opened): tests, and the engine at shutdown. */
export function closeTicketDb(path?: string): void {
  for (const [k, db] of open) {
    if (path === undefined || k === resolve(path)) {
      db.close();
      open.delete(k);
    }
  }
}

/** Runs fn in a write transaction taken up front (BEGIN IMMEDIATE), so two writers queue instead of deadlocking. */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.inTransaction ? fn() : db.transaction(fn).immediate();
}
