// A sync job: a ticket's points onto drives (ZFS, or NTFS/EXT4 folders or images) or a NAS unit,
// chosen by the ticket's format and the target given. The pipelines journal their own steps;
// resuming continues from the journal on the drives the first run used. Around the pipeline, the
// appliance's local backups pause and resume (R9, local-backups/hold.ts); a resumed run pauses
// them again.
import { AppError } from '../../api/errors.ts';
import { fileSyncRequestFor } from '../../jobs/files/from-ticket.ts';
import { FILE_SYNC_STEPS, runFileSync } from '../../jobs/files/sync.ts';
import { zfsSyncRequestFor } from '../../jobs/zfs/from-ticket.ts';
import { runZfsSync, ZFS_SYNC_STEPS } from '../../jobs/zfs/sync.ts';
import { NAS_SYNC_STEPS, nasTargetOf, runZfsNasSync } from '../../jobs/zfs/nas-sync.ts';
import { TicketStore } from '../../tickets/store.ts';
import { sitesOf } from '../sites.ts';
import { expandPassphrases } from '../passphrases.ts';
import { ticketKey } from '../jobs/ticket-key.ts';
import type { JobContext, JobKindDef, ParamsOf } from '../jobs/job-kind.ts';
import { pauseLocalBackupsFor } from '../local-backups/hold.ts';
import { chooseProtection } from '../unit-protection.ts';
import { heldUnitPassphrase, holdUnitPassphrase } from '../unit-passphrases.ts';
import { runSealedSync, SEALED_SYNC_STEPS } from '../../jobs/sealed/sealed-sync.ts';
import { generateUnitPassphrase } from '../../seal/index.ts';
import { Journal } from '../../jobs/journal.ts';
import { syncJobId } from '../../jobs/zfs/sync.ts';

export const kind: JobKindDef<'sync'> = {
  kind: 'sync',
  // Every step any of the pipelines has, until the ticket says which one runs (declareSteps).
  steps: [...new Set([...ZFS_SYNC_STEPS, ...NAS_SYNC_STEPS, ...FILE_SYNC_STEPS, ...SEALED_SYNC_STEPS])],
  title: (p) => `Sync of ticket ${p.ticketId}`,
  holds: (p) => ({ drives: [...p.drives], tickets: [ticketKey(p.ticketId)] }),
  resume: 'continue',
  resumeParams: (p) => ({ ...p, resume: true }),
  // A sealed sync's passphrase was made by the job: an engine that restarted must be given it again.
  checkResume: (p, jobId) => {
    if (!p.unitPassphrase && !heldUnitPassphrase(jobId) && wasSealed(TicketStore.idOf(p.ticketId))) throw unitPassphraseNeeded(p.ticketId);
  },
  ticketOf: (p) => ticketKey(p.ticketId),
  async run(p, ctx) {
    const nasGiven = p.nas !== undefined || p.nasPool !== undefined;
    if (p.resume !== true && p.drives.length === 0 && !nasGiven) throw new AppError('BAD_INPUT', 'Name the drive(s) to write with --drive DEV, or the NAS unit with --nas HOST ... --nas-pool POOL.');
    if (nasGiven && p.drives.length) throw new AppError('BAD_INPUT', 'A sync writes either drives or a NAS unit, not both: give --drive or --nas.');
    // Issue 21: how the unit is protected is the technician's choice, checked before anything is
    // paused, read or erased (a resume keeps the first run's).
    if (p.resume !== true) {
      const ticket = new TicketStore().get(p.ticketId);
      await chooseProtection(ticket, nasGiven ? 'nas' : 'usb', p.protection, p.actor ?? 'engine');
    }
    // Before anything is read or erased; a cancel does not stop the resume.
    const release = await pauseLocalBackupsFor({
      jobId: ctx.jobId,
      pause: p.pauseLocalBackups !== false,
      log: ctx.log,
      record: (localBackups) => ctx.annotate({ localBackups }),
    });
    try {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled before the sync started.');
      return await sync(p, ctx);
    } finally {
      await release();
    }
  },
};

