// The steps of an NTFS / EXT4 sync, as the job runner calls them (job-steps.ts):
//   prepare-target → place-points → copy|export SYSTEM@POINT (in order, each point proven, flushed
//   and journaled while the next one is copied: one-behind.ts) → write-manifest → verify → eject
// and the state they pass along. A point the journal names as finished is not copied again.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, toAppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { eject as ejectDrives } from '../../drives/eject.ts';
import { formatForSync } from '../format-for-sync.ts';
import { writeJsonFileDurably } from '../../system/json-file.ts';
import { listSnapshots, type SnapshotInfo } from '../../system/zfs/index.ts';
import { PULLED_DRIVE_HINT, watchDrives, type DriveWatch } from '../drive-watch.ts';
import type { JobRun } from '../job-run.ts';
import { eachStep, step, stepNames, type EachStepDef, type JobPipeline } from '../job-steps.ts';
import { withStep } from '../job-end.ts';
import { pointStillOnSource } from '../source-point.ts';
import { sealManifest, writeManifest, TOOL, type Manifest, type ManifestPoint } from '../manifest.ts';
import { pointFolderName } from './ntfs-names.ts';
import { OneBehind } from './one-behind.ts';
import { placementSizes, placePoints, type PlacedPoint } from './placement.ts';
import { flushUnit, freeBytes, mountUnitDrives, type MountedUnit } from './unit-target.ts';
import { verifyFileUnit, type FileVerifyReport } from './verify.ts';
import { sealedSize } from '../../seal/index.ts';
import { makeUnitKeyOn, reopenUnitKey, sealedManifestPair, STREAMS_DIR, writeUnitManifests } from '../sealed/sealed-layout.ts';
import { verifySealedUnit, type SealedVerifyReport } from '../sealed/sealed-verify.ts';
import { writePoint } from './write-point.ts';
import type { FileJournalRecord, FilePointRecord as PointRecord, FileSyncOptions, FileSyncRequest, FileSyncSystem, FileTargetRecord as TargetRecord } from './sync-types.ts';

export const UNIT_MANIFEST_COPY = 'ROUNDTRIP-MANIFEST.json';

type JobRecord = Extract<FileJournalRecord, { type: 'job' }>;

/** A point of the selection, as the copy step takes them: system by system, oldest first. */
interface SelectedPoint {
  system: FileSyncSystem;
  point: string;
  /** "SYSTEM@POINT": the point's name in the journal, the step and the placement. */
  key: string;
}

/** What the steps of one file sync pass along. */
export interface FileSyncState {
  readonly req: FileSyncRequest;
  readonly jobId: string;
  readonly started: number;
  readonly opts: FileSyncOptions;
  readonly run: JobRun<FileJournalRecord>;
  /** The journal of the earlier runs, as this run found it. */
  readonly records: FileJournalRecord[];
  /** Where each finished point's record is kept (the journal names the file). */
  readonly pointsDir: string;
  /** The unit's drives: the request's, or on a resume the journal's. */
  devices: string[];
  resumed: boolean;
  target?: TargetRecord;
  /** The unit's drives, mounted, until the manifests are written. */
  unit: MountedUnit | null;
  /** The drives' watch, from their mount until the job ends. */
  watch?: DriveWatch;
  placement?: PlacedPoint[];
  /** The points the journal names as finished (by "SYSTEM@POINT"): not copied again. */
  readonly finished: Map<string, PointRecord>;
  /** The points' one-behind settling, while they are copied. */
  behind?: OneBehind;
  /** Each system's points on the source, listed when its first point is copied. */
  readonly sourcePoints: Map<string, Map<string, SnapshotInfo>>;
  /** Every point's manifest entry: the journal's finished ones, then each one this run settles. */
  readonly results: Map<string, ManifestPoint>;
  bytes: number;
  copied: number;
  skippedPoints: number;
  manifests: Manifest[];
  verify: FileVerifyReport[] | null;
  /** A sealed unit's data key, in memory for the job only (zeroed when it ends). */
  dataKey?: Buffer;
  sealedVerify?: SealedVerifyReport;
  ejected: boolean;
}

