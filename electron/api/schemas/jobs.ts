// Jobs in the contract: the long operations (format, sync, verify, merge-back, kept-unit
// verification, unlock). `jobs.start` answers at once with the job; the engine runs it and tells
// every client through `job.*` events; `jobs.get` shows it again after a reload. Pure.
import { z } from 'zod';
import { SerializedErrorSchema } from './errors.ts';
import { AbsolutePath, Actor, Dataset, Device, JobId, NasHostSchema, oneUnit, Passphrase, Passphrases, PointName, PoolName, Protection, SitesSchema, SystemName, TicketRef, UnitRefFields } from './common.ts';
import { FormatRequest } from './drives.ts';

export const SyncParams = z
  .object({
    ticketId: TicketRef,
    /** The drives to erase and write (R9); none when resuming or writing a NAS unit. */
    drives: z.array(Device).max(16).default([]),
    /** A NAS unit (ZFS over ssh, R3) instead of drives. */
    nas: NasHostSchema.optional(),
    nasPool: PoolName.optional(),
    resume: z.boolean().optional(),
    eject: z.boolean().optional(),
    /** File syncs: read every drive back after writing (default on). */
    verify: z.boolean().optional(),
    passphrases: Passphrases.optional(),
    sites: SitesSchema.optional(),
    actor: Actor.optional(),
    /** R9: pause the appliance's local backups during the sync (the default), through the bench's commands. */
    pauseLocalBackups: z.boolean().optional(),
    /** R11: a system's lock moved to another common point (system → point), as plan.forTicket took it. */
    locks: z.record(SystemName, PointName).optional(),
    /**
     * How the unit is protected at rest (issue 21, plan.forTicket's `protection`): `sealed` (ZFS units
     * on drives: sealed stream files, docs/sealed-units.md) or `unencrypted`, the technician's
     * explicit choice, recorded in the ticket's audit. A new sync without it is refused.
     */
    protection: Protection.optional(),
    /** A sealed sync's resume: the unit passphrase shown when it started (never kept on disk). */
    unitPassphrase: Passphrase.optional(),
  })
  .strict();

export const LOCAL_BACKUPS_STATES = [
  /** The technician chose to leave them running. */
  'not-chosen',
  /** No pause command on this bench. */
  'not-configured',
  'paused',
  /** The pause command failed: the sync stopped before anything was erased. */
  'pause-failed',
  'resumed',
  /** The resume command failed: the appliance's backups may still be paused. */
  'resume-failed',
  /** Another sync still runs with them paused; they resume when it ends. */
  'left-to-other-sync',
] as const;

/** What a sync did with the appliance's local backups (R9), kept in the job's record. */
export const LocalBackupsRecordSchema = z
  .object({
    /** The technician's choice: pause them during the sync. */
    chosen: z.boolean(),
    state: z.enum(LOCAL_BACKUPS_STATES),
    /** The same, in a technician's words. */
    sentence: z.string(),
    at: z.string(),
  })
  .strict();
export type LocalBackupsRecord = z.infer<typeof LocalBackupsRecordSchema>;

export const VerifyParams = z
  .object({
    device: Device.optional(),
    /** A NAS unit: its dataset POOL/rt_TICKET on the host. */
    nas: NasHostSchema.optional(),
    nasDataset: Dataset.optional(),
    /** The source root to compare with, or null to compare with the manifest alone. */
    source: Dataset.nullable().optional(),
    passphrases: Passphrases.optional(),
    /** A sealed unit: with its passphrase every stream file is opened and checked; without, their presence and structure. */
    unitPassphrase: Passphrase.optional(),
    /**
     * A sealed unit this engine just synced: its passphrase, while the engine still holds it for
     * that sync (until it is passed on), opens the unit without being typed again.
     */
    sealedSyncJobId: JobId.optional(),
  })
  .strict()
  .refine((p) => (p.device !== undefined) !== (p.nas !== undefined), 'give either device or nas');

export const MergeParams = z
  .object({
    /** The unit: its drive, or a NAS unit (nas + nasDataset); exactly one. */
    ...UnitRefFields,
    into: Dataset,
    allowRollback: z.array(SystemName).max(256).optional(),
    systems: z.array(SystemName).max(256).optional(),
    passphrase: Passphrase.optional(),
    /** A sealed unit's passphrase (issue 21): nothing is read from such a unit without it. */
    unitPassphrase: Passphrase.optional(),
    actor: Actor.optional(),
  })
  .strict()
  .superRefine(oneUnit);

export const VerifyKeptParams = z
  .object({
    device: Device,
    system: SystemName.optional(),
    point: PointName.optional(),
    volume: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/).optional(),
    source: Dataset.nullable().optional(),
    actor: Actor.optional(),
  })
  .strict();

