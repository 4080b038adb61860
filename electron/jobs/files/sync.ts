// The NTFS / EXT4 sync job: a ticket's points as browsable folders or disk images on one or more
// drives, as named steps with a durable journal.
//   prepare-target → place-points → copy|export SYSTEM@POINT (in order, each point proven, flushed and
//   journaled while the next one is copied: one-behind.ts) → write-manifest
//   → verify → eject
// A point is journaled only once it is whole on its drive and flushed there, so a killed job resumes
// at the first unfinished point (whose partial folder is removed first) and never copies a finished
// one again. Sources are only ever read: through `.zfs/snapshot` or a temporary read-only clone,
// removed afterwards (and by the next start after a crash, see leftovers.ts).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, toAppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { eject as ejectDrives } from '../../drives/eject.ts';
import { formatDrives, type FormatDoneResult } from '../../drives/format.ts';
import { logLine } from '../../system/log.ts';
import { writeJsonFileDurably } from '../../system/json-file.ts';
import { listSnapshots } from '../../system/zfs/index.ts';
import { abortError, PULLED_DRIVE_HINT, watchDrives, type DriveWatch } from '../drive-watch.ts';
import { Journal, jobDir } from '../journal.ts';
import { withJobRun, type JobRun } from '../job-run.ts';
import { pointStillOnSource } from '../source-point.ts';
import { withStep } from '../job-end.ts';
import { sealManifest, writeManifest, TOOL, type Manifest, type ManifestPoint } from '../manifest.ts';
import { ProgressMeter, type ProgressSnapshot } from '../progress.ts';
import { syncJobId } from '../zfs/sync.ts';
import { copyTree } from './copy-tree.ts';
import type { VolumeCopy } from './file-entry.ts';
import { exportVolumeImages, type ExportedImages, type ImageFormat } from './image-export.ts';
import { cleanupLeftovers } from './leftovers.ts';
import { pointFolderName } from './ntfs-names.ts';
import { checkPassphrases } from './passphrases.ts';
import { placementSizes, placePoints, type PlacedPoint } from './placement.ts';
import { browsableDigest, imagesDigest } from './point-digest.ts';
import { OneBehind } from './one-behind.ts';
import { openPoint } from './point-reader.ts';
import { flushUnit, freeBytes, mountUnitDrives, type MountedUnit, type UnitDrive } from './unit-target.ts';
import { verifyFileUnit, type FileVerifyReport } from './verify.ts';

export const UNIT_MANIFEST_COPY = 'ROUNDTRIP-MANIFEST.json';

export interface FileSyncSystem {
  system: string;
  kind: 'agent' | 'share';
  encrypted: boolean;
  sourceDataset: string;
  /** Points to copy, oldest first (each arrives in full). */
  points: string[];
}

export interface FileSyncRequest {
  ticketId: string;
  applianceSerial: string | null;
  direction: 'forward' | 'reverse';
  source: { host: string; root: string };
  devices: string[];
  filesystem: 'ntfs' | 'ext4';
  layout: 'browsable' | 'image';
  imageFormat?: ImageFormat;
  systems: FileSyncSystem[];
  /** Encrypted agents' passphrases by system name: memory only, never journaled or logged. */
  passphrases?: Record<string, string>;
  resume?: boolean;
  /** Re-read every drive against its manifest before ejecting (default true). */
  verify?: boolean;
  /** Unmount and flush at the end so the drives can be unplugged (default true). */
  eject?: boolean;
  jobId?: string;
  actor?: string;
}

export interface FileSyncResult {
  jobId: string;
  resumed: boolean;
  unitId: string;
  filesystem: 'ntfs' | 'ext4';
  content: 'browsable' | 'image';
  imageFormat: ImageFormat | null;
  bytes: number;
  pointsCopied: number;
  pointsSkipped: number;
  files: number;
  images: number;
  /** Files the source could not read: listed in the manifest with their error. */
  unreadable: number;
  /** Special files, and names or paths the unit cannot hold: listed in the manifest. */
  skipped: number;
  /** Names changed for NTFS: listed in the manifest with their original. */
  renamed: number;
  placement: PlacedPoint[];
  drives: Array<{ index: number; device: string; label: string | null; points: number }>;
  manifests: Manifest[];
  verify: FileVerifyReport[] | null;
  ejected: boolean;
  tookMs: number;
}

