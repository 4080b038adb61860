// Opens the ticket database: one connection per file per process, WAL for readers beside a writer,
// synchronous=FULL so a committed ticket survives a killed process or a power cut, and migrated.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { appPath } from '../system/paths.ts';
import { migrate } from './migrations.ts';

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
  } catch (e) {
    db.close();
    throw e;
  }
  if (key !== ':memory:') open.set(key, db);
  return db;
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
