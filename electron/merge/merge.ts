// Merge-back (R18): every system on a ZFS unit into its dataset under a destination root (an
// appliance's, or the offsite copy's), on top of the newest point both share, so the destination
// keeps its own points and gains the unit's, all with their original GUIDs.
//   open-unit → verify-unit (manifest vs unit; nothing is received from a unit that fails) →
//   plan (per system: new / increments / up to date / refused) → space check →
//   merge SYSTEM (one point at a time, each proven) → mark encrypted agents locked → ticket, audit
// A system whose destination has points newer than the common point is refused, naming them, unless
// the technician allowed a rollback of that system by name. A system that fails is put back exactly
// as it was (undo.ts), and the others go on. One system's receive is in merge-system.ts, the shapes
// (request, result, plan, journal records) in merge-types.ts. The unit is read through a UnitSource
// (unit-source.ts): its drives here, or its dataset on a NAS over ssh.
import { randomUUID } from 'node:crypto';
import { AppError, toAppError } from '../api/errors.ts';
import { watchDrives, type DriveWatch } from '../jobs/drive-watch.ts';
import { withJobRun, type JobRun } from '../jobs/job-run.ts';
import { eachStep, runSteps, step, stepNames, type JobPipeline } from '../jobs/job-steps.ts';
import type { Manifest, ManifestPoint } from '../jobs/manifest.ts';
import type { ProgressSnapshot } from '../jobs/progress.ts';
import type { VerifyCheck } from '../jobs/zfs/verify.ts';
import { logLine } from '../system/log.ts';
import { assertDatasetName, datasetExists, getDataset, getUserProps, listSnapshots } from '../system/zfs/index.ts';
import { newerPointsSentence, planSystemMerge, pointWords, type PlanPoint, type SystemMergePlan } from './merge-plan.ts';
import { advanceTicket, mergeSystem } from './merge-system.ts';
import type { MergeHooks, MergeJournalRecord, MergeRequest, MergeResult, PlannedSystem, SystemMergeResult } from './merge-types.ts';
import { openUnitSource, unitRefOf, type UnitSource } from './unit-source.ts';
import { markLocked, unlockAgent } from './unlock.ts';

export type { MergeHooks, MergeJournalRecord, MergeRequest, MergeResult, PlannedSystem, SystemMergeResult, SystemOutcome } from './merge-types.ts';

export function mergeJobId(ticketId: string): string {
  return `merge-${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now()}`;
}

function toPlanPoints(points: Array<{ snap: string; guid: string }>): PlanPoint[] {
  return points.map((p) => ({ name: p.snap, guid: p.guid, time: /^\d{9,11}$/.test(p.snap) ? Number(p.snap) : undefined }));
}

/** The plan for every system, from the unit and the destination as they are now; changes nothing. */
export async function planMerge(session: { manifest: Manifest; absent?: Record<string, string> }, into: string, opts: { allowRollback?: string[]; systems?: string[] } = {}): Promise<PlannedSystem[]> {
  const m = session.manifest;
  const names = new Set(m.systems.map((s) => s.system));
  for (const n of [...(opts.allowRollback ?? []), ...(opts.systems ?? [])]) {
    if (!names.has(n)) throw new AppError('BAD_INPUT', `${n} is not on this unit; it holds ${[...names].join(', ')}.`);
  }
  const out: PlannedSystem[] = [];
  for (const s of m.systems) {
    if (opts.systems?.length && !opts.systems.includes(s.system)) continue;
    const dataset = `${into}/${s.system}`;
    assertDatasetName(dataset);
    const dest = (await datasetExists(dataset)) ? toPlanPoints(await listSnapshots(dataset)) : null;
    const why = session.absent?.[s.system];
    const plan: SystemMergePlan<ManifestPoint> = why ? { kind: 'refuse-absent', why } : planSystemMerge(s.points, dest, (opts.allowRollback ?? []).includes(s.system));
    const receive = 'receive' in plan ? plan.receive : [];
    const bytes = receive.reduce((n, p) => n + (s.streams.find((x) => x.end === p.name)?.bytes ?? 0), 0);
    out.push({ system: s, dataset, plan, bytes });
  }
  return out;
}

