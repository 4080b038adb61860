// The events the engine pushes to every connected client. Pure.
import { z } from 'zod';
import { JOB_STATES, JobViewSchema, ProgressSnapshotSchema } from './jobs.ts';
import { SerializedErrorSchema } from './errors.ts';
import { JudgedDriveSchema } from './drives.ts';

export const events = {
  /** A running job's progress: step, item, bytes, rate, ETA. At most a few per second. */
  'job.progress': ProgressSnapshotSchema,
  /** A line a technician reads ("Formatting /dev/sdb", "LNX-WEB01: 12 points sent"). */
  'job.log': z.object({ jobId: z.string(), at: z.string(), line: z.string() }).strict(),
  /** A job's state changed; `job` is the whole view, so a client needs nothing else. */
  'job.state': z.object({ jobId: z.string(), state: z.enum(JOB_STATES), error: SerializedErrorSchema.nullable(), job: JobViewSchema }).strict(),
  /** Hot-plug: a drive came, went or changed. */
  'drives.changed': z.object({ type: z.enum(['drive-added', 'drive-removed', 'drive-changed']), device: z.string(), drive: JudgedDriveSchema, at: z.number() }).strict(),
  /** A ticket was created or changed (fields, a checklist step, a sync or merge recorded). */
  'ticket.changed': z.object({ ticketId: z.string(), reason: z.string() }).strict(),
} as const;

export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.infer<(typeof events)[E]>;
