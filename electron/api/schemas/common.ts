// Field schemas the contract's methods share: device paths, dataset names, tickets, NAS hosts,
// where a ticket's data is. Strict on purpose: the engine may run as root and trusts nothing the UI
// sends, so a name is checked for what it may hold before any tool sees it. Pure.
import { z } from 'zod';
import { secret } from '../secrets.ts';

/** A block device: /dev/ and a name, no "..", no shell characters, no spaces. */
export const Device = z
  .string()
  .max(128)
  .regex(/^\/dev\/[A-Za-z0-9_.:-]+(\/[A-Za-z0-9_.:-]+)*$/, 'a device path such as /dev/sdb')
  .refine((s) => !s.split('/').includes('..') && !s.split('/').includes('.'), 'a device path without "." or ".." parts');

/** A ZFS dataset (pool/path): the characters ZFS allows, no leading "-", no "..". */
export const Dataset = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)*$/, 'a ZFS dataset such as tank/agents')
  .refine((s) => !s.split('/').includes('..'), 'a dataset name without ".." parts');

export const PoolName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,254}$/, 'a pool name');

/** A ticket as the technician types it (T1234567 or 1234567) or the bench's id. */
export const TicketRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a ticket number such as T1234567');

export const SystemName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'a protected system name');

/** A recovery point's name (its epoch time on lab systems). */
export const PointName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'a recovery point name');

/** Who did it, for the audit trail. */
export const Actor = z.string().min(1).max(120).regex(/^[^\0\n\r]+$/, 'a name on one line');

export const AbsolutePath = z.string().max(4096).regex(/^\/[^\0\n]*$/, 'an absolute path');

export const JobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a job id');

/**
 * A command as an argument array (program, then its arguments), never a shell string: run as given
 * through the engine's command runner. Bounded, on one line each, no NUL (a C string ends there).
 */
export const CommandArgv = z
  .array(
    z
      .string({ error: 'Each part of a command must be text.' })
      .max(4096, { error: 'A part of a command may be at most 4096 characters.' })
      .regex(/^[^\0\n\r]*$/, { error: 'A part of a command may not hold a NUL or a line break.' }),
    { error: 'A command is a list: the program, then its arguments.' },
  )
  .min(1, { error: 'A command needs at least its program.' })
  .max(64, { error: 'A command may have at most 64 parts.' })
  .refine((a) => a[0] !== undefined && a[0].trim() !== '', { error: 'The first part of a command is its program and may not be empty.' });

/** The bench's commands that pause and resume the appliance's own local backups around a sync (R9). */
export const LocalBackupsCommands = z.strictObject({ pause: CommandArgv, resume: CommandArgv });

/** A passphrase: in memory only, never logged or journaled. */
export const Passphrase = secret(z.string().min(1).max(1024));

/** How a unit is protected at rest (issue 21): sealed stream files, or plain by the technician's choice. */
export const PROTECTIONS = ['sealed', 'unencrypted'] as const;
export const Protection = z.enum(PROTECTIONS);

/**
 * Encrypted agents' passphrases by system name; "*" is one passphrase for every encrypted agent
 * the job meets that has none of its own (a single line typed at --passphrase-stdin).
 */
export const Passphrases = secret(z.record(z.union([SystemName, z.literal('*')]), z.string().min(1).max(1024)));

export const NasHostSchema = z
  .object({
    host: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$|^\[?[0-9A-Fa-f:]+\]?$/, 'a host name or IP address'),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).optional(),
    identityFile: AbsolutePath,
    knownHostsFile: AbsolutePath,
  })
  .strict();

/**
 * Which unit a merge (or a passphrase check) reads: its drive (`device`), or a NAS unit (`nas` and
 * its dataset POOL/rt_TICKET there, `nasDataset`). Spread into an object, then `.superRefine(oneUnit)`.
 */
export const UnitRefFields = { device: Device.optional(), nas: NasHostSchema.optional(), nasDataset: Dataset.optional() };

/** Exactly one of `device` and `nas`; `nasDataset` with `nas` only, and always with it. */
export function oneUnit(p: { device?: unknown; nas?: unknown; nasDataset?: unknown }, ctx: z.RefinementCtx): void {
  if ((p.device !== undefined) === (p.nas !== undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'give either device or nas (with nasDataset)', path: ['device'] });
  if (p.nas !== undefined && p.nasDataset === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a NAS unit needs its dataset (POOL/rt_TICKET)', path: ['nasDataset'] });
  if (p.nas === undefined && p.nasDataset !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'nasDataset goes with nas', path: ['nas'] });
}

/**
 * Where a ticket's data is: the appliance's dataset root on this bench, the offsite root (a pool
 * here or on an ssh host), or an offsite audit list (its text: the engine reads no file the UI names).
 * Left out, the engine uses the sites registered with it (the lab registers its own).
 */
export const SitesSchema = z
  .object({
    source: Dataset.optional(),
    offsite: Dataset.optional(),
    offsiteHost: NasHostSchema.optional(),
    offsiteAudit: z.object({ text: z.string().max(64 * 1024 * 1024), format: z.enum(['csv', 'json']).optional() }).strict().optional(),
  })
  .strict();

export type SitesInput = z.infer<typeof SitesSchema>;

/** An object result whose main fields the contract names; more fields may follow. */
export const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
