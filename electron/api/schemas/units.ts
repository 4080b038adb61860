// Units in the contract: reading a unit from the drive alone, the guards its sync placed on lock
// points, what a merge would do, kept-unit report files. Pure.
import { z } from 'zod';
import { Actor, Dataset, Device, JobId, loose, NasHostSchema, oneUnit, Passphrase, SystemName, TicketRef, UnitRefFields } from './common.ts';

export const MergePreviewSchema = z
  .object({
    dryRun: z.literal(true),
    destination: z.string(),
    systems: z.array(loose({ system: z.string(), outcome: z.string(), message: z.string() })),
  })
  .strict();

export const unitMethods = {
  'units.inspect': {
    params: z.object({ device: Device }).strict(),
    result: z.object({ device: z.string(), metadata: loose({ unitId: z.string(), layout: z.string() }), manifest: loose({ ticketId: z.string() }).nullable() }).strict(),
  },
  'guards.list': {
    params: z.object({ ticketId: TicketRef }).strict(),
    result: z.object({ ticketId: z.string(), guards: z.array(loose({ snapshot: z.string(), method: z.string() })) }).strict(),
  },
  'guards.release': {
    params: z.object({ ticketId: TicketRef }).strict(),
    result: loose({ ticketId: z.string(), released: z.array(z.unknown()), absent: z.array(z.string()), failed: z.array(loose({ snapshot: z.string(), message: z.string() })) }),
  },
  'merge.preview': {
    /** The unit: its drive, or a NAS unit (nas + nasDataset); exactly one. */
    params: z
      .object({ ...UnitRefFields, into: Dataset, allowRollback: z.array(SystemName).max(256).optional(), systems: z.array(SystemName).max(256).optional(), unitPassphrase: Passphrase.optional() })
      .strict()
      .superRefine(oneUnit),
    result: MergePreviewSchema,
  },
  /**
   * The passphrase of the sealed unit a sync job is writing (issue 21), shown once: it lives in the
   * engine's memory only, until the technician says it was passed on or the engine stops.
   */
  'units.sealedPassphrase': {
    params: z.object({ jobId: JobId }).strict(),
    result: z
      .object({
        jobId: z.string(),
        ticketId: z.string().nullable(),
        /** Null once passed on, or when this engine never held it (it restarted). */
        passphrase: Passphrase.nullable(),
        passedOn: z.boolean(),
        /** What the technician should know, in a sentence. */
        sentence: z.string(),
      })
      .strict(),
  },
  /** The technician passed the unit passphrase on (through the support ticket): the engine forgets it. */
  'units.passphrasePassedOn': {
    params: z.object({ jobId: JobId, actor: Actor.optional() }).strict(),
    result: z.object({ jobId: z.string(), passedOn: z.literal(true) }).strict(),
  },
  /** A kept-unit report a verify-kept job wrote, as bytes (base64), for the UI to show or save. */
  'reports.kept': {
    params: z.object({ jobId: JobId, format: z.enum(['html', 'pdf']) }).strict(),
    result: z.object({ fileName: z.string(), mediaType: z.string(), base64: z.string() }).strict(),
  },
} as const;

/** One attached unit as the Units screen shows it, read from its drives alone. */
export const AttachedUnitSchema = z
  .object({
    unitId: z.string(),
    label: z.string(),
    layout: z.string(),
    /** Every attached drive of the unit, this bench's device names, in the unit's order (none for a NAS unit). */
    devices: z.array(z.string()),
    /** A NAS unit: the host it was read from and its dataset there (null for a unit on drives). */
    nas: z.object({ host: z.string(), dataset: z.string() }).strict().nullable(),
    drivesExpected: z.number(),
    ticketId: z.string().nullable(),
    /** The manifest is there and its checksum matches (false: no sync finished, or it was changed). */
    sealed: z.boolean(),
    /** Why the unit is not sealed, in a technician's words. */
    problem: z.string().nullable(),
    direction: z.string().nullable(),
    applianceSerial: z.string().nullable(),
    endedAt: z.string().nullable(),
    systems: z.array(z.object({ system: z.string(), kind: z.string(), encrypted: z.boolean(), points: z.array(z.string()) }).strict()),
    /** The ticket is on this bench (false: a unit from another bench, read from its own manifest). */
    knownTicket: z.boolean(),
    /** The last verification this bench knows of: the ticket's record, or a verify job on its drive. */
    verify: z.object({ state: z.enum(['verified', 'failed', 'running', 'not-verified']), at: z.string().nullable(), by: z.string().nullable() }).strict(),
  })
  .strict();
export type AttachedUnit = z.infer<typeof AttachedUnitSchema>;

/** Where a unit can be merged back: the dataset roots of the sites this bench knows. */
export const MergeDestinationSchema = z
  .object({
    dataset: z.string(),
    role: z.enum(['appliance', 'offsite']),
    applianceSerial: z.string(),
    present: z.boolean(),
  })
  .strict();

export const unitListMethods = {
  'units.list': {
    /** `nas`: also list the NAS units (POOL/rt_TICKET with a sealed manifest) on this host. */
    params: z.object({ nas: NasHostSchema.optional() }).strict(),
    result: z.object({ units: z.array(AttachedUnitSchema), notes: z.array(z.string()) }).strict(),
  },
  'sites.list': {
    params: z.object({}).strict(),
    result: z.object({ destinations: z.array(MergeDestinationSchema) }).strict(),
  },
  /** An encrypted agent's passphrase against its key record on the unit; changes nothing. */
  'units.checkPassphrase': {
    /** The unit: its drive, or a NAS unit (nas + nasDataset); exactly one. */
    params: z.object({ ...UnitRefFields, system: SystemName, passphrase: Passphrase, unitPassphrase: Passphrase.optional() }).strict().superRefine(oneUnit),
    result: z.object({ system: z.string(), ok: z.literal(true) }).strict(),
  },
} as const;