type TargetRecord = { type: 'target'; unitId: string; drives: UnitDrive[] };
type PointRecord = { type: 'point'; system: string; point: string; drive: number; file: string; bytes: number };
export type FileJournalRecord =
  | { type: 'job'; jobId: string; ticketId: string; devices: string[]; filesystem: string; layout: string; imageFormat: string | null; systems: FileSyncSystem[]; direction: string; source: { host: string; root: string }; applianceSerial: string | null; startedAt: string }
  | TargetRecord
  | { type: 'placement'; points: PlacedPoint[] }
  | PointRecord
  | { type: 'resumed' }
  | { type: 'manifest'; checksums: string[] }
  | { type: 'verified'; ok: boolean }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string; step?: string }
  | { type: 'cancelled'; step?: string };

export interface FileSyncHooks {
  /** After the drives are formatted and mounted (tests fill a drive here to force spreading). */
  afterTarget?: (unit: MountedUnit) => void | Promise<void>;
  afterPoint?: (system: string, point: string, done: number) => void | Promise<void>;
  /** After an image is written, before its checks (tests damage one here). */
  afterImage?: (file: string) => void | Promise<void>;
}

/** A point's finished record, written durably before the journal names it. */
const writeDurable = writeJsonFileDurably;

export async function runFileSync(
  req: FileSyncRequest,
  opts: { signal?: AbortSignal; onProgress?: (p: ProgressSnapshot) => void; hooks?: FileSyncHooks } = {},
): Promise<FileSyncResult> {
  const started = Date.now();
  const jobId = req.jobId ?? syncJobId(req.ticketId);
  if (req.layout === 'image' && !req.imageFormat) throw new AppError('BAD_INPUT', 'An image export needs an image format: raw, vhd, vhdx or vmdk.');
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
        await checkPassphrases(req.systems, req.passphrases ?? {});
      },
    },
    (run) => runLockedFileSync(req, jobId, started, opts, run),
  );
}

/** The steps of a file sync, in order ("copy SYSTEM@POINT" or "export SYSTEM@POINT" for each point). */
export const FILE_SYNC_STEPS = ['prepare-target', 'place-points', 'copy', 'export', 'write-manifest', 'verify', 'eject'] as const;