const CANCELLED = 'The sync was cancelled.';

const eachPoint: EachStepDef<FileSyncState, SelectedPoint> = {
  items: (s) => s.req.systems.flatMap((system) => system.points.map((point) => ({ system, point, key: `${system.system}@${point}` }))),
  label: (p, s) => ({ item: p.key, bytes: placeOf(s, p).bytes * passes(s) }),
  done: (s, p) => s.finished.has(p.key),
  skipped: (s, p) => {
    s.skippedPoints++;
    s.run.meter.add(placeOf(s, p).bytes * passes(s));
  },
  around: settlingOneBehind,
  work: writeSelectedPoint,
};

export const FILE_SYNC: JobPipeline<FileSyncState> = {
  steps: [
    step('prepare-target', prepareFileTarget),
    step('place-points', placeSelectedPoints),
    eachStep('copy', eachPoint, { skip: (s) => s.req.layout === 'image' }),
    eachStep('export', eachPoint, { skip: (s) => s.req.layout !== 'image' }),
    step('write-manifest', writeFileManifests),
    step('verify', verifyDrives, { skip: (s) => s.req.verify === false }),
    step('eject', ejectFileUnit),
  ],
  signal: (s) => s.behind?.signal ?? s.watch?.signal ?? s.opts.signal,
  check: (s) => s.watch?.check(),
  cancelled: CANCELLED,
};

/** The steps of a file sync, in order ("copy SYSTEM@POINT" or "export SYSTEM@POINT" for each point). */
export const FILE_SYNC_STEPS = stepNames(FILE_SYNC);

export function fileSyncState(req: FileSyncRequest, jobId: string, started: number, opts: FileSyncOptions, run: JobRun<FileJournalRecord>, pointsDir: string): FileSyncState {
  const records = run.records();
  return {
    req, jobId, started, opts, run, pointsDir, records,
    finished: new Map(records.filter((r): r is PointRecord => r.type === 'point').map((r) => [`${r.system}@${r.point}`, r])),
    devices: req.devices,
    resumed: false,
    unit: null,
    sourcePoints: new Map(),
    results: new Map(),
    bytes: 0,
    copied: 0,
    skippedPoints: 0,
    manifests: [],
    verify: null,
    ejected: false,
  };
}

/** The unit: formatted for a new run, found in the journal for a resume; then mounted and watched. */
async function prepareFileTarget(s: FileSyncState): Promise<void> {
  const { req, jobId, run } = s;
  const sealed = req.unitPassphrase !== undefined;
  let target = s.records.find((r): r is TargetRecord => r.type === 'target');
  if (req.resume) {
    if (!target) throw new AppError('JOB_STATE', `There is no interrupted sync of ticket ${req.ticketId} to resume on this bench; start a new sync.`, { step: run.step });
    s.resumed = true;
    run.append({ type: 'resumed' });
    releaseDrives(s.devices, jobId);
    s.devices = target.drives.map((d) => d.device);
    claimDrives(s.devices, jobId);
  } else {
    const devices = s.devices;
    const { passphrases: _secret, ...safe } = req;
    run.append({ type: 'job', jobId, ticketId: req.ticketId, devices, filesystem: req.filesystem, layout: req.layout, imageFormat: req.imageFormat ?? null, systems: safe.systems, direction: req.direction, source: req.source, applianceSerial: req.applianceSerial, startedAt: new Date().toISOString() });
    const formatted = await formatForSync(devices, sealed ? 'images-sealed' : req.filesystem, req, jobId, s.opts.signal);
    const drives = formatted.drives.map((d, i) => ({ index: i + 1, device: d.device, serial: d.serial, metaPartition: d.metaPartition, dataPartition: d.dataPartition, fsLabel: d.fsLabel, sizeBytes: 0 }));
    // A sealed unit's key record goes onto every drive before anything is written to it.
    const key = sealed ? await makeUnitKeyOn(drives.map((d) => d.metaPartition), req.unitPassphrase!) : null;
    if (key) s.dataKey = key.dataKey;
    target = { type: 'target', unitId: formatted.unitId, drives, ...(key ? { keyId: key.keyId } : {}) };
    run.append(target);
  }
  s.target = target;
  if (s.resumed && target.keyId) {
    if (!req.unitPassphrase) throw new AppError('UNIT_PASSPHRASE_NEEDED', `The sealed sync of ticket ${req.ticketId} needs its unit passphrase again to resume.`, { step: run.step });
    s.dataKey = await reopenUnitKey(target.drives[0].metaPartition, req.unitPassphrase, target.keyId, target.drives[0].device, run.step);
  }
  s.unit = await mountUnitDrives(jobId, target.drives, target.keyId ? 'ext4' : req.filesystem);
  if (target.keyId) for (const d of s.unit.drives) mkdirSync(join(d.root, STREAMS_DIR), { recursive: true, mode: 0o700 });
  // From here to the eject the drives are watched: a pulled drive ends the job at once, by name.
  s.watch = watchDrives(s.devices, s.opts.signal, PULLED_DRIVE_HINT);
  await s.opts.hooks?.afterTarget?.(s.unit);
}

