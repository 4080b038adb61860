// Request schemas of the drive operations, for the engine API contract and the CLI. Pure (zod only).
import { z } from 'zod';

const device = z.string().regex(/^\/dev\/[A-Za-z0-9/_.:-]+$/, 'a device path such as /dev/sdb');

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
    devices: z.array(device).min(1, 'choose at least one drive').max(16),
    layout: z.enum(['zfs', 'ntfs', 'ext4']),
    label: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, '1 to 32 letters, digits, "_", "-" or "."'),
    /** Without it nothing is written: the answer is the erase preview. */
    yes: z.boolean().optional(),
    /** Unmount the drives' (non-system) filesystems first. */
    unmount: z.boolean().optional(),
    confirmInternal: z.boolean().optional(),
    confirmData: z.boolean().optional(),
    ticketId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/).optional(),
    /** Who asked, for the audit trail. */
    actor: z.string().min(1).max(120).optional(),
    /** The job the drives are claimed for (a sync job formatting its own targets). */
    jobId: z.string().min(1).max(200).optional(),
  })
  .strict();

export const EjectRequest = z
  .object({
    devices: z.array(device).min(1).max(16),
    jobId: z.string().min(1).max(200).optional(),
    actor: z.string().min(1).max(120).optional(),
  })
  .strict();

export const NasHostSchema = z
  .object({
    host: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$|^\[?[0-9A-Fa-f:]+\]?$/, 'a host name or IP address'),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).optional(),
    identityFile: z.string().regex(/^\/[^\0\n]*$/, 'an absolute path'),
    knownHostsFile: z.string().regex(/^\/[^\0\n]*$/, 'an absolute path'),
  })
  .strict();

export type FormatRequestInput = z.infer<typeof FormatRequest>;
export type EjectRequestInput = z.infer<typeof EjectRequest>;
export type NasHostInput = z.infer<typeof NasHostSchema>;
