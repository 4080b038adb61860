// Where the SMTP relay's password lives: never in the ticket database, the log or any file (the
// project's secrets rule). Two places, chosen by a capability probe:
// - the OS keyring, through libsecret's `secret-tool`, when the tool is installed and a D-Bus session
//   bus is reachable: the password outlives the engine;
// - else the engine's memory only: after a restart the technician types it again in Settings.
// The secret goes to `secret-tool store` on its stdin, never in its arguments (argv is visible to
// every process on the machine). Every password is keyed by the ticket database's path, so two homes
// on one machine (tests, a lab) never share one.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { run } from '../../system/run.ts';
import type Database from 'better-sqlite3';

type Db = Database.Database;

export type SmtpPassStore = 'memory' | 'keyring';

/** What a client is told about the password: never the password itself. */
export interface SmtpPassState {
  passSet: boolean;
  passStore: SmtpPassStore;
  /** The same in words, for the Settings screen. */
  passNote: string;
}

export const PASS_NOTE: Record<SmtpPassStore, string> = {
  memory: 'The password is held in memory until the engine stops: enter it again after a restart.',
  keyring: 'The password is kept in the OS keyring (libsecret), not in the ticket database.',
};

export const PASS_NOT_SET_SINCE_START = 'The SMTP relay password is not set since the engine started; enter it in Settings.';
export const PASS_NOT_SET = 'The SMTP relay password is not set; enter it in Settings.';

// In-memory passwords: by database file, or by the connection itself for an in-memory database.
const byPath = new Map<string, string>();
const byConn = new WeakMap<Db, string>();
const keyOf = (db: Db): string | null => (db.memory ? null : db.name);

function memGet(db: Db): string | undefined {
  const k = keyOf(db);
  return k === null ? byConn.get(db) : byPath.get(k);
}
function memSet(db: Db, pass: string | undefined): void {
  const k = keyOf(db);
  if (k === null) {
    if (pass === undefined) byConn.delete(db);
    else byConn.set(db, pass);
  } else if (pass === undefined) byPath.delete(k);
  else byPath.set(k, pass);
}

/** Whether `secret-tool` is on the PATH, as a file this process may execute. */
export function findOnPath(tool: string, path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const f = join(dir, tool);
    try {
      accessSync(f, constants.X_OK);
      return f;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The probe: the keyring is used only when both the tool and a session bus are there. Without a
 * bus, secret-tool would fail (or start a prompt) on every call; without the tool there is nothing
 * to call. Injected for the unit test.
 */
export function probeKeyring(env: Record<string, string | undefined> = process.env, find: (tool: string, path: string | undefined) => string | null = findOnPath): SmtpPassStore {
  if (env.ROUNDTRIP_SMTP_KEYRING === 'off') return 'memory';
  if (!env.DBUS_SESSION_BUS_ADDRESS) return 'memory';
  return find('secret-tool', env.PATH) ? 'keyring' : 'memory';
}

let store: SmtpPassStore | undefined;
/** The probe's answer, taken once per engine. */
export function passStore(): SmtpPassStore {
  return (store ??= probeKeyring());
}
/** Tests: forget the probe's answer (and, with `to`, choose one). */
export function setPassStoreForTest(to?: SmtpPassStore): void {
  store = to;
}

const attrs = (db: Db) => ['service', 'roundtrip-bench', 'item', 'smtp-relay-password', 'db', db.name];

async function keyringLookup(db: Db): Promise<string | undefined> {
  const r = await run('secret-tool', ['lookup', ...attrs(db)], { op: 'look up the SMTP password in the OS keyring', anyExit: true, timeoutMs: 10_000, zfsLock: 'none' });
  // secret-tool prints the secret without a newline; exit 1 and nothing printed: none stored.
  return r.exitCode === 0 && r.stdout.length ? r.stdout : undefined;
}

async function keyringStore(db: Db, pass: string): Promise<void> {
  await run('secret-tool', ['store', '--label=RoundTrip Bench SMTP relay password', ...attrs(db)], { op: 'keep the SMTP password in the OS keyring', input: pass, timeoutMs: 10_000, zfsLock: 'none' });
}

async function keyringClear(db: Db): Promise<void> {
  await run('secret-tool', ['clear', ...attrs(db)], { op: 'remove the SMTP password from the OS keyring', anyExit: true, timeoutMs: 10_000, zfsLock: 'none' });
}

/** The password, or undefined when none is set (in the keyring, looked up once and then held). */
export async function smtpPassword(db: Db): Promise<string | undefined> {
  const held = memGet(db);
  if (held !== undefined || passStore() === 'memory') return held;
  const found = await keyringLookup(db);
  if (found !== undefined) memSet(db, found);
  return found;
}

/** Sets (a string) or removes (null) the password. */
export async function setSmtpPassword(db: Db, pass: string | null): Promise<void> {
  if (passStore() === 'keyring') {
    if (pass === null) await keyringClear(db);
    else await keyringStore(db, pass);
  }
  memSet(db, pass ?? undefined);
}

/** Memory only, synchronous: a password taken out of an old database row, for this engine run. */
export function holdSmtpPassword(db: Db, pass: string): void {
  memSet(db, pass);
}

/** Tests: forget the in-memory password, as an engine restart would. */
export function forgetSmtpPasswordForTest(db: Db): void {
  memSet(db, undefined);
}

export async function smtpPassState(db: Db): Promise<SmtpPassState> {
  const where = passStore();
  return { passSet: (await smtpPassword(db)) !== undefined, passStore: where, passNote: PASS_NOTE[where] };
}

/** The sentence when a relay with a user name has no password to log in with. */
export function passNotSetSentence(): string {
  return passStore() === 'memory' ? PASS_NOT_SET_SINCE_START : PASS_NOT_SET;
}