/**
 * What a merge would do, without verifying the unit's data or changing anything: the question the UI
 * (and `merge --dry-run`) puts to the technician before the merge runs, refusals and rollbacks named.
 */
export async function previewMerge(req: Pick<MergeRequest, 'device' | 'nas' | 'nasDataset' | 'unitPassphrase' | 'into' | 'allowRollback' | 'systems'>): Promise<SystemMergeResult[]> {
  const session = await openUnitSource(unitRefOf(req));
  try {
    await checkDestination(session, req.into);
    const planned = await planMerge(session, req.into, req);
    return planned.map((p) => {
      const r = refusal(p);
      if (r) return r;
      const plan = p.plan as Extract<SystemMergePlan<ManifestPoint>, { kind: 'new' | 'incremental' }>;
      const rolledBack = plan.kind === 'incremental' ? plan.rollback : [];
      return {
        system: p.system.system,
        dataset: p.dataset,
        outcome: plan.kind === 'new' ? ('new' as const) : ('merged' as const),
        message:
          `${p.system.system}: would receive ${plan.receive.length} point(s)` +
          (plan.kind === 'incremental' ? ` on top of ${pointWords(plan.common)}` : ' as a new system') +
          (rolledBack.length ? `, after discarding ${rolledBack.map(pointWords).join(', ')} (rollback allowed)` : '') +
          '.',
        common: plan.kind === 'incremental' ? plan.common : null,
        received: [],
        rolledBack,
        newer: [],
        encrypted: p.system.encrypted,
      };
    });
  } finally {
    await session.close();
  }
}

async function checkDestination(session: UnitSource, into: string): Promise<void> {
  assertDatasetName(into);
  if (!(await datasetExists(into))) {
    throw new AppError('ZFS_NO_DATASET', `The destination ${into} is not on this bench: is the appliance's (or offsite) pool imported?`);
  }
  const pool = into.split('/')[0];
  if (pool === session.localPool) throw new AppError('BAD_INPUT', 'The destination is the unit itself; name the appliance\'s or the offsite dataset root.');
  if ((await getUserProps(pool))['roundtrip:unit'] === 'yes') {
    throw new AppError('BAD_INPUT', `${pool} is another RoundTrip unit, not an appliance or offsite pool.`);
  }
}

function refusal(p: PlannedSystem): SystemMergeResult | null {
  const base = { system: p.system.system, dataset: p.dataset, common: null, received: [], rolledBack: [], newer: [], encrypted: p.system.encrypted };
  if (p.plan.kind === 'refuse-newer') {
    return {
      ...base,
      outcome: 'refused',
      code: 'MERGE_NEWER_POINTS',
      common: p.plan.common,
      newer: p.plan.newer,
      message: newerPointsSentence(p.system.system, p.dataset, p.plan.common, p.plan.newer),
      hint: `Nothing was changed. To discard those points and merge anyway, allow a rollback of this system: --allow-rollback ${p.system.system}.`,
    };
  }
  if (p.plan.kind === 'refuse-no-common') {
    return {
      ...base,
      outcome: 'refused',
      code: 'MERGE_NO_COMMON_POINT',
      message: `${p.system.system}: ${p.dataset} shares no point with the unit (it has ${p.plan.destinationPoints} point(s), none with a GUID the unit holds), so the unit's points cannot be applied on top of it. A full copy is needed.`,
      hint: 'Nothing was changed. Merge into a destination without this dataset (it is then received as a new system, in full), or ask for a unit made with a full copy of this system.',
    };
  }
  if (p.plan.kind === 'refuse-absent') {
    return {
      ...base,
      outcome: 'refused',
      code: 'DRIVE_NOT_FOUND',
      message: `${p.system.system}: ${p.plan.why}, so it cannot be merged now.`,
      hint: `Nothing of ${p.system.system} was changed. Attach every drive of the unit and merge again; the ticket stays where it is until every system is merged.`,
    };
  }
  if (p.plan.kind === 'up-to-date') {
    return { ...base, outcome: 'up-to-date', common: p.plan.common, message: `${p.system.system}: ${p.dataset} already holds every point of the unit (up to ${pointWords(p.plan.common)}).` };
  }
  return null;
}