async function runLockedFileSync(
  req: FileSyncRequest,
  jobId: string,
  started: number,
  opts: { signal?: AbortSignal; onProgress?: (p: ProgressSnapshot) => void; hooks?: FileSyncHooks },
  run: JobRun<FileJournalRecord>,
): Promise<FileSyncResult> {
  const journal = run.journal;
  const records = run.records();
  const pointsDir = join(jobDir(jobId), 'points');
  mkdirSync(pointsDir, { recursive: true });
  const meter = run.meter;
  let devices = req.devices;
  let unit: MountedUnit | null = null;
  let watch: DriveWatch | undefined;
  claimDrives(devices, jobId);
  try {
    let target = records.find((r): r is TargetRecord => r.type === 'target');
    let resumed = false;
    if (req.resume) {
      if (!target) throw new AppError('JOB_STATE', `There is no interrupted sync of ticket ${req.ticketId} to resume on this bench; start a new sync.`, { step: run.step });
      resumed = true;
      journal.append({ type: 'resumed' });
      releaseDrives(devices, jobId);
      devices = target.drives.map((d) => d.device);
      claimDrives(devices, jobId);
    } else {
      const { passphrases: _secret, ...safe } = req;
      journal.append({ type: 'job', jobId, ticketId: req.ticketId, devices, filesystem: req.filesystem, layout: req.layout, imageFormat: req.imageFormat ?? null, systems: safe.systems, direction: req.direction, source: req.source, applianceSerial: req.applianceSerial, startedAt: new Date().toISOString() });
      releaseDrives(devices, jobId); // formatDrives claims them itself under the same job
      let formatted: FormatDoneResult;
      try {
        formatted = (await formatDrives({ devices, layout: req.filesystem, label: req.ticketId, yes: true, ticketId: req.ticketId, jobId, actor: req.actor }, { signal: opts.signal })) as FormatDoneResult;
      } finally {
        claimDrives(devices, jobId);
      }
      target = {
        type: 'target',
        unitId: formatted.unitId,
        drives: formatted.drives.map((d, i) => ({ index: i + 1, device: d.device, serial: d.serial, metaPartition: d.metaPartition, dataPartition: d.dataPartition, fsLabel: d.fsLabel, sizeBytes: 0 })),
      };
      journal.append(target);
    }
    unit = await mountUnitDrives(jobId, target.drives, req.filesystem);
    // From here to the eject the drives are watched: a pulled drive ends the job at once, by name.
    watch = watchDrives(devices, opts.signal, PULLED_DRIVE_HINT);
    const signal = watch.signal;
    await opts.hooks?.afterTarget?.(unit);

    // --- place-points
    run.enter('place-points');
    let placement = records.find((r): r is Extract<FileJournalRecord, { type: 'placement' }> => r.type === 'placement')?.points;
    if (!placement) {
      const free = unit.drives.map((d) => freeBytes(d.root));
      const sizes = await placementSizes(req, free, signal);
      try {
        placement = placePoints(sizes, free);
      } catch (e) {
        const err = toAppError(e);
        throw new AppError(err.code === 'DRIVE_TOO_SMALL' ? 'TARGET_FULL' : err.code, err.message, { step: run.step, hint: err.hint ?? 'Add a drive or choose fewer points. Nothing on the source was changed.', data: err.data });
      }
      journal.append({ type: 'placement', points: placement });
    }
    meter.setTotal(placement.reduce((n, p) => n + p.bytes, 0));

    // --- one point at a time, each settled (proven, flushed, journaled) beside the next one's copy
    const done = new Map(records.filter((r): r is PointRecord => r.type === 'point').map((r) => [`${r.system}@${r.point}`, r]));
    const results = new Map<string, ManifestPoint>();
    for (const r of done.values()) results.set(`${r.system}@${r.point}`, JSON.parse(readFileSync(r.file, 'utf8')) as ManifestPoint);
    let bytes = 0;
    let copied = 0;
    let skippedPoints = 0;
    const behind = new OneBehind(signal);
    try {
      for (const s of req.systems) {
        const snaps = new Map((await listSnapshots(s.sourceDataset)).map((x) => [x.snap, x]));
        for (const p of s.points) {
          const key = `${s.system}@${p}`;
          const place = placement.find((x) => x.system === s.system && x.point === p)!;
          if (done.has(key)) {
            skippedPoints++;
            meter.add(place.bytes);
            continue;
          }
          watch.check();
          if (behind.signal.aborted) throw abortError(behind.signal, 'The sync was cancelled.', run.step);
          run.enter(`${req.layout === 'image' ? 'export' : 'copy'} ${key}`, key, place.bytes);
          const pointStep = run.step;
          const snap = pointStillOnSource(snaps, s.system, p, run.step);
          const time = /^\d{9,11}$/.test(p) ? Number(p) : snap.creation;
          const drive = unit.drives[place.drive - 1];
          const folder = `${s.system}/${pointFolderName(p, time)}`;
          const dst = join(drive.root, folder);
          // A folder left by a killed run holds an unfinished copy: it goes, and the point is copied again.
          if (existsSync(dst)) await rm(dst, { recursive: true, force: true });
          // An encrypted agent's images are read from a decrypted working copy of each volume on the
          // bench's disk: never two points' copies at once (the point before is settled first).
          if (req.layout === 'image' && s.encrypted) await behind.drain();
          await behind.next(
            (sig) => writePoint(req, s, p, time, snap.guid, folder, drive.root, jobId, pointStep, meter, sig, opts.hooks),
            async (written) => {
              // By now the job's step names the next point: this one's failures name their own.
              try {
                const mp = await written.finish();
                mp.drive = place.drive;
                await flushUnit(drive.root, drive.dataPartition);
                const file = join(pointsDir, `${s.system}@${p}.json`);
                writeDurable(file, mp);
                const pointBytes = (mp.volumes ?? []).reduce((n, v) => n + v.bytes, 0) + (mp.images ?? []).reduce((n, i) => n + i.bytes, 0);
                journal.append({ type: 'point', system: s.system, point: p, drive: place.drive, file, bytes: pointBytes });
                results.set(key, mp);
                bytes += pointBytes;
                copied++;
                await opts.hooks?.afterPoint?.(s.system, p, copied);
              } catch (e) {
                throw withStep(e, pointStep);
              }
            },
            (written) => written.finish().then(() => undefined),
          );
        }
      }
      await behind.drain();
    } catch (e) {
      // The point still settling goes first: its failure, if any, is the cause of this one.
      await behind.drain();
      throw e;
    }

    // --- write-manifest: one per drive, each naming every point and which drive holds it
    run.enter('write-manifest');
    const job = [...records, ...journal.read()].find((r) => r.type === 'job') as Extract<FileJournalRecord, { type: 'job' }> | undefined;
    const manifests: Manifest[] = [];
    for (const d of unit.drives) {
      const m = sealManifest({
        format: 'roundtrip-manifest',
        version: 1,
        layout: req.filesystem,
        content: req.layout,
        ...(req.layout === 'image' ? { imageFormat: req.imageFormat } : {}),
        driveIndex: d.index,
        ticketId: req.ticketId,
        applianceSerial: req.applianceSerial,
        direction: req.direction,
        unitId: target.unitId,
        pool: null,
        drives: unit.drives.map((x) => ({ index: x.index, serial: x.serial, sizeBytes: x.sizeBytes, label: x.fsLabel })),
        source: req.source,
        systems: req.systems.map((s) => ({
          system: s.system,
          kind: s.kind,
          encrypted: s.encrypted,
          sourceDataset: s.sourceDataset,
          unitPath: s.system,
          points: s.points.map((p) => {
            const mp = results.get(`${s.system}@${p}`)!;
            // Only the drive holding a point carries its file list; the others say where it is.
            if (mp.drive === d.index) return mp;
            const { volumes: _v, images: _i, ...elsewhere } = mp;
            return elsewhere;
          }),
          streams: [],
        })),
        tool: TOOL,
        startedAt: job?.startedAt ?? new Date(started).toISOString(),
        endedAt: new Date().toISOString(),
      });
      await writeManifest(d.metaPartition, m);
      // A copy beside the data, for a partner on a machine that cannot read the metadata partition.
      writeDurable(join(d.root, UNIT_MANIFEST_COPY), m);
      await flushUnit(d.root, d.dataPartition);
      manifests.push(m);
    }
    journal.append({ type: 'manifest', checksums: manifests.map((m) => m.checksum) });
    await unit.close();
    unit = null;

    // --- verify: every drive re-read from its own filesystem, mounted afresh
    let verify: FileVerifyReport[] | null = null;
    if (req.verify !== false) {
      run.enter('verify');
      verify = [];
      for (const d of target.drives) verify.push(await verifyFileUnit(d.device, { sourceRoot: null, signal, jobId }));
      const bad = verify.find((v) => !v.ok);
      journal.append({ type: 'verified', ok: !bad });
      if (bad) {
        throw new AppError('VERIFY_MISMATCH', `Drive ${bad.driveIndex} of the unit does not read back as written: ${bad.mismatches[0]?.problem ?? 'see the report'}.`, {
          step: run.step,
          hint: 'Run the sync again; if it fails again, the drive is faulty.',
          data: { mismatches: bad.mismatches.slice(0, 20) },
        });
      }
    }

    // --- eject
    run.enter('eject');
    const ejected = req.eject !== false;
    if (ejected) await ejectDrives(devices, { jobId, actor: req.actor });
    journal.append({ type: 'done' });
    const all = [...results.values()];
    const vols = all.flatMap((m) => m.volumes ?? []);
    logLine('job', { jobId, op: `${req.filesystem} ${req.layout} sync done`, bytes, copied, skippedPoints });
    return {
      jobId,
      resumed,
      unitId: target.unitId,
      filesystem: req.filesystem,
      content: req.layout,
      imageFormat: req.imageFormat ?? null,
      bytes,
      pointsCopied: copied,
      pointsSkipped: skippedPoints,
      files: vols.reduce((n, v) => n + v.files.filter((f) => f.type === 'file').length, 0),
      images: all.reduce((n, m) => n + (m.images?.length ?? 0), 0),
      unreadable: vols.reduce((n, v) => n + v.unreadable.length, 0),
      skipped: vols.reduce((n, v) => n + v.skipped.length, 0),
      renamed: vols.reduce((n, v) => n + v.renamed, 0),
      placement,
      drives: target.drives.map((d) => ({ index: d.index, device: d.device, label: d.fsLabel, points: placement!.filter((p) => p.drive === d.index).length })),
      manifests,
      verify,
      ejected,
      tookMs: Date.now() - started,
    };
  } catch (e) {
    let err = toAppError(e);
    // A pulled drive shows up as whatever the copy hit first (a cancelled read, an I/O error).
    watch?.check();
    if (watch?.signal.reason instanceof AppError && err.code !== 'TARGET_GONE') err = abortError(watch.signal, err.message, err.step ?? run.step);
    throw err;
  } finally {
    watch?.stop();
    if (unit) await unit.close().catch((e: unknown) => logLine('job', { jobId, op: 'unmount unit after failure', error: String(e) }));
    releaseDrives(devices, jobId);
  }
}

