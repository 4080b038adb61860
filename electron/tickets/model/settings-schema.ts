// The ticket settings a bench configures: the SMTP relay for notifications, the R7 replacement
// fees and the R9 commands that pause the appliance's local backups during a sync. Pure, so the
// settings screen validates with the same rules as the engine.
import { z } from 'zod';
import { LocalBackupsCommands } from '../../api/schemas/common.ts';
import { UNIT_KINDS } from './ticket-schema.ts';
import { BenchIdentitySchema, DataCentersPatchSchema } from './bench-settings-schema.ts';

export const SmtpSettingsSchema = z.strictObject({
  host: z.string().trim().min(1, { error: 'The SMTP host is required.' }).max(253),
  port: z.number({ error: 'The SMTP port must be a number.' }).int().min(1, { error: 'The SMTP port must be 1 to 65535.' }).max(65535, { error: 'The SMTP port must be 1 to 65535.' }),
  /** true = TLS from the first byte (port 465); false = plain, upgraded with STARTTLS when offered. */
  secure: z.boolean({ error: 'SMTP secure must be true or false.' }),
  user: z.string().max(320).optional(),
  from: z.string().trim().min(3, { error: 'The sender address (from) is required.' }).max(320),
  /** How long one attempt may wait on the relay; short so a dead relay is noticed quickly. */
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
});
/** The relay as the database keeps it: no password (notify/smtp-secret.ts holds that). */
export type SmtpSettings = z.infer<typeof SmtpSettingsSchema>;

/**
 * The relay as a patch sends it: with the password when one is typed (a secret, never stored in
 * the database), null to remove the stored one, left out to keep it.
 */
export const SmtpSettingsPatchSchema = SmtpSettingsSchema.extend({
  pass: z.string({ error: 'The SMTP password must be text.' }).min(1, { error: 'Type the password, or remove the stored one.' }).max(1024).nullable().optional(),
});
export type SmtpSettingsPatch = z.infer<typeof SmtpSettingsPatchSchema>;

export const ReplacementFeesSchema = z.strictObject(
  Object.fromEntries(UNIT_KINDS.map((k) => [k, z.number({ error: `The replacement fee for ${k} must be a number of dollars.` }).min(0, { error: 'A replacement fee cannot be negative.' }).max(1_000_000)])) as Record<
    (typeof UNIT_KINDS)[number],
    z.ZodNumber
  >,
);

/** Argument arrays (program + arguments), run through the engine's command runner, never a shell. */
export const LocalBackupsSettingsSchema = LocalBackupsCommands;
export type LocalBackupsSettings = z.infer<typeof LocalBackupsSettingsSchema>;

export const TicketSettingsPatchSchema = z.strictObject({
  /** null: no relay (and no password). */
  smtp: SmtpSettingsPatchSchema.nullable().optional(),
  replacementFeesUsd: ReplacementFeesSchema.partial().optional(),
  /** null: no commands, the appliance keeps taking local backups during a sync. */
  localBackups: LocalBackupsSettingsSchema.nullable().optional(),
  /** The bench's name and its technicians' names. */
  bench: BenchIdentitySchema.optional(),
  /** Return addresses per region; a region left out keeps what it has. */
  dataCenters: DataCentersPatchSchema.optional(),
});
export type TicketSettingsPatch = z.infer<typeof TicketSettingsPatchSchema>;