/** Which drive holds each point: the journal's placement on a resume, else placed by size now. */
async function placeSelectedPoints(s: FileSyncState): Promise<void> {
  const { run } = s;
  let placement = s.records.find((r): r is Extract<FileJournalRecord, { type: 'placement' }> => r.type === 'placement')?.points;
  if (!placement) {
    const free = s.unit!.drives.map((d) => freeBytes(d.root));
    const plain = await placementSizes(s.req, free, s.watch!.signal);
    // A sealed image takes its records' framing beside the image's bytes.
    const sizes = s.target!.keyId ? plain.map((p) => ({ ...p, bytes: sealedSize(p.bytes) })) : plain;
    try {
      placement = placePoints(sizes, free);
    } catch (e) {
      const err = toAppError(e);
      throw new AppError(err.code === 'DRIVE_TOO_SMALL' ? 'TARGET_FULL' : err.code, err.message, { step: run.step, hint: err.hint ?? 'Add a drive or choose fewer points. Nothing on the source was changed.', data: err.data });
    }
    run.append({ type: 'placement', points: placement });
  }
  s.placement = placement;
  run.meter.setTotal(placement.reduce((n, p) => n + p.bytes, 0) * passes(s));
}

/** How often a point's bytes are moved, as the meter counts them: a sealed image is written, then sealed. */
function passes(s: FileSyncState): number {
  return s.target?.keyId ? 2 : 1;
}

function placeOf(s: FileSyncState, p: SelectedPoint): PlacedPoint {
  return s.placement!.find((x) => x.system === p.system.system && x.point === p.point)!;
}

/** The points' copies, each settled (proven, flushed, journaled) beside the next one's copy. */
async function settlingOneBehind(s: FileSyncState, items: () => Promise<void>): Promise<void> {
  for (const [key, r] of s.finished) s.results.set(key, JSON.parse(readFileSync(r.file, 'utf8')) as ManifestPoint);
  const behind = new OneBehind(s.watch!.signal);
  s.behind = behind;
  try {
    await items();
    await behind.drain();
  } catch (e) {
    // The point still settling goes first: its failure, if any, is the cause of this one.
    await behind.drain();
    throw e;
  }
}