/** What the steps of one merge-back pass along. */
interface MergeState {
  readonly req: MergeRequest;
  readonly session: UnitSource;
  readonly jobId: string;
  readonly opts: MergeOptions;
  readonly run: JobRun<MergeJournalRecord>;
  readonly actor: string;
  /** The unit's drives, watched for the whole merge. */
  readonly watch: DriveWatch;
  pointsChecked: number;
  planned: PlannedSystem[];
  results: SystemMergeResult[];
  ok: boolean;
  ticket?: MergeResult['ticket'];
}

const MERGE: JobPipeline<MergeState> = {
  steps: [
    step('open-unit', openMerge),
    step('verify-unit', verifyUnit),
    step('plan', planWithSpace),
    eachStep('merge', {
      items: (s) => s.planned,
      label: (p) => ({ item: p.system.system, bytes: p.bytes }),
      // Refused and up-to-date systems need no receive: their result is the plan's.
      done: (_s, p) => refusal(p) !== null,
      skipped: (s, p) => {
        const r = refusal(p)!;
        s.results.push(r);
        s.run.append({ type: 'system', system: r.system, outcome: r.outcome, code: r.code });
      },
      work: mergePlanned,
    }),
    // Merged agents are marked locked even after a cancel: a run again finds them up to date and
    // would not mark them.
    step('agents', lockAgentsAndFinish, { finishes: true }),
  ],
  signal: (s) => s.watch.signal,
  check: (s) => s.watch.check(),
  cancelled: 'The merge was cancelled.',
};

/** The steps of a merge-back, in order ("merge SYSTEM" for each system). */
export const MERGE_STEPS = stepNames(MERGE);

type MergeOptions = { signal?: AbortSignal; onProgress?: (p: ProgressSnapshot) => void; hooks?: MergeHooks };

export async function runMerge(req: MergeRequest, opts: MergeOptions = {}): Promise<MergeResult> {
  const started = Date.now();
  const session = await openUnitSource(unitRefOf(req));
  try {
    const jobId = req.jobId ?? mergeJobId(session.manifest.ticketId || randomUUID());
    // The merge journal grows across runs: a run again receives only what is not there yet.
    return await withJobRun<MergeJournalRecord, MergeResult>(
      { jobId, what: `The merge of ticket ${session.manifest.ticketId}'s unit`, steps: MERGE_STEPS, setAsideJournal: false, onProgress: opts.onProgress },
      (run) => runLockedMerge(req, session, jobId, started, opts, run),
    );
  } finally {
    await session.close().catch((e) => logLine('merge', { op: 'export unit', failed: toAppError(e).message }));
  }
}

async function runLockedMerge(req: MergeRequest, session: UnitSource, jobId: string, started: number, opts: MergeOptions, run: JobRun<MergeJournalRecord>): Promise<MergeResult> {
  const m = session.manifest;
  // The unit's drives are watched for the whole merge: a pulled drive stops it at once, the system
  // being received put back as it was (a drive gone can otherwise leave `zfs send` waiting for good).
  const watch = watchDrives(session.disks, opts.signal, 'Plug the unit in again and run the merge again: the systems merged so far stay merged, the one that was being received was put back as it was.');
  const s: MergeState = { req, session, jobId, opts, run, actor: req.actor ?? 'cli', watch, pointsChecked: 0, planned: [], results: [], ok: false };
  try {
    await runSteps(MERGE, s, run);
    logLine('job', { jobId, op: 'merge done', ok: s.ok, systems: s.results.map((r) => `${r.system}:${r.outcome}`) });
    return {
      ok: s.ok,
      jobId,
      device: session.label,
      ...(req.nasDataset ? { nasDataset: req.nasDataset } : {}),
      ticketId: m.ticketId,
      unitId: m.unitId,
      destination: req.into,
      verified: { pointsChecked: s.pointsChecked },
      systems: s.results,
      ticket: s.ticket!,
      tookMs: Date.now() - started,
    };
  } finally {
    watch.stop();
  }
}

async function openMerge(s: MergeState): Promise<void> {
  const { req, session } = s;
  await checkDestination(session, req.into);
  s.run.append({ type: 'job', device: session.label, into: req.into, ticketId: session.manifest.ticketId, unitId: session.manifest.unitId, allowRollback: req.allowRollback ?? [] });
}

