// Planning in the contract: what a ticket would send per system (points with their R11 states,
// the lock), sizes, media, drives, fee, time and the retention preview; the file-sync placement
// preview; moving the lock is a `locks` override. Pure.
import { z } from 'zod';
import { Device, loose, Passphrases, PointName, Protection, SitesSchema, SystemName, TicketRef } from './common.ts';

export const PlanSchema = loose({
  ticketId: z.string(),
  media: z.enum(['usb', 'nas']),
  mediaReason: z.string(),
  /** USB drives needed; null on a NAS unit, or when drives were not listed or are not enough. */
  drivesNeeded: z.number().int().nullable(),
  dataBytes: z.number(),
  totalBytes: z.number(),
  systems: z.array(
    loose({
      system: z.string(),
      lock: z.string().nullable(),
      points: z.array(z.string()),
      bytes: z.number(),
      notes: z.array(z.string()),
      warnings: z.array(z.string()),
      /** With a retention preview: the points deleted before arrival, and whether the lock or a selected point is among them. */
      retention: z.object({ local: z.array(z.string()), offsite: z.array(z.string()), lockDeleted: z.boolean(), selectedDeleted: z.array(z.string()) }).strict().optional(),
    }),
  ),
  fee: loose({ usd: z.number(), waived: z.boolean(), explanation: z.string() }),
  seconds: z.number(),
  estimated: z.boolean(),
  warnings: z.array(z.string()),
  passphrasesNeeded: z.array(z.string()),
  /** R9: whether the appliance's local backups pause during the sync, in a technician's words. */
  localBackups: z.object({ configured: z.boolean(), pause: z.boolean(), sentence: z.string() }).strict(),
  /** Issue 21: the protection at rest the unit can get; the sync's `protection` is one of `options`. */
  protection: z.object({ options: z.array(Protection), recommended: Protection, sentence: z.string() }).strict(),
});

/** One row of the snapshot picker (R11): a point and its icons. */
export const PointStateSchema = z
  .object({
    name: z.string(),
    time: z.number(),
    local: z.boolean(),
    offsite: z.boolean(),
    syncable: z.boolean(),
    first: z.boolean(),
    last: z.boolean(),
    lock: z.boolean(),
    inRange: z.boolean(),
  })
  .strict();

const days = z.number().min(0).max(36500);
const RetentionPolicySchema = z
  .object({ intraDailyToDailyAfterDays: days, dailyToWeeklyAfterDays: days, weeklyToMonthlyAfterDays: days, keepDays: days, maxDeletesPerRun: z.number().int().positive().max(1_000_000).optional() })
  .strict();

const TicketOrRequest = {
  /** A ticket on this bench, or a request form (not yet a ticket) to plan. */
  ticketId: TicketRef.optional(),
  request: z.record(z.string(), z.unknown()).optional(),
};
const oneOf = (p: { ticketId?: unknown; request?: unknown }) => (p.ticketId === undefined) !== (p.request === undefined);

export const planMethods = {
  'plan.forTicket': {
    params: z
      .object({
        ...TicketOrRequest,
        drives: z.array(Device).max(16).optional(),
        /** Move a system's lock to another common point (R11): system name → point. */
        locks: z.record(SystemName, PointName).optional(),
        sites: SitesSchema.optional(),
        /** Estimate from point sizes instead of measuring every stream exactly. */
        estimate: z.boolean().optional(),
        passphrases: Passphrases.optional(),
        /** R9: the technician's choice for the sync (default true: local backups pause). */
        pauseLocalBackups: z.boolean().optional(),
        /** R20: which points retention deletes before the unit arrives, in so many days (policies default to R20's). */
        retention: z.object({ arrivalInDays: z.number().min(0).max(365), local: RetentionPolicySchema.optional(), offsite: RetentionPolicySchema.optional() }).strict().optional(),
      })
      .strict()
      .refine(oneOf, 'give either ticketId or request'),
    result: PlanSchema,
  },
  /** The snapshot picker (R11): per system, every point with its icons; `locks` moves a lock to another common point. */
  'plan.points': {
    params: z
      .object({ ...TicketOrRequest, locks: z.record(SystemName, PointName).optional(), sites: SitesSchema.optional() })
      .strict()
      .refine(oneOf, 'give either ticketId or request'),
    result: z
      .object({
        ticketId: z.string(),
        systems: z.array(
          loose({ system: z.string(), lock: z.string().nullable(), defaultLock: z.string().nullable(), first: z.string().nullable(), last: z.string().nullable(), full: z.boolean(), rows: z.array(PointStateSchema), notes: z.array(z.string()) }),
        ),
        warnings: z.array(z.string()),
      })
      .strict(),
  },
  'plan.fileSync': {
    params: z.object({ ticketId: TicketRef, drives: z.array(Device).min(1).max(16), sites: SitesSchema.optional() }).strict(),
    result: loose({ placement: z.array(loose({ system: z.string(), point: z.string(), drive: z.number() })), totalBytes: z.number(), notes: z.array(z.string()) }),
  },
} as const;
