// Ticket settings in the database's settings table: the SMTP relay, the replacement fees
// (defaults from resources/fees.json until a bench changes them) and the commands that pause the
// appliance's local backups during a sync (none until a bench sets them). The SMTP password is not
// stored here: a patch's password goes to the secret holder (notify/smtp-secret.ts), the row keeps
// the relay only, and a client learns whether a password is set and where it lives, nothing more.
import { AppError } from '../api/errors.ts';
import { appendAuditIn, anchorAudit } from './audit.ts';
import { openTicketDb, writeTx, type Db } from './db.ts';
import { DEFAULT_REPLACEMENT_FEES, isReplacementFees, type ReplacementFees } from './model/ticket-fees.ts';
import { LocalBackupsSettingsSchema, SmtpSettingsSchema, TicketSettingsPatchSchema, type LocalBackupsSettings, type SmtpSettings } from './model/settings-schema.ts';
import { BenchIdentitySchema, DataCenterAddressSchema, NO_BENCH_IDENTITY, type BenchIdentity, type DataCenterAddress } from './model/bench-settings-schema.ts';
import { withConfiguredAddresses, type DataCenter } from './model/data-centers.ts';
import { REGIONS, type Region } from './model/ticket-schema.ts';
import { setSmtpPassword, smtpPassState, type SmtpPassState } from './notify/smtp-secret.ts';

export interface TicketSettings {
  smtp: SmtpSettings | null;
  replacementFeesUsd: ReplacementFees;
  /** R9: null when the bench has none (a sync then cannot pause them, and its plan says so). */
  localBackups: LocalBackupsSettings | null;
  bench: BenchIdentity;
  /** Every region's data center: the bench's address where it set one, else the resource file's. */
  dataCenters: DataCenter[];
}

type AddressOverrides = Partial<Record<Region, DataCenterAddress>>;

function addressOverrides(v: unknown): AddressOverrides {
  const out: AddressOverrides = {};
  if (!v || typeof v !== 'object') return out;
  for (const r of REGIONS) {
    const a = DataCenterAddressSchema.safeParse((v as Record<string, unknown>)[r]);
    if (a.success) out[r] = a.data;
  }
  return out;
}

function read(db: Db, key: string): unknown {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return undefined;
  try {
    return JSON.parse(row.value);
  } catch {
    return undefined;
  }
}

/** A row written before the password left the database may still carry one: never read it out. */
function relayOf(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const { pass: _never, ...relay } = v as Record<string, unknown>;
  return relay;
}

export function getTicketSettings(db: Db = openTicketDb()): TicketSettings {
  const smtp = SmtpSettingsSchema.safeParse(relayOf(read(db, 'smtp')));
  const fees = read(db, 'replacementFeesUsd');
  const localBackups = LocalBackupsSettingsSchema.safeParse(read(db, 'localBackups'));
  const bench = BenchIdentitySchema.safeParse(read(db, 'bench'));
  return {
    smtp: smtp.success ? smtp.data : null,
    replacementFeesUsd: isReplacementFees(fees) ? { ...DEFAULT_REPLACEMENT_FEES, ...fees } : { ...DEFAULT_REPLACEMENT_FEES },
    localBackups: localBackups.success ? localBackups.data : null,
    bench: bench.success ? bench.data : { ...NO_BENCH_IDENTITY },
    dataCenters: withConfiguredAddresses(addressOverrides(read(db, 'dataCenters'))),
  };
}

/** What `tickets.settings` answers: the relay with whether a password is set and where it lives. */
export interface TicketSettingsView extends Omit<TicketSettings, 'smtp'> {
  smtp: (SmtpSettings & SmtpPassState) | null;
}

export async function ticketSettingsView(db: Db = openTicketDb()): Promise<TicketSettingsView> {
  const s = getTicketSettings(db);
  return { ...s, smtp: s.smtp ? { ...s.smtp, ...(await smtpPassState(db)) } : null };
}

/**
 * Validates and applies a change: the database's rows, then the password (to the secret holder,
 * never the row). `smtp.pass` left out keeps the password, null removes it, and removing the
 * relay (`smtp: null`) removes it too. Answers what a client may see.
 */
export async function saveTicketSettings(patch: unknown, actor: string, opts: { db?: Db; now?: () => Date } = {}): Promise<TicketSettingsView> {
  const db = opts.db ?? openTicketDb();
  const { pass } = updateTicketSettings(patch, actor, { ...opts, db });
  if (pass !== undefined) await setSmtpPassword(db, pass);
  return ticketSettingsView(db);
}

/**
 * Validates and stores a partial change in the database, without the password, which it hands
 * back (a string to set, null to remove, undefined to keep) for the caller to give the secret
 * holder; the audit entry records what changed, never the password.
 */
export function updateTicketSettings(patch: unknown, actor: string, opts: { db?: Db; now?: () => Date } = {}): { settings: TicketSettings; pass: string | null | undefined } {
  const db = opts.db ?? openTicketDb();
  const now = (opts.now ?? (() => new Date()))();
  const r = TicketSettingsPatchSchema.safeParse(patch);
  if (!r.success) {
    const fields = r.error.issues.map((i) => ({ field: i.path.join('.') || '(settings)', message: i.code === 'unrecognized_keys' ? `Unknown setting: ${i.keys.join(', ')}.` : i.message }));
    // Field names as the settings patch spells them (smtp.port, dataCenters.usa.city), for the screen.
    throw new AppError('BAD_INPUT', `The settings are not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join(' ')}`, { data: { fields } });
  }
  const p = r.data;
  const pass = p.smtp === null ? null : p.smtp?.pass;
  writeTx(db, () => {
    const put = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    const changed: Record<string, unknown> = {};
    if (p.smtp !== undefined) {
      const { pass: _secret, ...relay } = p.smtp ?? {};
      put.run('smtp', JSON.stringify(p.smtp ? relay : null), now.toISOString());
      changed.smtp = p.smtp ? { ...relay, ...(pass === undefined ? {} : { pass: pass === null ? 'removed' : '[redacted]' }) } : null;
    }
    if (p.replacementFeesUsd !== undefined) {
      const merged = { ...getTicketSettings(db).replacementFeesUsd, ...p.replacementFeesUsd };
      put.run('replacementFeesUsd', JSON.stringify(merged), now.toISOString());
      changed.replacementFeesUsd = merged;
    }
    if (p.localBackups !== undefined) {
      put.run('localBackups', JSON.stringify(p.localBackups), now.toISOString());
      changed.localBackups = p.localBackups;
    }
    if (p.bench !== undefined) {
      put.run('bench', JSON.stringify(p.bench), now.toISOString());
      changed.bench = p.bench;
    }
    if (p.dataCenters !== undefined) {
      const merged = addressOverrides(read(db, 'dataCenters'));
      for (const r of REGIONS) {
        const a = p.dataCenters[r];
        if (a === null) delete merged[r];
        else if (a !== undefined) merged[r] = a;
      }
      put.run('dataCenters', JSON.stringify(merged), now.toISOString());
      changed.dataCenters = p.dataCenters;
    }
    appendAuditIn(db, { actor, action: 'settings.update', details: changed }, now);
  });
  anchorAudit(db);
  return { settings: getTicketSettings(db), pass };
}