/** One point read from its source and written to its drive; its settle is queued behind the point before. */
async function writeSelectedPoint(s: FileSyncState, sel: SelectedPoint): Promise<void> {
  const { req, run } = s;
  const sys = sel.system;
  const place = placeOf(s, sel);
  const pointStep = run.step;
  const snap = pointStillOnSource(await sourcePointsOf(s, sys), sys.system, sel.point, run.step);
  const time = /^\d{9,11}$/.test(sel.point) ? Number(sel.point) : snap.creation;
  const drive = s.unit!.drives[place.drive - 1];
  const folder = `${sys.system}/${pointFolderName(sel.point, time)}`;
  const dst = join(drive.root, folder);
  // A folder left by a killed run holds an unfinished copy: it goes, and the point is copied again.
  if (existsSync(dst)) await rm(dst, { recursive: true, force: true });
  const behind = s.behind!;
  // An encrypted agent's images are read from a decrypted working copy of each volume on the
  // bench's disk: never two points' copies at once (the point before is settled first).
  if (req.layout === 'image' && sys.encrypted) await behind.drain();
  await behind.next(
    (sig) => writePoint(req, sys, sel.point, time, snap.guid, folder, drive.root, s.jobId, pointStep, run.meter, sig, s.opts.hooks, s.dataKey ? { dataKey: s.dataKey, driveRoot: drive.root, drive: place.drive } : undefined),
    async (written) => {
      // By now the job's step names the next point: this one's failures name their own.
      try {
        const mp = await written.finish();
        mp.drive = place.drive;
        await flushUnit(drive.root, drive.dataPartition);
        const file = join(s.pointsDir, `${sel.key}.json`);
        writeJsonFileDurably(file, mp);
        const pointBytes = (mp.volumes ?? []).reduce((n, v) => n + v.bytes, 0) + (mp.images ?? []).reduce((n, i) => n + i.bytes, 0);
        run.append({ type: 'point', system: sys.system, point: sel.point, drive: place.drive, file, bytes: pointBytes });
        s.results.set(sel.key, mp);
        s.bytes += pointBytes;
        s.copied++;
        await s.opts.hooks?.afterPoint?.(sys.system, sel.point, s.copied);
      } catch (e) {
        throw withStep(e, pointStep);
      }
    },
    (written) => written.finish().then(() => undefined),
  );
}

async function sourcePointsOf(s: FileSyncState, sys: FileSyncSystem): Promise<Map<string, SnapshotInfo>> {
  let snaps = s.sourcePoints.get(sys.system);
  if (!snaps) {
    snaps = new Map((await listSnapshots(sys.sourceDataset)).map((x) => [x.snap, x]));
    s.sourcePoints.set(sys.system, snaps);
  }
  return snaps;
}

/** One manifest per drive, each naming every point and which drive holds it; then the drives are unmounted. */
async function writeFileManifests(s: FileSyncState): Promise<void> {
  const { req, run } = s;
  const unit = s.unit!;
  const target = s.target!;
  const job = [...s.records, ...run.journal.read()].find((r): r is JobRecord => r.type === 'job');
  if (target.keyId) {
    await writeSealedImageManifests(s, job?.startedAt ?? new Date(s.started).toISOString());
    return;
  }
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
      systems: req.systems.map((sys) => ({
        system: sys.system,
        kind: sys.kind,
        encrypted: sys.encrypted,
        sourceDataset: sys.sourceDataset,
        unitPath: sys.system,
        points: sys.points.map((p) => {
          const mp = s.results.get(`${sys.system}@${p}`)!;
          // Only the drive holding a point carries its file list; the others say where it is.
          if (mp.drive === d.index) return mp;
          const { volumes: _v, images: _i, ...elsewhere } = mp;
          return elsewhere;
        }),
        streams: [],
      })),
      tool: TOOL,
      startedAt: job?.startedAt ?? new Date(s.started).toISOString(),
      endedAt: new Date().toISOString(),
    });
    await writeManifest(d.metaPartition, m);
    // A copy beside the data, for a partner on a machine that cannot read the metadata partition.
    writeJsonFileDurably(join(d.root, UNIT_MANIFEST_COPY), m);
    await flushUnit(d.root, d.dataPartition);
    s.manifests.push(m);
  }
  run.append({ type: 'manifest', checksums: s.manifests.map((m) => m.checksum) });
  await unit.close();
  s.unit = null;
}

/**
 * A sealed unit's manifests, on every drive's metadata partition: the whole manifest (every
 * system, point and image with its sealed file) sealed with the unit's key, and the public one
 * beside it naming no system, only the sealed files with their sizes. No copy on the data
 * partition: without this app and the passphrase there is nothing there to read.
 */
