// The steps of a sealed sync (docs/sealed-units.md), as the job runner calls them:
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest → eject
// The unit is formatted with one ext4 filesystem per drive, the unit key is made and its record
// (wrapped by the unit passphrase) written to every metadata partition, and each system goes whole
// onto one drive (no striping: a lost drive loses only its own systems). Each point is `zfs send`
// sealed into its own file; it is proven by the GUID its stream's BEGIN record names, and journaled
// with its SHA-256 and file before the next starts, so a resume continues the first unproven file
// after its last whole record. The data key stays in this job's memory and is zeroed at the end.
import { mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { AppError, toAppError } from '../../api/errors.ts';
import { readLsblk } from '../../drives/lsblk.ts';
import { openUnit } from '../unit.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { formatForSync } from '../format-for-sync.ts';
import { spreadPoints } from '../../chain/spread.ts';
import { sealedSize } from '../../seal/index.ts';
import { listSnapshots } from '../../system/zfs/index.ts';
import type { JobRun } from '../job-run.ts';
import { eachStep, step, stepNames, type JobPipeline } from '../job-steps.ts';
import { TOOL, type Manifest, type SealedPointFile } from '../manifest.ts';
import { encodeRecords } from '../stream-digest.ts';
import { untilAborted, watchDrives, type DriveWatch } from '../drive-watch.ts';
import { flushUnit, freeBytes, mountUnitDrives, type MountedUnit } from '../files/unit-target.ts';
import { guardLockPoints } from '../zfs/guards.ts';
import { sendChain } from '../zfs/send-chain.ts';
import { hintFor } from '../zfs/send-point.ts';
import { sendSealed } from '../zfs/sealed-file.ts';
import { parseBegin, StreamEnds } from '../zfs/stream-ends.ts';
import { chainOf, manifestSystems } from '../zfs/sync-steps.ts';
import type { ZfsSyncSystem } from '../zfs/sync-types.ts';
import { makeUnitKeyOn, reopenUnitKey, sealedManifestPair, streamFileName, streamPath, STREAMS_DIR, writeUnitManifests } from './sealed-layout.ts';
import type { SealedJournalRecord, SealedPointRecord, SealedSyncOptions, SealedSyncRequest, SealedSyncResult, SealedTargetRecord } from './sealed-types.ts';

type JobRecord = Extract<SealedJournalRecord, { type: 'job' }>;

export interface SealedSyncState {
  readonly req: SealedSyncRequest;
  readonly jobId: string;
  readonly started: number;
  readonly opts: SealedSyncOptions;
  readonly run: JobRun<SealedJournalRecord>;
  readonly records: SealedJournalRecord[];
  /** The systems and their chains: the request's, or on a resume the first run's (the journal's). */
  readonly systems: ZfsSyncSystem[];
  devices: string[];
  resumed: boolean;
  target?: SealedTargetRecord;
  /** The unit's data key, in memory for the job only. */
  dataKey?: Buffer;
  mounted?: MountedUnit;
  proven: SealedPointRecord[];
  watch?: DriveWatch;
  sendStarted: number;
  bytes: number;
  sent: number;
  skipped: number;
  perSystem: SealedSyncResult['systems'];
  manifest?: Manifest;
  ejected: boolean;
}

const CANCELLED = 'The sync was cancelled.';

export const SEALED_SYNC: JobPipeline<SealedSyncState> = {
  steps: [
    step('prepare-target', prepareTarget),
    step('guard-lock', guardLock),
    eachStep('send', {
      items: (s) => s.systems,
      label: (sys) => ({ item: sys.system, bytes: sys.estimatedBytes ?? 0 }),
      around: whileDrivesWatched,
      work: sendSystem,
    }),
    step('write-manifest', writeUnitManifest),
    step('eject', ejectUnit),
  ],
  signal: (s) => s.watch?.signal ?? s.opts.signal,
  check: (s) => s.watch?.check(),
  cancelled: CANCELLED,
};

export const SEALED_SYNC_STEPS = stepNames(SEALED_SYNC);

export function sealedSyncState(req: SealedSyncRequest, jobId: string, started: number, opts: SealedSyncOptions, run: JobRun<SealedJournalRecord>): SealedSyncState {
  const records = run.records();
  // A resume sends what the first run chose: the ticket or the source may have changed since.
  const job = req.resume ? records.find((r): r is JobRecord => r.type === 'job') : undefined;
  return {
    req, jobId, started, opts, run, records,
    systems: job?.systems ?? req.systems,
    devices: req.devices,
    resumed: false,
    proven: records.filter((r): r is SealedPointRecord => r.type === 'point'),
    sendStarted: Date.now(),
    bytes: 0,
    sent: 0,
    skipped: 0,
    perSystem: [],
    ejected: false,
  };
}

/** A new run: the drives formatted, the unit key made, the systems placed. A resume: the key opened again. */
async function prepareTarget(s: SealedSyncState): Promise<void> {
  const { req, jobId, run } = s;
  let target = s.records.find((r): r is SealedTargetRecord => r.type === 'sealed-target');
  if (req.resume) {
    if (!target) throw new AppError('JOB_STATE', `There is no interrupted sealed sync of ticket ${req.ticketId} to resume on this bench; start a new sync.`, { step: run.step });
    s.resumed = true;
    run.append({ type: 'resumed' });
    releaseDrives(s.devices, jobId);
    s.devices = target.drives.map((d) => d.device);
    claimDrives(s.devices, jobId);
    // A replugged drive may be at another path now, and another disk at this one.
    for (const d of target.drives) {
      const there = await openUnit(d.device).catch(() => null);
      if (there?.metadata.unitId !== target.unitId || there.metadata.drive.index !== d.index) {
        throw new AppError('DRIVE_NOT_FOUND', `Drive ${d.index} of this sealed unit${d.serial ? ` (serial ${d.serial})` : ''} is no longer at ${d.device}; nothing was written.`, {
          step: run.step,
          hint: 'Attach the unit\'s drives as they were when the sync started, or start a new sync (it erases the drives).',
        });
      }
    }
    s.dataKey = await reopenUnitKey(target.drives[0].metaPartition, req.unitPassphrase, target.keyId, target.drives[0].device, run.step);
    s.mounted = await mountUnitDrives(jobId, target.drives.map((d) => ({ ...d, fsLabel: null })), 'ext4');
  } else {
    const devices = s.devices;
    // Before anything is erased: a system must fit whole on one drive (a rough measure of the
    // drives' ext4 space; the real one is taken after the format).
    placeSystems(s.systems, (await readLsblk(devices)).map((n) => Math.max(0, (n.sizeBytes - 300 * 2 ** 20) * 0.95)));
    run.append({ type: 'job', jobId, ticketId: req.ticketId, devices, systems: req.systems, direction: req.direction, source: req.source, applianceSerial: req.applianceSerial, startedAt: new Date().toISOString() });
    const formatted = await formatForSync(devices, 'zfs-sealed', req, jobId, s.opts.signal);
    const drives = formatted.drives.map((d, i) => ({ index: i + 1, device: d.device, serial: d.serial, metaPartition: d.metaPartition, dataPartition: d.dataPartition, sizeBytes: 0 }));
    const key = await makeUnitKeyOn(drives.map((d) => d.metaPartition), req.unitPassphrase);
    s.dataKey = key.dataKey;
    s.mounted = await mountUnitDrives(jobId, drives.map((d) => ({ ...d, fsLabel: null })), 'ext4');
    for (const d of s.mounted.drives) mkdirSync(`${d.root}/${STREAMS_DIR}`, { recursive: true, mode: 0o700 });
    // Whole systems per drive: a chain of increments needs every stream before it.
    const free = s.mounted.drives.map((d) => freeBytes(d.root));
    const placement = placeSystems(s.systems, free);
    target = { type: 'sealed-target', unitId: formatted.unitId, keyId: key.keyId, drives, placement };
    run.append(target);
  }
  s.target = target;
  await s.opts.hooks?.afterTarget?.(target.unitId);
}

async function guardLock(s: SealedSyncState): Promise<void> {
  await guardLockPoints(s.req.ticketId, s.systems, (r) => s.run.append(r));
}

async function whileDrivesWatched(s: SealedSyncState, items: () => Promise<void>): Promise<void> {
  s.sendStarted = Date.now();
  s.watch = watchDrives(s.devices, s.opts.signal, hintFor('TARGET_GONE'));
  await untilAborted(items(), s.watch.signal, CANCELLED);
}

/** Which drive (1-based) each system goes to, whole; DRIVE_TOO_SMALL, in a sealed unit's words, when one fits none. */
function placeSystems(systems: ZfsSyncSystem[], capacities: number[]): Record<string, number> {
  try {
    const spread = spreadPoints(systems.map((x) => ({ id: x.system, bytes: sealedSize(x.estimatedBytes ?? 0) })), capacities);
    return Object.fromEntries(spread.assignment.map((a) => [a.id, a.drive + 1]));
  } catch (e) {
    const err = toAppError(e);
    if (err.code !== 'DRIVE_TOO_SMALL') throw err;
    throw new AppError('DRIVE_TOO_SMALL', `${err.message.replace(/; a point is never split across drives\.$/, '')}: a sealed unit keeps each system whole on one drive (its stream files are not striped).`, {
      hint: 'Attach a larger drive, or sync this unit unencrypted (a ZFS pool is striped over its drives). Nothing was erased.',
      data: err.data,
    });
  }
}

/** A journaled point whose file is still there, whole in size. */
function stillWritten(rec: SealedPointRecord | undefined, root: string): boolean {
  if (!rec) return false;
  try {
    return statSync(streamPath(root, rec.sealed.file)).size === rec.sealed.sealedBytes;
  } catch {
    return false;
  }
}

/** One system's points sealed into files on its drive, from the first one not proven there. */
async function sendSystem(s: SealedSyncState, sys: ZfsSyncSystem, checkpoint: () => void): Promise<void> {
  const { run } = s;
  const key = s.dataKey!;
  const driveIndex = s.target!.placement[sys.system];
  const drive = s.mounted!.drives.find((d) => d.index === driveIndex);
  if (!drive) throw new AppError('JOB_STATE', `The sync's record places ${sys.system} on drive ${driveIndex}, which this unit does not have; start a new sync.`, { step: run.step });
  const seq = chainOf(sys);
  const mine = s.proven.filter((p) => p.system === sys.system);
  let next = 0;
  while (next < seq.length && stillWritten(mine.filter((p) => p.point === seq[next]).at(-1), drive.root)) next++;
  s.skipped += next;
  const sourceSnaps = new Map((await listSnapshots(sys.sourceDataset)).map((x) => [x.snap, x]));
  let began: string | null = null;
  const bytes = await sendChain<{ sealed: SealedPointFile }>(s, sys, seq, next, sourceSnaps, {
    where: 'the sealed unit',
    async send(snapshot, from) {
      const point = snapshot.slice(snapshot.indexOf('@') + 1);
      const file = streamFileName(key, sys.system, point);
      const path = streamPath(drive.root, file);
      let ends = new StreamEnds((n) => run.meter.add(n));
      const send = (resume: boolean) => sendSealed(snapshot, path, key, { from: from ?? undefined, resume, signal: s.watch!.signal, tap: ends });
      // A half-written file that cannot be continued (the point sent again is not the stream it
      // began) is written afresh under a new stream id; it was never proven, so nothing is lost.
      const r = await send(true).catch(async (e: unknown) => {
        if (toAppError(e).code !== 'SEALED_STREAM_FOREIGN') throw e;
        await rm(path, { force: true });
        ends = new StreamEnds((n) => run.meter.add(n));
        return send(false);
      });
      const records = ends.records();
      began = parseBegin(records.head)?.toGuid ?? null;
      return { bytes: ends.bytes, sha256: r.sha256, records: encodeRecords(records), sealed: { drive: driveIndex, file, streamId: r.streamId, sealedBytes: statSync(path).size } };
    },
    landedGuid: async () => began,
  }, checkpoint);
  await flushUnit(drive.root, drive.dataPartition);
  s.perSystem.push({ system: sys.system, drive: driveIndex, points: seq.length, bytesSent: bytes });
}

/** The whole manifest sealed, and the public one (no system names) beside it, on every drive. */
async function writeUnitManifest(s: SealedSyncState): Promise<void> {
  const { req, run } = s;
  const target = s.target!;
  const job = [...s.records, ...run.journal.read()].find((r): r is JobRecord => r.type === 'job');
  const last = (system: string, point: string) => s.proven.filter((p) => p.system === system && p.point === point).at(-1)!;
  const systems = manifestSystems(s.systems, s.proven, 'sealed').map((m) => ({
    ...m,
    unitPath: `drive ${target.placement[m.system]}`,
    points: m.points.map((p) => ({ ...p, sealed: last(m.system, p.name).sealed })),
  }));
  const common = {
    format: 'roundtrip-manifest' as const,
    version: 1 as const,
    layout: 'zfs-sealed' as const,
    ticketId: req.ticketId,
    applianceSerial: req.applianceSerial,
    direction: req.direction,
    unitId: target.unitId,
    pool: null,
    drives: target.drives.map((d) => ({ index: d.index, serial: d.serial, sizeBytes: d.sizeBytes })),
    content: 'datasets' as const,
    source: req.source,
    tool: TOOL,
    startedAt: job?.startedAt ?? new Date(s.started).toISOString(),
    endedAt: new Date().toISOString(),
  };
  const { sealed, outer } = await sealedManifestPair(s.dataKey!, target.keyId, common, systems);
  for (const d of target.drives) {
    await untilAborted(writeUnitManifests(d.metaPartition, sealed, outer), s.watch!.signal, CANCELLED);
  }
  run.append({ type: 'manifest', checksum: outer.checksum });
  s.manifest = outer;
}

/** The data filesystems unmounted and flushed, so the drives can be unplugged. */
async function ejectUnit(s: SealedSyncState): Promise<void> {
  s.ejected = true;
  await s.mounted?.close();
  s.mounted = undefined;
  s.run.append({ type: 'done' });
}
