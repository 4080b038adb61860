// Validation of plan input that arrives as JSON (the CLI's `plan --input`, the renderer over IPC).
// The chain functions themselves trust their typed callers and do not re-validate millions of
// points; this is the door where untrusted JSON becomes typed data, with a sentence on failure.
import { z } from 'zod';
import { AppError } from '../api/errors.ts';
import type { PlanInput, PlanTicket } from './plan.ts';
import type { RetentionPolicy } from './retention.ts';
import type { Selection, SystemInventory } from './types.ts';
import { SelectionSchema } from './selection-schema.ts';

const bytes = z.number().nonnegative();
const ref = z.union([z.string().min(1), z.number()]);

export const PointSchema = z.object({
  name: z.string().min(1),
  time: z.number(),
  // Decimal strings only: a GUID as a JS number has already lost precision.
  guid: z.string().regex(/^\d{1,20}$/, 'a snapshot GUID is a decimal string').optional(),
  usedBytes: bytes.optional(),
  referencedBytes: bytes.optional(),
});

export const InventorySchema = z.object({
  system: z.string().min(1),
  kind: z.enum(['agent', 'share']),
  local: z.array(PointSchema),
  offsite: z.array(PointSchema),
});

// One selection schema for the ticket form and the planner (selection-schema.ts).
export { SelectionSchema };

export const TicketSchema = z.object({
  direction: z.enum(['forward', 'reverse']).optional(),
  readFrom: z.enum(['appliance', 'offsite']).optional(),
  format: z.enum(['zfs', 'ntfs', 'ext4', 'image']),
  imageFormat: z.enum(['raw', 'vhd', 'vhdx', 'vmdk']).optional(),
  imageFs: z.enum(['zfs', 'ntfs', 'ext4']).optional(),
  disasterRecovery: z.boolean(),
  selections: z.record(z.string(), SelectionSchema),
  defaultSelection: SelectionSchema.optional(),
  lockOverrides: z.record(z.string(), ref).optional(),
});

export const RetentionPolicySchema = z.object({
  intraDailyToDailyAfterDays: z.number().nonnegative(),
  dailyToWeeklyAfterDays: z.number().nonnegative(),
  weeklyToMonthlyAfterDays: z.number().nonnegative(),
  keepDays: z.number().nonnegative(),
  maxDeletesPerRun: z.number().int().positive().optional(),
});

const PointSizesSchema = z.object({
  incrementalBytes: bytes.optional(),
  fullBytes: bytes.optional(),
  fsUsedBytes: bytes.optional(),
  imageBytes: bytes.optional(),
});

export const PlanInputSchema = z.object({
  ticket: TicketSchema,
  inventories: z.array(InventorySchema),
  sizes: z.record(z.string(), z.record(z.string(), PointSizesSchema)),
  spans: z.record(z.string(), z.array(z.object({ from: z.string().nullable(), to: z.string(), bytes }))).optional(),
  drives: z.array(z.object({ path: z.string().min(1), sizeBytes: bytes })).optional(),
  measuredRate: z.number().positive().nullable().optional(),
  retention: z
    .object({
      local: RetentionPolicySchema.optional(),
      offsite: RetentionPolicySchema.optional(),
      now: z.number(),
      arrival: z.number(),
      holds: z.record(z.string(), z.array(z.string())).optional(),
      utcOffsetSeconds: z.number().optional(),
    })
    .optional(),
});

function parseWith<T>(schema: z.ZodType, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data as T;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new AppError('BAD_INPUT', `The ${what} is not valid${where}: ${issue?.message ?? 'unknown problem'}.`, {
    data: { issues: r.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

export function parsePlanInput(value: unknown): PlanInput {
  return parseWith<PlanInput>(PlanInputSchema, value, 'plan input');
}
export function parseTicket(value: unknown): PlanTicket {
  return parseWith<PlanTicket>(TicketSchema, value, 'plan ticket');
}
export function parseSelection(value: unknown): Selection {
  return parseWith<Selection>(SelectionSchema, value, 'snapshot selection');
}
export function parseInventory(value: unknown): SystemInventory {
  return parseWith<SystemInventory>(InventorySchema, value, 'system inventory');
}
export function parseRetentionPolicy(value: unknown): RetentionPolicy {
  return parseWith<RetentionPolicy>(RetentionPolicySchema, value, 'retention policy');
}
