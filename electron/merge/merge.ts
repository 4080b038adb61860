// Merge-back (R18): every system on a ZFS unit into its dataset under a destination root (an
// appliance's, or the offsite copy's), on top of the newest point both share, so the destination
// keeps its own points and gains the unit's, all with their original GUIDs.
//   open-unit → verify-unit (manifest vs unit; nothing is received from a unit that fails) →
//   plan (per system: new / increments / up to date / refused) → space check →
//   merge SYSTEM (one point at a time, each proven) → mark encrypted agents locked → ticket, audit
// A system whose destination has points newer than the common point is refused, naming them, unless
// the technician allowed a rollback of that system by name. A system that fails is put back exactly
// as it was (undo.ts), and the others go on.
import { randomUUID } from 'node:crypto';
import { AppError, toAppError } from '../api/errors.ts';
import { readSystemMeta } from '../appliance/system-meta.ts';
import { abortError, watchDrives } from '../jobs/drive-watch.ts';
import { Journal } from '../jobs/journal.ts';
import { withJobRun, type JobRun } from '../jobs/job-run.ts';
import type { ManifestPoint, ManifestSystem } from '../jobs/manifest.ts';
import { ProgressMeter, type ProgressSnapshot } from '../jobs/progress.ts';
import { verifyZfsUnit, type VerifyCheck } from '../jobs/zfs/verify.ts';
import { logLine } from '../system/log.ts';
import { appPath } from '../system/paths.ts';
import {
  assertDatasetName, datasetExists, getDataset, getUserProps, listSnapshots, rollback, setUserProp,
} from '../system/zfs/index.ts';
import { newerPointsSentence, planSystemMerge, pointWords, type PlanPoint, type SystemMergePlan } from './merge-plan.ts';
import { receivePoint } from './receive-points.ts';
import { captureDest, removeSaved, restoreDest, saveNewerPoints } from './undo.ts';
import { openZfsUnit, type UnitSession } from './unit-session.ts';
import { markLocked, unlockAgent } from './unlock.ts';
import { join } from 'node:path';

export interface MergeRequest {
  device: string;
  /** Destination root: the systems land in INTO/SYSTEM. */
  into: string;
  /** Systems whose destination points newer than the common point may be discarded. */
  allowRollback?: string[];
  /** Only these systems (default: every system on the unit). */
  systems?: string[];
  actor?: string;
  /** Unlocks the encrypted agents after merging; in memory only. */
  passphrase?: string;
  jobId?: string;
}

export type SystemOutcome = 'merged' | 'new' | 'up-to-date' | 'refused' | 'failed';

export interface SystemMergeResult {
  system: string;
  dataset: string;
  outcome: SystemOutcome;
  /** Error code for refused and failed systems. */
  code?: string;
  message: string;
  hint?: string;
  common: PlanPoint | null;
  received: Array<{ name: string; guid: string }>;
  /** Destination points discarded by an allowed rollback. */
  rolledBack: PlanPoint[];
  /** Destination points that made a system refused. */
  newer: PlanPoint[];
  encrypted: boolean;
  agentState?: 'locked' | 'unlocked';
  /** Failed systems: whether the destination was put back exactly as it was. */
  restored?: boolean;
}

export interface MergeResult {
  ok: boolean;
  jobId: string;
  device: string;
  ticketId: string;
  unitId: string;
  destination: string;
  verified: { pointsChecked: number };
  systems: SystemMergeResult[];
  ticket: { advanced: boolean; note?: string };
  tookMs: number;
}

export interface MergeHooks {
  /** Runs after each point lands; a throw fails that system like any step (tests use it). */
  afterPoint?: (system: string, point: string) => void | Promise<void>;
}