export const UnlockParams = z.object({ dataset: Dataset, passphrase: Passphrase, ticketId: TicketRef.optional(), actor: Actor.optional() }).strict();

/** A sealed unit's disk images unsealed into a folder on this machine (jobs/sealed/unseal.ts). */
export const UnsealParams = z
  .object({
    device: Device,
    /** An existing folder; the images go under SYSTEM/POINT/ in it, with the unit's manifest. */
    to: AbsolutePath,
    unitPassphrase: Passphrase,
    actor: Actor.optional(),
  })
  .strict();

export const FormatParams = FormatRequest.omit({ jobId: true, yes: true });

/** Every job kind and its parameters. */
export const JobSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('format'), params: FormatParams }).strict(),
  z.object({ kind: z.literal('sync'), params: SyncParams }).strict(),
  z.object({ kind: z.literal('verify'), params: VerifyParams }).strict(),
  z.object({ kind: z.literal('merge'), params: MergeParams }).strict(),
  z.object({ kind: z.literal('verify-kept'), params: VerifyKeptParams }).strict(),
  z.object({ kind: z.literal('unlock'), params: UnlockParams }).strict(),
  z.object({ kind: z.literal('unseal'), params: UnsealParams }).strict(),
]);
export type JobSpecInput = z.input<typeof JobSpec>;
export type JobSpecParsed = z.infer<typeof JobSpec>;
export type JobKind = JobSpecParsed['kind'];
export const JOB_KINDS = ['format', 'sync', 'verify', 'merge', 'verify-kept', 'unlock', 'unseal'] as const satisfies readonly JobKind[];

export const JOB_STATES = ['running', 'cancelling', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const FINAL_JOB_STATES: readonly JobState[] = ['done', 'failed', 'cancelled'];

export const ProgressSnapshotSchema = z
  .object({
    jobId: z.string(),
    step: z.string(),
    item: z.string().optional(),
    bytesDone: z.number(),
    bytesTotal: z.number(),
    itemBytesDone: z.number(),
    itemBytesTotal: z.number(),
    rate: z.number(),
    averageRate: z.number(),
    etaSeconds: z.number().nullable(),
    percent: z.number(),
    elapsedMs: z.number(),
    /** When the engine made it (ms since the epoch). */
    at: z.number(),
  })
  .strict();

/** One check of a kept-unit verification (R19), as the job reports it when the check ends. */
export const KeptCheckSchema = z
  .object({
    id: z.enum(['contents', 'file-restore', 'image-export', 'pool-health', 'smart']),
    title: z.string(),
    status: z.enum(['passed', 'failed', 'not-available', 'skipped']),
    summary: z.string(),
    evidence: z.array(z.string()),
  })
  .strict();
export type KeptCheckView = z.infer<typeof KeptCheckSchema>;

/** A job as every client sees it. Its parameters are shown with their secrets redacted. */
export const JobViewSchema = z
  .object({
    id: z.string(),
    kind: z.enum(JOB_KINDS),
    title: z.string(),
    state: z.enum(JOB_STATES),
    /** The steps the job goes through, named ahead of time for a UI to show. */
    steps: z.array(z.string()),
    params: z.unknown(),
    holds: z.object({ drives: z.array(z.string()), tickets: z.array(z.string()) }).strict(),
    progress: ProgressSnapshotSchema.nullable(),
    error: SerializedErrorSchema.nullable(),
    result: z.unknown().optional(),
    resumable: z.boolean(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    /** The last lines a technician reads (the job.log events). */
    log: z.array(z.object({ at: z.string(), line: z.string() }).strict()),
    /** A sync: what it did with the appliance's local backups (R9). */
    localBackups: LocalBackupsRecordSchema.optional(),
    /** A kept-unit verification: the checks done so far, each added as it ends. */
    keptChecks: z.array(KeptCheckSchema).optional(),
  })
  .strict();
export type JobView = z.infer<typeof JobViewSchema>;

export const jobMethods = {
  'jobs.start': { params: JobSpec, result: JobViewSchema },
  'jobs.list': { params: z.object({ state: z.enum(JOB_STATES).optional() }).strict(), result: z.array(JobViewSchema) },
  'jobs.get': { params: z.object({ jobId: JobId }).strict(), result: JobViewSchema },
  'jobs.cancel': { params: z.object({ jobId: JobId }).strict(), result: JobViewSchema },
  /** Continues an interrupted job (the engine was killed) the way `--resume` does; secrets are asked again. */
  'jobs.resume': { params: z.object({ jobId: JobId, passphrases: Passphrases.optional(), passphrase: Passphrase.optional(), unitPassphrase: Passphrase.optional() }).strict(), result: JobViewSchema },
} as const;