/** The unit against its own manifest, before anything is received. */
async function verifyUnit(s: MergeState): Promise<void> {
  const v = await s.session.verify(s.watch.signal);
  if (!v.ok) {
    throw new AppError('MERGE_UNIT_DAMAGED', `The unit does not match its manifest, so nothing was merged: ${describeMismatches(v.mismatches)}.`, {
      step: s.run.step,
      hint: 'Nothing was received. Do not merge this unit; have it synced again.',
      data: { mismatches: v.mismatches },
    });
  }
  s.pointsChecked = v.pointsChecked;
}

/** Each system's plan, journaled; then the destination's space for what is to be received. */
async function planWithSpace(s: MergeState): Promise<void> {
  const { req, run } = s;
  s.planned = await planMerge(s.session, req.into, { allowRollback: req.allowRollback, systems: req.systems });
  for (const p of s.planned) {
    run.append({ type: 'plan', system: p.system.system, kind: p.plan.kind, common: 'common' in p.plan ? p.plan.common.name : null, receive: 'receive' in p.plan ? p.plan.receive.length : 0, newer: p.plan.kind === 'refuse-newer' ? p.plan.newer.length : 0 });
  }
  const todo = s.planned.filter((p) => p.plan.kind === 'new' || p.plan.kind === 'incremental');
  const total = todo.reduce((n, p) => n + p.bytes, 0);
  const free = (await getDataset(req.into)).availableBytes;
  if (total > free) {
    throw new AppError('TARGET_FULL', `The destination has ${(free / 1e9).toFixed(2)} GB free but the unit's points need about ${(total / 1e9).toFixed(2)} GB.`, {
      step: run.step,
      hint: 'Free space on the destination pool, or merge fewer systems (--system NAME). Nothing was changed.',
    });
  }
  run.meter.setTotal(total);
}

async function mergePlanned(s: MergeState, p: PlannedSystem): Promise<void> {
  const { run } = s;
  const res = await mergeSystem(s.session, p, { jobId: s.jobId, journal: run.journal, meter: run.meter, actor: s.actor, ticketId: s.session.manifest.ticketId, signal: s.watch.signal, checkDrives: s.watch.check, hooks: s.opts.hooks, step: run.step });
  s.results.push(res);
  run.append({ type: 'system', system: res.system, outcome: res.outcome, code: res.code, restored: res.restored });
}

/** Encrypted agents stay locked until the passphrase is entered (R18); then the ticket moves on. */
async function lockAgentsAndFinish(s: MergeState): Promise<void> {
  const { req, actor } = s;
  const ticketId = s.session.manifest.ticketId;
  for (const r of s.results) {
    if (!r.encrypted || (r.outcome !== 'merged' && r.outcome !== 'new')) continue;
    await markLocked(r.dataset);
    r.agentState = 'locked';
    if (req.passphrase) {
      try {
        await unlockAgent(r.dataset, req.passphrase, { actor, ticketId });
        r.agentState = 'unlocked';
      } catch (e) {
        const err = toAppError(e);
        r.message += ` It stays locked: ${err.message}`;
      }
    }
  }
  s.ok = s.results.every((r) => r.outcome === 'merged' || r.outcome === 'new' || r.outcome === 'up-to-date');
  // Systems left out with --system while others could not be read (a sealed unit's drive missing): the unit is not all back.
  const unread = Object.keys(s.session.absent ?? {});
  s.ticket = !s.ok
    ? { advanced: false, note: 'Not every system was merged; the ticket stays where it is.' }
    : unread.length
      ? { advanced: false, note: `${unread.join(', ')} could not be read (a drive of the unit is not attached); the ticket stays where it is.` }
      : await advanceTicket(ticketId, actor);
  s.run.append({ type: 'done', ok: s.ok });
}

function describeMismatches(ms: VerifyCheck[]): string {
  const shown = ms.slice(0, 3).map((x) => x.problem ?? `${x.system} @ ${x.point}`);
  return shown.join('; ') + (ms.length > 3 ? `; and ${ms.length - 3} more` : '');
}

