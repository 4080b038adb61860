// The NTFS / EXT4 sync job: a ticket's points as browsable folders or disk images on one or more
// drives, as named steps with a durable journal.
//   prepare-target → place-points → copy|export SYSTEM@POINT (in order, each point proven, flushed and
//   journaled while the next one is copied: one-behind.ts) → write-manifest
//   → verify → eject
// A point is journaled only once it is whole on its drive and flushed there, so a killed job resumes
// at the first unfinished point (whose partial folder is removed first) and never copies a finished
// one again. Sources are only ever read: through `.zfs/snapshot` or a temporary read-only clone,
// removed afterwards (and by the next start after a crash, see leftovers.ts).
// The steps are in sync-steps.ts, the shapes (request, result, journal records) in sync-types.ts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, toAppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { logLine } from '../../system/log.ts';
import { abortError } from '../drive-watch.ts';
import { jobDir } from '../journal.ts';
import { withJobRun, type JobRun } from '../job-run.ts';
import { runSteps } from '../job-steps.ts';
import { syncJobId } from '../zfs/sync.ts';
import { cleanupLeftovers } from './leftovers.ts';
import { checkPassphrases } from './passphrases.ts';
import { FILE_SYNC, FILE_SYNC_STEPS, fileSyncState, type FileSyncState } from './sync-steps.ts';
import type { FileJournalRecord, FileSyncOptions, FileSyncRequest, FileSyncResult } from './sync-types.ts';

export { FILE_SYNC_STEPS, UNIT_MANIFEST_COPY } from './sync-steps.ts';
export type { FileJournalRecord, FileSyncHooks, FileSyncOptions, FileSyncRequest, FileSyncResult, FileSyncSystem } from './sync-types.ts';

export async function runFileSync(req: FileSyncRequest, opts: FileSyncOptions = {}): Promise<FileSyncResult> {
  const started = Date.now();
  const jobId = req.jobId ?? syncJobId(req.ticketId);
  if (req.layout === 'image' && !req.imageFormat) throw new AppError('BAD_INPUT', 'An image export needs an image format: raw, vhd, vhdx or vmdk.');
  if (req.unitPassphrase !== undefined && (req.layout !== 'image' || req.filesystem !== 'ext4')) {
    throw new AppError('BAD_INPUT', 'Only image exports can be sealed, onto EXT4: a browsable copy is meant to be opened without this app.');
  }
  const share = req.layout === 'image' ? req.systems.find((s) => s.kind === 'share') : undefined;
  if (share) {
    throw new AppError('BAD_INPUT', `${share.system} is a share: it holds files, not disk images, so it cannot be exported as images.`, {
      hint: 'Put the share on a browsable NTFS or EXT4 unit (a separate ticket), or leave it out of this one.',
    });
  }
  // One run of a ticket at a time, claimed before anything else: a second run must not clean up
  // the first one's clones as leftovers, set its journal aside or erase drives while it writes.
  return withJobRun<FileJournalRecord, FileSyncResult>(
    {
      jobId,
      what: `The sync of ticket ${req.ticketId}`,
      steps: FILE_SYNC_STEPS,
      // R9: a new run erases what an earlier one wrote; its journal is set aside.
      setAsideJournal: !req.resume,
      onProgress: opts.onProgress,
      before: async () => {
        // What a killed run left (clones, mounts, working images) goes first.
        await cleanupLeftovers();
        // Every passphrase is checked before anything is erased (or an earlier run's journal set aside).
        await checkPassphrases(req.systems, req.passphrases ?? {}, jobId);
      },
    },
    (run) => runLockedFileSync(req, jobId, started, opts, run),
  );
}

async function runLockedFileSync(req: FileSyncRequest, jobId: string, started: number, opts: FileSyncOptions, run: JobRun<FileJournalRecord>): Promise<FileSyncResult> {
  const pointsDir = join(jobDir(jobId), 'points');
  mkdirSync(pointsDir, { recursive: true });
  const s = fileSyncState(req, jobId, started, opts, run, pointsDir);
  claimDrives(s.devices, jobId);
  try {
    await runSteps(FILE_SYNC, s, run);
    logLine('job', { jobId, op: `${req.filesystem} ${req.layout} sync done`, bytes: s.bytes, copied: s.copied, skippedPoints: s.skippedPoints });
    return fileSyncResult(s);
  } catch (e) {
    let err = toAppError(e);
    // A pulled drive shows up as whatever the copy hit first (a cancelled read, an I/O error).
    const watch = s.watch;
    watch?.check();
    if (watch?.signal.reason instanceof AppError && err.code !== 'TARGET_GONE') err = abortError(watch.signal, err.message, err.step ?? run.step);
    throw err;
  } finally {
    s.watch?.stop();
    if (s.unit) await s.unit.close().catch((e: unknown) => logLine('job', { jobId, op: 'unmount unit after failure', error: String(e) }));
    s.dataKey?.fill(0);
    releaseDrives(s.devices, jobId);
  }
}

function fileSyncResult(s: FileSyncState): FileSyncResult {
  const { req } = s;
  const target = s.target!;
  const placement = s.placement!;
  const all = [...s.results.values()];
  const vols = all.flatMap((m) => m.volumes ?? []);
  return {
    jobId: s.jobId,
    resumed: s.resumed,
    unitId: target.unitId,
    filesystem: req.filesystem,
    content: req.layout,
    imageFormat: req.imageFormat ?? null,
    bytes: s.bytes,
    pointsCopied: s.copied,
    pointsSkipped: s.skippedPoints,
    files: vols.reduce((n, v) => n + v.files.filter((f) => f.type === 'file').length, 0),
    images: all.reduce((n, m) => n + (m.images?.length ?? 0), 0),
    unreadable: vols.reduce((n, v) => n + v.unreadable.length, 0),
    skipped: vols.reduce((n, v) => n + v.skipped.length, 0),
    renamed: vols.reduce((n, v) => n + v.renamed, 0),
    placement,
    drives: target.drives.map((d) => ({ index: d.index, device: d.device, label: d.fsLabel, points: placement.filter((p) => p.drive === d.index).length })),
    manifests: s.manifests,
    verify: s.verify,
    sealed: target.keyId ? { keyId: target.keyId, verify: s.sealedVerify ?? null } : null,
    ejected: s.ejected,
    tookMs: Date.now() - s.started,
  };
}
