// One system of a merge-back received into its destination dataset (R18), and what a merge does
// once its systems are in: the ticket moves on. A system that fails is put back exactly as it was
// (undo.ts), with the points an allowed rollback discarded saved first, and the merge goes on.
import { join } from 'node:path';
import { AppError, toAppError } from '../api/errors.ts';
import { readSystemMeta } from '../appliance/system-meta.ts';
import { abortError } from '../jobs/drive-watch.ts';
import type { ManifestPoint, ManifestSystem } from '../jobs/manifest.ts';
import type { ProgressMeter } from '../jobs/progress.ts';
import { logLine } from '../system/log.ts';
import { appPath } from '../system/paths.ts';
import { getDataset, listSnapshots, rollback, setUserProp } from '../system/zfs/index.ts';
import { pointWords, type SystemMergePlan } from './merge-plan.ts';
import { receivePoint } from './receive-points.ts';
import { captureDest, removeSaved, restoreDest, saveNewerPoints } from './undo.ts';
import type { UnitSource } from './unit-source.ts';
import type { MergeHooks, MergeJournalRecord, MergeResult, PlannedSystem, SystemMergeResult } from './merge-types.ts';

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

/** One planned system (new or incremental) received point by point; a failure puts it back and is its result. */
export async function mergeSystem(
  source: UnitSource,
  p: PlannedSystem,
  ctx: { jobId: string; journal: { append(r: MergeJournalRecord): void }; meter: ProgressMeter; actor: string; ticketId: string; signal?: AbortSignal; checkDrives: () => void; hooks?: MergeHooks; step: string },
): Promise<SystemMergeResult> {
  const s = p.system;
  const plan = p.plan as Extract<SystemMergePlan<ManifestPoint>, { kind: 'new' | 'incremental' }>;
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
      const got = await receivePoint((point, base, signal) => source.send(s, point, base, signal), p.dataset, pt, from, { onBytes: (n) => ctx.meter.add(n), signal: ctx.signal, step: ctx.step });
      received.push({ name: got.name, guid: got.guid });
      ctx.journal.append({ type: 'point', system: s.system, point: got.name, guid: got.guid, bytes: got.bytes });
      from = pt.name;
      await ctx.hooks?.afterPoint?.(s.system, pt.name);
    }
    if (plan.kind === 'new') await describeNewSystem(p.dataset, s);
    await audit(ctx.actor, 'merge.apply', ctx.ticketId, {
      dataset: p.dataset,
      unit: source.manifest.unitId,
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
    if (err.code === 'NAS_UNREACHABLE') {
      // The NAS gone stops the whole merge (every other system would fail the same way): this
      // system is put back first, the ones merged before stay merged, and a run again continues.
      const undo = await restoreDest(before, { savedNewer: saved });
      if (saved && undo.restored) removeSaved(saved.file);
      logLine('merge', { op: 'NAS gone', system: s.system, detail: err.detail, restored: undo.restored });
      throw new AppError('NAS_UNREACHABLE', `The connection to the NAS broke off while ${s.system} was being received: ${err.message}`, {
        detail: err.detail,
        step: ctx.step,
        hint: undo.restored
          ? `${p.dataset} was put back exactly as it was; the systems merged before stay merged. When the NAS answers again, run the same merge again: it continues with what is not there yet.`
          : `${p.dataset} could NOT be put back as it was (${undo.problem}).${saved ? ` The discarded points are saved in ${saved.file}.` : ''} When the NAS answers again, run the same merge again.`,
        data: { system: s.system, restored: undo.restored },
      });
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

/** The ticket moves to "merged" (where this bench has it and it is at that step); its lock points are released. */
export async function advanceTicket(ticketId: string, actor: string): Promise<MergeResult['ticket']> {
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
