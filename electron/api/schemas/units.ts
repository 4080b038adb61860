// Units in the contract: reading a unit from the drive alone, the guards its sync placed on lock
// points, what a merge would do, kept-unit report files. Pure.
import { z } from 'zod';
import { Dataset, Device, JobId, loose, SystemName, TicketRef } from './common.ts';

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
    params: z.object({ device: Device, into: Dataset, allowRollback: z.array(SystemName).max(256).optional(), systems: z.array(SystemName).max(256).optional() }).strict(),
    result: MergePreviewSchema,
  },
  /** A kept-unit report a verify-kept job wrote, as bytes (base64), for the UI to show or save. */
  'reports.kept': {
    params: z.object({ jobId: JobId, format: z.enum(['html', 'pdf']) }).strict(),
    result: z.object({ fileName: z.string(), mediaType: z.string(), base64: z.string() }).strict(),
  },
} as const;