type MergeJournalRecord =
  | { type: 'job'; device: string; into: string; ticketId: string; unitId: string; allowRollback: string[] }
  | { type: 'plan'; system: string; kind: string; common: string | null; receive: number; newer: number }
  | { type: 'saved'; system: string; file: string; bytes: number }
  | { type: 'rollback'; system: string; to: string; discarded: string[] }
  | { type: 'point'; system: string; point: string; guid: string; bytes: number }
  | { type: 'system'; system: string; outcome: SystemOutcome; code?: string; restored?: boolean }
  | { type: 'done'; ok: boolean }
  | { type: 'failed'; code: string; message: string; step?: string };

export function mergeJobId(ticketId: string): string {
  return `merge-${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now()}`;
}

async function audit(actor: string, action: string, ticketId: string, details: Record<string, unknown>): Promise<void> {
  logLine('audit', { action, actor, ticketId, ...details });
  try {
    const { appendAudit } = await import('../tickets/audit.ts');
    appendAudit({ actor, action, ticketId, details });
  } catch (e) {
    // The ticket database is this bench's; a unit from elsewhere merges without it (engine log has it).
    logLine('merge', { op: 'audit', action, failed: String(e) });
  }
}

function toPlanPoints(points: Array<{ snap: string; guid: string }>): PlanPoint[] {
  return points.map((p) => ({ name: p.snap, guid: p.guid, time: /^\d{9,11}$/.test(p.snap) ? Number(p.snap) : undefined }));
}

export interface PlannedSystem {
  system: ManifestSystem;
  dataset: string;
  plan: SystemMergePlan<ManifestPoint>;
  bytes: number;
}

