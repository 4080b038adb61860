// Tickets in the contract: intake (create, import, update), the checklist and lifecycle, the
// return clock and fees (in the ticket view), the printed label and packing slip, export, the
// audit trail, notifications, settings.
// The request form itself is checked by the ticket model (field-by-field TICKET_INVALID errors);
// here it only has to be an object. Pure.
import { z } from 'zod';
import { Actor, LocalBackupsCommands, loose, TicketRef } from './common.ts';
import { secret } from '../secrets.ts';

const RequestForm = z.record(z.string(), z.unknown());
const SettingsSection = z.record(z.string().max(64), z.unknown());

export const TicketSchema = loose({
  id: z.string(),
  request: loose({ ticketNumber: z.string(), direction: z.enum(['forward', 'reverse']) }),
  steps: z.array(loose({ step: z.string(), by: z.string(), at: z.string() })),
  current: z.string().nullable(),
  nextSteps: z.array(z.string()),
  closed: z.boolean(),
  returnClock: loose({ state: z.string() }),
  fees: loose({ totalUsd: z.number() }),
  packing: loose({ items: z.array(loose({ id: z.string(), label: z.string() })), unitLabel: loose({}), returnLabel: loose({}) }),
});

export const OutboxEntrySchema = loose({ id: z.number(), kind: z.string(), status: z.string(), recipients: z.array(z.string()) });

export const ticketMethods = {
  'tickets.create': { params: z.object({ request: RequestForm, actor: Actor.optional() }).strict(), result: TicketSchema },
  'tickets.import': {
    params: z.object({ document: z.union([z.string().max(8 * 1024 * 1024), RequestForm]), source: z.string().max(4096).optional(), actor: Actor.optional() }).strict(),
    result: TicketSchema,
  },
  'tickets.update': { params: z.object({ ticketId: TicketRef, request: RequestForm, actor: Actor.optional() }).strict(), result: TicketSchema },
  'tickets.get': { params: z.object({ ticketId: TicketRef }).strict(), result: TicketSchema.extend({ notifications: z.array(OutboxEntrySchema) }) },
  'tickets.list': {
    params: z.object({ open: z.boolean().optional(), direction: z.enum(['forward', 'reverse']).optional() }).strict(),
    result: z.array(TicketSchema),
  },
  /** Records a checklist step (who, when, tracking, bytes, packing items, note): the lifecycle's transitions. */
  'tickets.advance': {
    params: z
      .object({
        ticketId: TicketRef,
        /** One of the lifecycle's steps; the lifecycle says which may come next. */
        step: z.string().max(64),
        actor: Actor.optional(),
        at: z.string().max(40).optional(),
        trackingNumber: z.string().max(64).optional(),
        bytes: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
        items: z.array(z.string().max(64)).max(64).optional(),
        note: z.string().max(4000).optional(),
      })
      .strict(),
    result: TicketSchema,
  },
  /** A ticket's printout as PDF bytes (base64): the unit label (4×6 in) or the packing slip (R13–R15). */
  'tickets.print': {
    params: z.object({ ticketId: TicketRef, kind: z.enum(['label', 'packing-slip']) }).strict(),
    result: z.object({ fileName: z.string(), mediaType: z.literal('application/pdf'), base64: z.string() }).strict(),
  },
  'tickets.export': { params: z.object({ ticketId: TicketRef }).strict(), result: loose({ request: loose({ ticketNumber: z.string() }) }) },
  'tickets.outbox': {
    params: z.object({ ticketId: TicketRef.optional(), flush: z.boolean().optional() }).strict(),
    result: z.object({ flush: loose({ tried: z.number(), sent: z.number(), failed: z.array(z.unknown()) }).optional(), entries: z.array(OutboxEntrySchema) }).strict(),
  },
  'tickets.checkReturns': {
    params: z.object({}).strict(),
    result: loose({ changes: z.array(loose({ ticketId: z.string(), from: z.string(), to: z.string() })) }),
  },
  'tickets.settings': {
    params: z
      .object({
        patch: z
          .object({
            // The values themselves are checked by the ticket model (settings-schema.ts), field by
            // field, so the settings screen can put each sentence next to its field; here only the
            // shape and the password's secrecy matter. The relay's keys are named, strictly: an
            // unknown (mistyped) key is refused here, before the request is logged, so a password
            // under a wrong name never reaches the log.
            smtp: z
              .object({
                host: z.unknown().optional(),
                port: z.unknown().optional(),
                secure: z.unknown().optional(),
                user: z.unknown().optional(),
                /** A string sets it (kept in memory or the OS keyring, never the database), null removes it. */
                pass: secret(z.string().max(1024)).nullable().optional(),
                from: z.unknown().optional(),
                timeoutMs: z.unknown().optional(),
              })
              .strict()
              .nullable()
              .optional(),
            replacementFeesUsd: SettingsSection.optional(),
            /** The bench's name and its technicians' names. */
            bench: SettingsSection.optional(),
            /** Return addresses per region (usa, emea, canada, anz); null for a region = the resource file's. */
            dataCenters: SettingsSection.optional(),
            /** R9: the commands that pause and resume the appliance's local backups around a sync; null = none. */
            localBackups: LocalBackupsCommands.nullable().optional(),
          })
          .strict()
          .optional(),
        actor: Actor.optional(),
      })
      .strict(),
    result: loose({
      replacementFeesUsd: z.record(z.string(), z.number()),
      // Never the password: whether one is set, where it lives (memory or the OS keyring), in words.
      smtp: loose({ passSet: z.boolean(), passStore: z.enum(['memory', 'keyring']), passNote: z.string() }).nullable(),
    }),
  },
  /** Sends one message through the saved SMTP relay and reports the relay's answer (NOTIFY_FAILED with its sentence when it refuses). */
  'tickets.testMail': {
    params: z.object({ to: z.string().min(3).max(320), actor: Actor.optional() }).strict(),
    result: z.object({ to: z.string(), relay: z.string(), messageId: z.string(), response: z.string(), accepted: z.array(z.string()), rejected: z.array(z.string()) }).strict(),
  },
  'audit.verify': { params: z.object({}).strict(), result: loose({ ok: z.boolean() }) },
  'audit.list': {
    params: z.object({ ticketId: TicketRef.optional(), action: z.string().max(64).optional(), limit: z.number().int().positive().max(1_000_000).optional() }).strict(),
    result: z.array(loose({ seq: z.number(), at: z.string(), actor: z.string(), action: z.string() })),
  },
} as const;
