// Drives and NAS units in the contract: listing with safety verdicts, erase preview, format,
// eject, a NAS unit's pools. Pure.
import { z } from 'zod';
import { Actor, Device, JobId, loose, NasHostSchema, TicketRef } from './common.ts';

export { NasHostSchema };

export const ListDrivesRequest = z
  .object({
    includeLoops: z.boolean().optional(),
    unmount: z.boolean().optional(),
    confirmInternal: z.boolean().optional(),
    confirmData: z.boolean().optional(),
  })
  .strict();

export const FormatRequest = z
  .object({
    devices: z.array(Device).min(1, 'choose at least one drive').max(16),
    layout: z.enum(['zfs', 'ntfs', 'ext4', 'zfs-sealed', 'images-sealed']),
    label: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, '1 to 32 letters, digits, "_", "-" or "."'),
    /** Without it nothing is written: the answer is the erase preview. */
    yes: z.boolean().optional(),
    /** Unmount the drives' (non-system) filesystems first. */
    unmount: z.boolean().optional(),
    confirmInternal: z.boolean().optional(),
    confirmData: z.boolean().optional(),
    ticketId: TicketRef.optional(),
    actor: Actor.optional(),
    /** The job the drives are claimed for (a sync job formatting its own targets). */
    jobId: z.string().min(1).max(200).optional(),
  })
  .strict();

export const EjectRequest = z
  .object({
    devices: z.array(Device).min(1).max(16),
    jobId: z.string().min(1).max(200).optional(),
    actor: Actor.optional(),
  })
  .strict();



const Verdict = loose({
  eligible: z.boolean(),
  ready: z.boolean(),
  refusals: z.array(loose({ code: z.string(), message: z.string() })),
  warnings: z.array(loose({ code: z.string(), message: z.string(), confirmed: z.boolean() })),
});

export const JudgedDriveSchema = loose({ device: z.string(), sizeBytes: z.number(), verdict: Verdict });

export const DriveListingSchema = loose({ drives: z.array(JudgedDriveSchema), notes: z.array(z.string()) });

/** The answer of a format without `yes`: what would be erased, and the confirmations still missing. */
export const ErasePreviewSchema = loose({ dryRun: z.literal(true), summary: z.string() });

export const FormatDoneSchema = loose({ dryRun: z.literal(false), layout: z.string(), label: z.string(), unitId: z.string(), drives: z.array(loose({ device: z.string() })) });

export const EjectResultSchema = z.object({ drives: z.array(loose({ device: z.string(), safeToUnplug: z.boolean(), message: z.string() })) }).strict();

export const NasPoolsRequest = z.object({ nas: NasHostSchema }).strict();
export const NasPoolsSchema = z
  .object({
    host: z.string(),
    port: z.number(),
    hostname: z.string(),
    pools: z.array(loose({ name: z.string(), health: z.string(), sizeBytes: z.number() })),
  })
  .strict();

export const EraseClaim = z.object({ jobId: JobId }).strict();
