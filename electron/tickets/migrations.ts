// The ticket database's schema, as numbered steps. PRAGMA user_version holds the last one applied;
// each step runs in its own transaction, so a crash mid-upgrade leaves the previous version intact.
// Append new steps; never edit one that has shipped.
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../api/errors.ts';

type Db = BetterSqlite3.Database;

export interface Migration {
  version: number;
  what: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'tickets, their steps, settings, the audit chain and the notification outbox',
    up(db) {
      db.exec(`
        CREATE TABLE tickets (
          id           TEXT PRIMARY KEY,          -- canonical support ticket number (digits)
          direction    TEXT NOT NULL,
          request      TEXT NOT NULL,             -- validated request form, JSON
          fees         TEXT NOT NULL,             -- fees as last computed, JSON (frozen amounts live here)
          return_state TEXT NOT NULL,             -- last return-clock state the checker acted on
          closed       INTEGER NOT NULL DEFAULT 0,
          created_at   TEXT NOT NULL,
          created_by   TEXT NOT NULL,
          updated_at   TEXT NOT NULL
        ) STRICT;
        CREATE TABLE ticket_steps (
          ticket_id TEXT NOT NULL REFERENCES tickets(id),
          seq       INTEGER NOT NULL,
          step      TEXT NOT NULL,
          by        TEXT NOT NULL,
          at        TEXT NOT NULL,
          data      TEXT NOT NULL,                -- the rest of the StepRecord, JSON
          PRIMARY KEY (ticket_id, seq),
          UNIQUE (ticket_id, step)
        ) STRICT;
        CREATE TABLE settings (
          key        TEXT PRIMARY KEY,
          value      TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE audit (
          seq       INTEGER PRIMARY KEY,
          at        TEXT NOT NULL,
          actor     TEXT NOT NULL,
          action    TEXT NOT NULL,
          ticket_id TEXT,
          details   TEXT NOT NULL,                -- canonical JSON
          prev_hash TEXT NOT NULL,
          hash      TEXT NOT NULL
        ) STRICT;
        CREATE INDEX audit_ticket ON audit(ticket_id);
        CREATE TABLE outbox (
          id              INTEGER PRIMARY KEY,
          dedupe_key      TEXT UNIQUE,            -- one notification per (ticket, event)
          kind            TEXT NOT NULL,
          ticket_id       TEXT,
          recipients      TEXT NOT NULL,          -- JSON array
          subject         TEXT NOT NULL,
          body            TEXT NOT NULL,
          status          TEXT NOT NULL,          -- queued | retrying | sent
          attempts        INTEGER NOT NULL DEFAULT 0,
          next_attempt_at TEXT NOT NULL,
          last_error      TEXT,
          created_at      TEXT NOT NULL,
          sent_at         TEXT
        ) STRICT;
        CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database up to SCHEMA_VERSION; refuses one written by a newer RoundTrip Bench. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations[migrations.length - 1].version;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new AppError('INTERNAL', `The ticket database ${db.name} was written by a newer RoundTrip Bench (schema ${current}; this version knows up to ${latest}).`, {
      hint: 'Update RoundTrip Bench on this bench, or open the database with the version that wrote it.',
    });
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