/** A point written to its drive; `finish` proves what is left to prove (image checks) and closes its source. */
interface WrittenPoint {
  finish(): Promise<ManifestPoint>;
}

/**
 * One point: opened read-only and copied or exported into `folder` on its drive. A browsable copy
 * is whole (and its source closed) when this returns; an image export once its images are written,
 * their checks still running (image-export.ts): `finish` waits for them, then closes the source.
 */
async function writePoint(
  req: FileSyncRequest,
  s: FileSyncSystem,
  point: string,
  time: number,
  guid: string,
  folder: string,
  driveRoot: string,
  jobId: string,
  step: string,
  meter: ProgressMeter,
  signal: AbortSignal,
  hooks?: FileSyncHooks,
): Promise<WrittenPoint> {
  if (signal.aborted) throw abortError(signal, 'The sync was cancelled.', step);
  const opened = await openPoint({ dataset: s.sourceDataset, point, jobId, mountVolumes: req.layout === 'browsable', passphrase: req.passphrases?.[s.system], signal });
  const dst = join(driveRoot, folder);
  if (req.layout === 'image') {
    let exported: ExportedImages;
    try {
      exported = await exportVolumeImages(opened.volumes, dst, req.imageFormat!, { unitRoot: driveRoot, signal, step, onBytes: (n) => meter.add(n), afterWrite: hooks?.afterImage });
    } catch (e) {
      await opened.close();
      throw e;
    }
    return {
      finish: async () => {
        try {
          const images = await exported.checked;
          return { name: point, guid, time, from: null, contentDigest: imagesDigest(images), folder, images };
        } finally {
          await opened.close();
        }
      },
    };
  }
  try {
    const sources = opened.meta.kind === 'share' || opened.volumes.length === 0
      ? [{ volume: 'files', sourceFs: 'zfs' as const, dir: opened.root, exclude: (rel: string) => rel === '.roundtrip' }]
      : opened.volumes.map((v) => ({ volume: v.name, sourceFs: v.fs, dir: v.mountDir!, exclude: undefined }));
    const volumes: VolumeCopy[] = [];
    for (const src of sources) {
      const r = await copyTree(src.dir, join(dst, src.volume), { ntfs: req.filesystem === 'ntfs', signal, onBytes: (n) => meter.add(n), exclude: src.exclude });
      volumes.push({ volume: src.volume, sourceFs: src.sourceFs, ...r });
    }
    const mp: ManifestPoint = { name: point, guid, time, from: null, contentDigest: browsableDigest(volumes), folder, volumes };
    return { finish: async () => mp };
  } finally {
    await opened.close();
  }
}