async function writeSealedImageManifests(s: FileSyncState, startedAt: string): Promise<void> {
  const { req, run } = s;
  const unit = s.unit!;
  const target = s.target!;
  const common = {
    format: 'roundtrip-manifest' as const,
    version: 1 as const,
    layout: 'images-sealed' as const,
    content: 'image' as const,
    imageFormat: req.imageFormat,
    ticketId: req.ticketId,
    applianceSerial: req.applianceSerial,
    direction: req.direction,
    unitId: target.unitId,
    pool: null,
    drives: unit.drives.map((x) => ({ index: x.index, serial: x.serial, sizeBytes: x.sizeBytes })),
    source: req.source,
    tool: TOOL,
    startedAt,
    endedAt: new Date().toISOString(),
  };
  const systems = req.systems.map((sys) => ({
    system: sys.system,
    kind: sys.kind,
    encrypted: sys.encrypted,
    sourceDataset: sys.sourceDataset,
    unitPath: sys.system,
    points: sys.points.map((p) => s.results.get(`${sys.system}@${p}`)!),
    streams: [],
  }));
  const { sealed, outer } = await sealedManifestPair(s.dataKey!, target.keyId!, common, systems);
  for (const d of unit.drives) {
    await writeUnitManifests(d.metaPartition, sealed, outer);
    await flushUnit(d.root, d.dataPartition);
    s.manifests.push(outer);
  }
  run.append({ type: 'manifest', checksums: s.manifests.map((m) => m.checksum) });
  await unit.close();
  s.unit = null;
}

/** Every drive re-read from its own filesystem, mounted afresh, against its manifest. */
async function verifyDrives(s: FileSyncState): Promise<void> {
  if (s.target!.keyId) {
    await verifySealedDrives(s);
    return;
  }
  const verify: FileVerifyReport[] = [];
  s.verify = verify;
  for (const d of s.target!.drives) verify.push(await verifyFileUnit(d.device, { sourceRoot: null, signal: s.watch!.signal, jobId: s.jobId }));
  const bad = verify.find((v) => !v.ok);
  s.run.append({ type: 'verified', ok: !bad });
  if (bad) {
    throw new AppError('VERIFY_MISMATCH', `Drive ${bad.driveIndex} of the unit does not read back as written: ${bad.mismatches[0]?.problem ?? 'see the report'}.`, {
      step: s.run.step,
      hint: 'Run the sync again; if it fails again, the drive is faulty.',
      data: { mismatches: bad.mismatches.slice(0, 20) },
    });
  }
}

/**
 * A sealed unit read back with the job's passphrase: the key record opened again from the drive,
 * every sealed file on every drive opened to its end, each record authenticated and each image's
 * SHA-256 the checked one. Under the sync's own job id, so the drives stay claimed by the sync.
 */
async function verifySealedDrives(s: FileSyncState): Promise<void> {
  const report = await verifySealedUnit(s.target!.drives[0].device, { unitPassphrase: s.req.unitPassphrase, signal: s.watch!.signal, jobId: s.jobId });
  s.sealedVerify = report;
  s.run.append({ type: 'verified', ok: report.ok });
  const bad = report.mismatches[0];
  if (bad) {
    throw new AppError('VERIFY_MISMATCH', `The sealed unit does not read back as written: ${bad.file ?? `${bad.system}@${bad.point}`}: ${bad.problem ?? 'see the report'}.`, {
      step: s.run.step,
      hint: 'Run the sync again; if it fails again, the drive is faulty.',
      data: { mismatches: report.mismatches.slice(0, 20) },
    });
  }
}

async function ejectFileUnit(s: FileSyncState): Promise<void> {
  s.ejected = s.req.eject !== false;
  if (s.ejected) await ejectDrives(s.devices, { jobId: s.jobId, actor: s.req.actor });
  s.run.append({ type: 'done' });
}
