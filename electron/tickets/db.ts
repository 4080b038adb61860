// Opens the ticket database: one connection per file per process, WAL for readers beside a writer,
// synchronous=FULL so a committed ticket survives a killed process or a power cut, and migrated.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { dirname, resolve } from 'node:path';
import { logLine } from '../system/log.ts';
import { appPath } from '../system/paths.ts';
import { migrate, MIGRATIONS, schemaVersion } from './migrations.ts';
import { holdSmtpPassword } from './notify/smtp-secret.ts';

export type Db = Database.Database;

export function defaultTicketDbPath(): string {
  return appPath('tickets.db');
}

const open = new Map<string, Db>();
let readOnlyStore = false;

/**
 * This process only reads the ticket store (the desktop app's read-only engine, a user's own
 * process reading the privileged engine's store): databases open read-only, nothing is migrated
 * or scrubbed, and a store that is missing or at another schema is a clear refusal.
 */
export function useReadOnlyTicketStore(): void {
  readOnlyStore = true;
}

function openForReading(key: string): Db {
  if (!existsSync(key)) {
    throw new AppError('ENGINE_READ_ONLY', 'This bench has no tickets yet: the ticket store is made when the full engine first starts.', { hint: 'Try again once the app has started with administrator rights.' });
  }
  const db = existsSync(`${key}-wal`) ? new Database(key, { readonly: true, fileMustExist: true }) : snapshotOf(key);
  db.pragma('busy_timeout = 5000');
  const at = schemaVersion(db);
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  if (at !== latest) {
    db.close();
    throw new AppError('ENGINE_READ_ONLY', `The ticket store is at schema ${at} and this version reads schema ${latest}: it is brought up to date when the full engine next starts.`);
  }
  return db;
}

/**
 * A store its engine closed cleanly has no write-ahead log, and SQLite cannot open a WAL database
 * read-only without creating one, which a reader without write access to the folder cannot: the
 * file then holds every committed row, so a copy of it is read in memory, its header marked as a
 * rollback-journal database (bytes 18 and 19, "file format version"), which it then is.
 */
function snapshotOf(key: string): Db {
  const bytes = readFileSync(key);
  if (bytes.length >= 20) bytes[18] = bytes[19] = 1;
  return new Database(bytes, { readonly: true });
}

export function openTicketDb(path: string = defaultTicketDbPath()): Db {
  const key = path === ':memory:' ? path : resolve(path);
  const cached = open.get(key);
  if (cached?.open) return cached;
  if (readOnlyStore && key !== ':memory:') {
    const db = openForReading(key);
    open.set(key, db);
    return db;
  }
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
