// Ticket settings in the database's settings table: the SMTP relay, the replacement fees
// (defaults from resources/fees.json until a bench changes them) and the commands that pause the
// appliance's local backups during a sync (none until a bench sets them). The SMTP password is configuration,
// so it is stored here, but every way out of this module that is meant for display redacts it.
import { AppError } from '../api/errors.ts';
import { appendAuditIn, anchorAudit } from './audit.ts';
import { openTicketDb, writeTx, type Db } from './db.ts';
import { DEFAULT_REPLACEMENT_FEES, isReplacementFees, type ReplacementFees } from './model/ticket-fees.ts';
import { LocalBackupsSettingsSchema, SmtpSettingsSchema, TicketSettingsPatchSchema, type LocalBackupsSettings, type SmtpSettings } from './model/settings-schema.ts';
import { BenchIdentitySchema, DataCenterAddressSchema, NO_BENCH_IDENTITY, type BenchIdentity, type DataCenterAddress } from './model/bench-settings-schema.ts';
import { withConfiguredAddresses, type DataCenter } from './model/data-centers.ts';
import { REGIONS, type Region } from './model/ticket-schema.ts';

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

export function getTicketSettings(db: Db = openTicketDb()): TicketSettings {
  const smtp = SmtpSettingsSchema.safeParse(read(db, 'smtp'));
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

export function redactSettings(s: TicketSettings): TicketSettings {
  return { ...s, smtp: s.smtp ? { ...s.smtp, ...(s.smtp.pass !== undefined ? { pass: '[redacted]' } : {}) } : null };
}

/** Validates and stores a partial change; the audit entry records what changed, never the password. */
export function updateTicketSettings(patch: unknown, actor: string, opts: { db?: Db; now?: () => Date } = {}): TicketSettings {
  const db = opts.db ?? openTicketDb();
  const now = (opts.now ?? (() => new Date()))();
  const r = TicketSettingsPatchSchema.safeParse(patch);
  if (!r.success) {
    const fields = r.error.issues.map((i) => ({ field: i.path.join('.') || '(settings)', message: i.code === 'unrecognized_keys' ? `Unknown setting: ${i.keys.join(', ')}.` : i.message }));
    // Field names as the settings patch spells them (smtp.port, dataCenters.usa.city), for the screen.
    throw new AppError('BAD_INPUT', `The settings are not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join(' ')}`, { data: { fields } });
  }
  const p = r.data;
  writeTx(db, () => {
    const put = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    const changed: Record<string, unknown> = {};
    if (p.smtp !== undefined) {
      put.run('smtp', JSON.stringify(p.smtp), now.toISOString());
      changed.smtp = p.smtp ? { ...p.smtp, pass: p.smtp.pass === undefined ? undefined : '[redacted]' } : null;
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
  return getTicketSettings(db);
}