/** The plan for every system, from the unit and the destination as they are now; changes nothing. */
export async function planMerge(session: UnitSession, into: string, opts: { allowRollback?: string[]; systems?: string[] } = {}): Promise<PlannedSystem[]> {
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
    const plan = planSystemMerge(s.points, dest, (opts.allowRollback ?? []).includes(s.system));
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
export async function previewMerge(req: Pick<MergeRequest, 'device' | 'into' | 'allowRollback' | 'systems'>): Promise<SystemMergeResult[]> {
  const session = await openZfsUnit(req.device);
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

async function checkDestination(session: UnitSession, into: string): Promise<void> {
  assertDatasetName(into);
  if (!(await datasetExists(into))) {
    throw new AppError('ZFS_NO_DATASET', `The destination ${into} is not on this bench: is the appliance's (or offsite) pool imported?`);
  }
  const pool = into.split('/')[0];
  if (pool === session.pool) throw new AppError('BAD_INPUT', 'The destination is the unit itself; name the appliance\'s or the offsite dataset root.');
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
  if (p.plan.kind === 'up-to-date') {
    return { ...base, outcome: 'up-to-date', common: p.plan.common, message: `${p.system.system}: ${p.dataset} already holds every point of the unit (up to ${pointWords(p.plan.common)}).` };
  }
  return null;
}

/** The steps of a merge-back, in order ("merge SYSTEM" for each system). */
export const MERGE_STEPS = ['open-unit', 'verify-unit', 'plan', 'merge', 'agents'] as const;

type MergeOptions = { signal?: AbortSignal; onProgress?: (p: ProgressSnapshot) => void; hooks?: MergeHooks };

export async function runMerge(req: MergeRequest, opts: MergeOptions = {}): Promise<MergeResult> {
  const started = Date.now();
  const session = await openZfsUnit(req.device);
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

async function runLockedMerge(req: MergeRequest, session: UnitSession, jobId: string, started: number, opts: MergeOptions, run: JobRun<MergeJournalRecord>): Promise<MergeResult> {
  const actor = req.actor ?? 'cli';
  const m = session.manifest;
  const journal = run.journal;
  const meter = run.meter;
  // The unit's drives are watched for the whole merge: a pulled drive stops it at once, the system
  // being received put back as it was (a drive gone can otherwise leave `zfs send` waiting for good).
  const watch = watchDrives(session.disks, opts.signal, 'Plug the unit in again and run the merge again: the systems merged so far stay merged, the one that was being received was put back as it was.');
  const signal = watch.signal;
  try {
    await checkDestination(session, req.into);
    journal.append({ type: 'job', device: req.device, into: req.into, ticketId: m.ticketId, unitId: m.unitId, allowRollback: req.allowRollback ?? [] });

    // --- verify-unit: the unit against its own manifest, before anything is received.
    run.enter('verify-unit');
    const v = await verifyZfsUnit(req.device, { sourceRoot: null, signal });
    if (!v.ok) {
      throw new AppError('MERGE_UNIT_DAMAGED', `The unit does not match its manifest, so nothing was merged: ${describeMismatches(v.mismatches)}.`, {
        step: run.step,
        hint: 'Nothing was received. Do not merge this unit; have it synced again.',
        data: { mismatches: v.mismatches },
      });
    }

    // --- plan and space
    run.enter('plan');
    const planned = await planMerge(session, req.into, { allowRollback: req.allowRollback, systems: req.systems });
    for (const p of planned) {
      journal.append({ type: 'plan', system: p.system.system, kind: p.plan.kind, common: 'common' in p.plan ? p.plan.common.name : null, receive: 'receive' in p.plan ? p.plan.receive.length : 0, newer: p.plan.kind === 'refuse-newer' ? p.plan.newer.length : 0 });
    }
    const todo = planned.filter((p) => p.plan.kind === 'new' || p.plan.kind === 'incremental');
    const total = todo.reduce((n, p) => n + p.bytes, 0);
    const free = (await getDataset(req.into)).availableBytes;
    if (total > free) {
      throw new AppError('TARGET_FULL', `The destination has ${(free / 1e9).toFixed(2)} GB free but the unit's points need about ${(total / 1e9).toFixed(2)} GB.`, {
        step: run.step,
        hint: 'Free space on the destination pool, or merge fewer systems (--system NAME). Nothing was changed.',
      });
    }
    meter.setTotal(total);

    // --- merge, system by system
    const results: SystemMergeResult[] = [];
    for (const p of planned) {
      const r = refusal(p);
      if (r) {
        results.push(r);
        journal.append({ type: 'system', system: r.system, outcome: r.outcome, code: r.code });
        continue;
      }
      watch.check();
      if (signal.aborted) throw abortError(signal, 'The merge was cancelled.', run.step);
      run.enter(`merge ${p.system.system}`, p.system.system, p.bytes);
      const res = await mergeSystem(session, p, { jobId, journal, meter, actor, ticketId: m.ticketId, signal, checkDrives: watch.check, hooks: opts.hooks, step: run.step });
      results.push(res);
      journal.append({ type: 'system', system: res.system, outcome: res.outcome, code: res.code, restored: res.restored });
    }

    // --- encrypted agents: locked until the passphrase is entered (R18)
    run.enter('agents');
    for (const r of results) {
      if (!r.encrypted || (r.outcome !== 'merged' && r.outcome !== 'new')) continue;
      await markLocked(r.dataset);
      r.agentState = 'locked';
      if (req.passphrase) {
        try {
          await unlockAgent(r.dataset, req.passphrase, { actor, ticketId: m.ticketId });
          r.agentState = 'unlocked';
        } catch (e) {
          const err = toAppError(e);
          r.message += ` It stays locked: ${err.message}`;
        }
      }
    }

    const ok = results.every((r) => r.outcome === 'merged' || r.outcome === 'new' || r.outcome === 'up-to-date');
    const ticket = ok ? await advanceTicket(m.ticketId, actor) : { advanced: false, note: 'Not every system was merged; the ticket stays where it is.' };
    journal.append({ type: 'done', ok });
    logLine('job', { jobId, op: 'merge done', ok, systems: results.map((r) => `${r.system}:${r.outcome}`) });
    return {
      ok,
      jobId,
      device: req.device,
      ticketId: m.ticketId,
      unitId: m.unitId,
      destination: req.into,
      verified: { pointsChecked: v.pointsChecked },
      systems: results,
      ticket,
      tookMs: Date.now() - started,
    };
  } finally {
    watch.stop();
  }
}

function describeMismatches(ms: VerifyCheck[]): string {
  const shown = ms.slice(0, 3).map((x) => x.problem ?? `${x.system} @ ${x.point}`);
  return shown.join('; ') + (ms.length > 3 ? `; and ${ms.length - 3} more` : '');
}

async function mergeSystem(
  session: UnitSession,
  p: PlannedSystem,
  ctx: { jobId: string; journal: { append(r: MergeJournalRecord): void }; meter: ProgressMeter; actor: string; ticketId: string; signal?: AbortSignal; checkDrives: () => void; hooks?: MergeHooks; step: string },
): Promise<SystemMergeResult> {
  const s = p.system;
  const plan = p.plan as Extract<SystemMergePlan<ManifestPoint>, { kind: 'new' | 'incremental' }>;
  const unitDs = s.unitPath;
  const before = await captureDest(p.dataset);
  const rolledBack = plan.kind === 'incremental' ? plan.rollback : [];
  const common = plan.kind === 'incremental' ? plan.common : null;
  let saved: { common: string; file: string } | undefined;
  const received: Array<{ name: string; guid: string }> = [];
  try {
    if (plan.kind === 'incremental' && rolledBack.length) {
      // The rollback the technician allowed: save what it discards first, so a failure can put it back.
      const file = join(appPath('merge', ctx.jobId), `${s.system}.newer.zstream`);
      const bytes = await saveNewerPoints(p.dataset, plan.common.name, before.points.at(-1)!.snap, file, ctx.signal);
      saved = { common: plan.common.name, file };
      ctx.journal.append({ type: 'saved', system: s.system, file, bytes });
      await audit(ctx.actor, 'merge.rollback', ctx.ticketId, { dataset: p.dataset, to: plan.common.name, discarded: rolledBack.map((x) => x.name) });
      await rollback(`${p.dataset}@${plan.common.name}`, { destroyNewer: true });
      ctx.journal.append({ type: 'rollback', system: s.system, to: plan.common.name, discarded: rolledBack.map((x) => x.name) });
    }
    if (common) {
      const newest = (await listSnapshots(p.dataset)).at(-1);
      if (newest?.guid !== common.guid) {
        throw new AppError('ZFS_RECEIVE_REFUSED', `${p.dataset} changed while the merge was being planned: its newest point is no longer ${common.name}.`, { step: ctx.step });
      }
    }
    let from = common?.name ?? null;
    for (const pt of plan.receive) {
      ctx.checkDrives();
      if (ctx.signal?.aborted) throw abortError(ctx.signal, 'The merge was cancelled.', ctx.step);
      ctx.meter.setStep(ctx.step, `${s.system}@${pt.name}`);
      const got = await receivePoint(unitDs, p.dataset, pt, from, { onBytes: (n) => ctx.meter.add(n), signal: ctx.signal, step: ctx.step });
      received.push({ name: got.name, guid: got.guid });
      ctx.journal.append({ type: 'point', system: s.system, point: got.name, guid: got.guid, bytes: got.bytes });
      from = pt.name;
      await ctx.hooks?.afterPoint?.(s.system, pt.name);
    }
    if (plan.kind === 'new') await describeNewSystem(p.dataset, s);
    await audit(ctx.actor, 'merge.apply', ctx.ticketId, {
      dataset: p.dataset,
      unit: session.manifest.unitId,
      kind: plan.kind,
      common: common?.name ?? null,
      received: received.length,
      first: received[0]?.name,
      last: received.at(-1)?.name,
      rolledBack: rolledBack.map((x) => x.name),
    });
    if (saved) removeSaved(saved.file);
    const words = `${received.length} point(s) received (${pointWords(received[0])} … ${pointWords(received.at(-1)!)})`;
    return {
      system: s.system,
      dataset: p.dataset,
      outcome: plan.kind === 'new' ? 'new' : 'merged',
      message:
        plan.kind === 'new'
          ? `${s.system}: received as a new system in ${p.dataset}, ${words}.`
          : `${s.system}: ${words} on top of ${pointWords(plan.common)}${rolledBack.length ? `, after discarding ${rolledBack.length} newer point(s) as allowed` : ''}.`,
      common,
      received,
      rolledBack,
      newer: [],
      encrypted: s.encrypted,
    };
  } catch (e) {
    const err = toAppError(e);
    // A pulled unit shows up as whatever the receive hit first; the drives say what it was.
    ctx.checkDrives();
    if (err.code === 'CANCELLED' || ctx.signal?.aborted) {
      // A cancelled merge (or one whose unit was pulled) also puts the system back before it stops.
      const undo = await restoreDest(before, { savedNewer: saved });
      if (saved && undo.restored) removeSaved(saved.file);
      throw ctx.signal?.aborted ? abortError(ctx.signal, 'The merge was cancelled.', ctx.step) : err;
    }
    const undo = await restoreDest(before, { savedNewer: saved });
    if (saved && undo.restored) removeSaved(saved.file);
    logLine('merge', { op: 'system failed', system: s.system, code: err.code, message: err.message, detail: err.detail, restored: undo.restored, problem: undo.problem });
    if (received.length || rolledBack.length) await audit(ctx.actor, 'merge.undo', ctx.ticketId, { dataset: p.dataset, restored: undo.restored, received: received.length });
    return {
      system: s.system,
      dataset: p.dataset,
      outcome: 'failed',
      code: err.code,
      message: `${s.system}: ${err.message} ${undo.restored ? `${p.dataset} was put back exactly as it was.` : `${p.dataset} could NOT be put back as it was (${undo.problem}).`}`,
      hint: undo.restored
        ? err.hint
        : saved
          ? `The discarded points are saved in ${saved.file}; receive it with "zfs receive -F ${p.dataset}" after rolling back to ${saved.common}.`
          : err.hint,
      common,
      received: [],
      rolledBack: [],
      newer: [],
      encrypted: s.encrypted,
      restored: undo.restored,
    };
  }
}

/** A system received as new carries no user properties (plain send): describe it like the appliance does. */
async function describeNewSystem(dataset: string, s: ManifestSystem): Promise<void> {
  await setUserProp(dataset, 'roundtrip:kind', s.kind);
  await setUserProp(dataset, 'roundtrip:encrypted', s.encrypted ? 'yes' : 'no');
  const ds = await getDataset(dataset);
  const meta = ds.mounted && ds.mountpoint ? readSystemMeta(ds.mountpoint) : null;
  if (meta?.os) await setUserProp(dataset, 'roundtrip:os', meta.os);
  if (meta?.volumes.length) await setUserProp(dataset, 'roundtrip:volumes', meta.volumes.map((v) => `${v.name}:${v.fs}`).join(','));
}

async function advanceTicket(ticketId: string, actor: string): Promise<MergeResult['ticket']> {
  try {
    const { TicketStore } = await import('../tickets/store.ts');
    const { nextSteps } = await import('../tickets/model/lifecycle.ts');
    const store = new TicketStore();
    const t = store.find(ticketId);
    if (!t) return { advanced: false, note: `Ticket ${ticketId} is not on this bench; record the merge on the bench that owns it.` };
    if (!nextSteps(t.request, t.steps).includes('merged')) {
      return { advanced: false, note: `Ticket ${ticketId} is not at the merge step yet (it must be delivered first); record it with "roundtrip ticket advance".` };
    }
    store.advance(t.id, 'merged', { by: actor });
    // The unit is home: the lock points its syncs guarded may go to retention again (where they are on this bench).
    const { releaseTicketGuards } = await import('../jobs/zfs/guards.ts');
    const { syncJobId } = await import('../jobs/zfs/sync.ts');
    const g = await releaseTicketGuards(t.id, syncJobId(t.id));
    const failed = g.failed.length ? ` ${g.failed.length} guard(s) could not be released: "roundtrip guard release --ticket ${t.id}".` : '';
    return { advanced: true, ...(g.released.length || failed ? { note: `Released the guard on ${g.released.length} lock point(s).${failed}` } : {}) };
  } catch (e) {
    return { advanced: false, note: toAppError(e).message };
  }
}