/** The sync itself: the pipeline the ticket's format and the target call for. */
async function sync(p: ParamsOf<'sync'>, ctx: JobContext) {
  const opts = { signal: ctx.signal, onProgress: ctx.onProgress };
  const resume = p.resume === true;
  const drives = p.drives;
  const nasGiven = p.nas !== undefined || p.nasPool !== undefined;
  const ticket = new TicketStore().get(p.ticketId);
  const sites = await sitesOf(p.sites, ticket.request.applianceSerial);
  const actor = p.actor ?? 'engine';
  if (nasGiven || (resume && drives.length === 0 && nasTargetOf(ticket.id) !== null)) {
    const request = ticket.request;
    if (request.format.filesystem !== 'zfs' || request.format.layout !== 'datasets') {
      throw new AppError('BAD_INPUT', `Ticket ${ticket.id} asks for ${request.format.filesystem} ${request.format.layout}; NAS units hold ZFS datasets only (R3).`);
    }
    if (!resume && !p.nasPool) throw new AppError('BAD_INPUT', 'Name the NAS pool the unit goes into with --nas-pool POOL ("roundtrip nas list" shows them).');
    const base = await zfsSyncRequestFor(ticket.id, request, sites, [], { resume, actor, lockOverrides: p.locks });
    const { devices: _none, eject: _eject, ...rest } = base;
    ctx.declareSteps(NAS_SYNC_STEPS);
    ctx.log(`Writing ticket ${ticket.id} into a NAS unit${p.nas ? ` on ${p.nas.host}` : ''}.`);
    const r = await runZfsNasSync({ ...rest, nas: p.nas, nasPool: p.nasPool }, opts);
    return { pipeline: 'nas' as const, ...r };
  }
  if (ticket.request.format.layout !== 'datasets') {
    const req = await fileSyncRequestFor(ticket.id, ticket.request, sites, drives, { resume, eject: p.eject !== false, verify: p.verify !== false, actor });
    ctx.declareSteps(FILE_SYNC_STEPS);
    const encrypted = req.systems.filter((s) => s.encrypted).map((s) => s.system);
    if (p.passphrases) req.passphrases = expandPassphrases(p.passphrases, encrypted);
    const sealed = resume ? wasSealed(ticket.id) : p.protection === 'sealed';
    const hooks: { afterTarget?: () => void } = {};
    if (sealed) {
      // Sealed images (docs/sealed-units.md): an ext4 unit of sealed files, whatever filesystem the
      // ticket named for plain images; the passphrase is made and held as for a sealed ZFS unit.
      req.filesystem = 'ext4';
      req.unitPassphrase = unitPassphraseFor(p, ctx.jobId, resume, ticket.id);
      if (!resume) hooks.afterTarget = passphraseShown(ctx, ticket.id, req.unitPassphrase);
    }
    ctx.log(`Writing ticket ${ticket.id} as ${sealed ? 'sealed ' : ''}${req.layout === 'image' ? `${req.imageFormat} images` : 'browsable folders'} on ${req.filesystem.toUpperCase()}${drives.length ? ` (${drives.join(', ')})` : ''}.`);
    const r = await runFileSync(req, { ...opts, hooks });
    return { pipeline: 'files' as const, ...r };
  }
  const req = await zfsSyncRequestFor(ticket.id, ticket.request, sites, drives, { resume, eject: p.eject !== false, actor, lockOverrides: p.locks });
  if (resume ? wasSealed(ticket.id) : p.protection === 'sealed') {
    // The passphrase is made here, held in this engine's memory for the run screen to show once
    // (units.sealedPassphrase), and never written anywhere; a resume needs it again.
    const unitPassphrase = unitPassphraseFor(p, ctx.jobId, resume, ticket.id);
    ctx.declareSteps(SEALED_SYNC_STEPS);
    ctx.log(`Writing ticket ${ticket.id} as a sealed unit${drives.length ? ` onto ${drives.join(', ')}` : ''}.`);
    const r = await runSealedSync({ ...req, unitPassphrase }, { ...opts, hooks: resume ? {} : { afterTarget: passphraseShown(ctx, ticket.id, unitPassphrase) } });
    return { pipeline: 'sealed' as const, ...r };
  }
  ctx.declareSteps(ZFS_SYNC_STEPS);
  ctx.log(`Writing ticket ${ticket.id} as ZFS${drives.length ? ` onto ${drives.join(', ')}` : ''}.`);
  const r = await runZfsSync(req, opts);
  return { pipeline: 'zfs' as const, ...r };
}

/** A new sealed sync's passphrase, made here; a resume's, given again or still held by this engine. */
function unitPassphraseFor(p: ParamsOf<'sync'>, jobId: string, resume: boolean, ticketId: string): string {
  const unitPassphrase = resume ? (p.unitPassphrase ?? heldUnitPassphrase(jobId)) : generateUnitPassphrase();
  if (!unitPassphrase) throw unitPassphraseNeeded(ticketId);
  return unitPassphrase;
}

/**
 * Held in this engine's memory for the run screen to show once (units.sealedPassphrase), from
 * when the unit's key record holds it (a sync that fails before has nothing to pass on); never
 * written anywhere. A passphrase given again for a resume is the technician's, not shown.
 */
function passphraseShown(ctx: JobContext, ticketId: string, unitPassphrase: string): () => void {
  return () => {
    holdUnitPassphrase(ctx.jobId, ticketId, unitPassphrase);
    ctx.log('The unit key is made: its passphrase is shown once, for the support ticket.');
  };
}

function unitPassphraseNeeded(ticketId: string): AppError {
  return new AppError('UNIT_PASSPHRASE_NEEDED', `The sealed sync of ticket ${ticketId} needs its unit passphrase again to resume: it was shown when the sync started and is never kept.`, {
    hint: 'Enter the passphrase from the support ticket. If it was lost, start a new sync: the unit is erased and gets a new passphrase.',
  });
}

/** Whether the ticket's interrupted sync was a sealed one (its journal placed a sealed target, or a target with a unit key). */
function wasSealed(ticketId: string): boolean {
  return new Journal<{ type: string; keyId?: string }>(syncJobId(ticketId)).read().some((r) => r.type === 'sealed-target' || (r.type === 'target' && r.keyId !== undefined));
}
