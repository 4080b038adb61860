// Planning in the contract: what a ticket would send per system (points with their R11 states,
// the lock), sizes, media, drives, fee, time and the retention preview; the file-sync placement
// preview; moving the lock is a `locks` override. Pure.
import { z } from 'zod';
import { Device, loose, Passphrases, PointName, SitesSchema, SystemName, TicketRef } from './common.ts';

export const PlanSchema = loose({
  ticketId: z.string(),
  media: z.string(),
  drivesNeeded: z.number(),
  totalBytes: z.number(),
  systems: z.array(loose({ system: z.string(), bytes: z.number() })),
  fee: loose({ waived: z.boolean() }),
});

export const planMethods = {
  'plan.forTicket': {
    params: z
      .object({
        /** A ticket on this bench, or a request form (not yet a ticket) to plan. */
        ticketId: TicketRef.optional(),
        request: z.record(z.string(), z.unknown()).optional(),
        drives: z.array(Device).max(16).optional(),
        /** Move a system's lock to another common point (R11): system name → point. */
        locks: z.record(SystemName, PointName).optional(),
        sites: SitesSchema.optional(),
        /** Estimate from point sizes instead of measuring every stream exactly. */
        estimate: z.boolean().optional(),
        passphrases: Passphrases.optional(),
      })
      .strict()
      .refine((p) => (p.ticketId === undefined) !== (p.request === undefined), 'give either ticketId or request'),
    result: PlanSchema,
  },
  'plan.fileSync': {
    params: z.object({ ticketId: TicketRef, drives: z.array(Device).min(1).max(16), sites: SitesSchema.optional() }).strict(),
    result: loose({ placement: z.array(loose({ system: z.string(), point: z.string(), drive: z.number() })), totalBytes: z.number(), notes: z.array(z.string()) }),
  },
} as const;
