// The steps of a ZFS sync onto a unit, as the job runner calls them (job-steps.ts):
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest → eject
// and the state they pass along. Every point is proven on the unit (same GUID) and journaled
// before the next starts, so a resume starts each system at its first unproven point.
import { AppError } from '../../api/errors.ts';
import { formatForSync } from '../format-for-sync.ts';
import {
  datasetExists, destroy, exportPool, getDataset, importPool, listSnapshots, poolExists, rollback,
} from '../../system/zfs/index.ts';
import type { JobRun } from '../job-run.ts';
import { eachStep, step, stepNames, type JobPipeline } from '../job-steps.ts';
import { sealManifest, writeManifest, TOOL, type Manifest, type ManifestSystem } from '../manifest.ts';
import { hintFor, sendPointToUnit } from './send-point.ts';
import { sendChain } from './send-chain.ts';
import { guardLockPoints } from './guards.ts';
import { untilAborted, watchDrives, type DriveWatch } from '../drive-watch.ts';
import type { PointRecord, SyncJournalRecord, TargetRecord, ZfsSyncOptions, ZfsSyncRequest, ZfsSyncResult, ZfsSyncSystem } from './sync-types.ts';

type JobRecord = Extract<SyncJournalRecord, { type: 'job' }>;

/** What the steps of one ZFS sync pass along. */
export interface ZfsSyncState {
  readonly req: ZfsSyncRequest;
  readonly jobId: string;
  readonly started: number;
  readonly opts: ZfsSyncOptions;
  readonly run: JobRun<SyncJournalRecord>;
  /** The journal of the earlier runs, as this run found it. */
  readonly records: SyncJournalRecord[];
  /** The unit's drives: the request's, or on a resume the journal's. */
  devices: string[];
  resumed: boolean;
  target?: TargetRecord;
  /** The unit's pool, once it is there (a cancel exports it). */
  pool?: string;
  /** Whether the source's `zfs receive` can resume a broken stream (from the guard step's probe). */
  resumableReceive: boolean;
  /** Every proven point: the journal's, then each one this run sends. */
  proven: PointRecord[];
  /** The drives' watch, from the first stream until the job ends. */
  watch?: DriveWatch;
  sendStarted: number;
  bytes: number;
  sent: number;
  skipped: number;
  perSystem: ZfsSyncResult['systems'];
  manifest?: Manifest;
  ejected: boolean;
}

const CANCELLED = 'The sync was cancelled.';

export const ZFS_SYNC: JobPipeline<ZfsSyncState> = {
  steps: [
    step('prepare-target', prepareTarget),
    step('guard-lock', guardLock),
    eachStep('send', {
      items: (s) => s.req.systems,
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

/** The steps of a ZFS sync, in order ("send SYSTEM" for each system). */
export const ZFS_SYNC_STEPS = stepNames(ZFS_SYNC);

export function zfsSyncState(req: ZfsSyncRequest, jobId: string, started: number, opts: ZfsSyncOptions, run: JobRun<SyncJournalRecord>): ZfsSyncState {
  const records = run.records();
  return {
    req, jobId, started, opts, run, records,
    devices: req.devices,
    resumed: false,
    resumableReceive: false,
    proven: records.filter((r): r is PointRecord => r.type === 'point'),
    sendStarted: Date.now(),
    bytes: 0,
    sent: 0,
    skipped: 0,
    perSystem: [],
    ejected: false,
  };
}

/** The unit: formatted for a new run, imported again for a resume; then its space is checked. */
async function prepareTarget(s: ZfsSyncState): Promise<void> {
  const { req, jobId, run } = s;
  let target = s.records.find((r): r is TargetRecord => r.type === 'target');
  if (req.resume) {
    if (!target) throw new AppError('JOB_STATE', `There is no interrupted sync of ticket ${req.ticketId} to resume on this bench; start a new sync.`, { step: run.step });
    s.resumed = true;
    run.append({ type: 'resumed' });
    s.devices = target.drives.map((d) => d.device);
    if (!(await poolExists(target.pool))) await importPool(target.pool, { dirs: ['/dev'] });
  } else {
    const devices = s.devices;
    run.append({ type: 'job', jobId, ticketId: req.ticketId, devices, systems: req.systems, direction: req.direction, source: req.source, applianceSerial: req.applianceSerial, startedAt: new Date().toISOString() });
    const formatted = await formatForSync(devices, 'zfs', req, jobId, s.opts.signal);
    target = {
      type: 'target',
      pool: formatted.pool!.name,
      poolGuid: formatted.pool!.guid,
      unitId: formatted.unitId,
      drives: formatted.drives.map((d) => ({ device: d.device, serial: d.serial, metaPartition: d.metaPartition, dataPartition: d.dataPartition, sizeBytes: 0 })),
    };
    run.append(target);
  }
  s.target = target;
  s.pool = target.pool;
  await s.opts.hooks?.afterTarget?.(target.pool);
  const free = (await getDataset(target.pool)).availableBytes;
  const stillToSend = req.systems.reduce((n, x) => n + (x.estimatedBytes ?? 0), 0) - s.proven.reduce((n, p) => n + p.bytes, 0);
  if (stillToSend > free) {
    throw new AppError('TARGET_FULL', `The unit has ${(free / 1e9).toFixed(2)} GB free but this selection needs about ${(stillToSend / 1e9).toFixed(2)} GB.`, {
      step: run.step,
      hint: 'Add a drive, choose fewer points, or use a NAS unit. Nothing was sent.',
    });
  }
}

async function guardLock(s: ZfsSyncState): Promise<void> {
  const caps = await guardLockPoints(s.req.ticketId, s.req.systems, (r) => s.run.append(r));
  s.resumableReceive = caps.resumableReceive;
}

/**
 * The drives are watched while the streams run: a pulled drive can leave ZFS waiting for good.
 * Until the pool is exported: writing the manifest and the export can hang on it just the same.
 */
async function whileDrivesWatched(s: ZfsSyncState, items: () => Promise<void>): Promise<void> {
  s.sendStarted = Date.now();
  s.watch = watchDrives(s.devices, s.opts.signal, hintFor('TARGET_GONE'));
  await untilAborted(items(), s.watch.signal, CANCELLED);
}

/** One system's points, oldest first, from the first one not proven on the unit. */
async function sendSystem(s: ZfsSyncState, sys: ZfsSyncSystem, checkpoint: () => void): Promise<void> {
  const { run } = s;
  const seq = chainOf(sys);
  const unitDs = `${s.pool!}/${sys.system}`;
  const onUnit = (await datasetExists(unitDs)) ? await listSnapshots(unitDs) : [];
  const mine = s.proven.filter((p) => p.system === sys.system);
  let next = 0;
  for (; next < seq.length; next++) {
    const rec = mine.find((p) => p.point === seq[next]);
    const there = onUnit.find((u) => u.snap === seq[next]);
    if (!rec || !there || there.guid !== rec.guid) break;
  }
  s.skipped += next;
  // Anything on the unit past the last proven point was not journaled: it goes, and is sent again.
  if (onUnit.length > next) {
    if (next === 0) await destroy(unitDs, { recursive: true });
    else await rollback(`${unitDs}@${seq[next - 1]}`, { destroyNewer: true });
  }
  const sourceSnaps = new Map((await listSnapshots(sys.sourceDataset)).map((x) => [x.snap, x]));
  const sysBytes = await sendChain(s, sys, seq, next, sourceSnaps, {
    where: 'the unit',
    send: (snapshot, from) => sendPointToUnit(snapshot, from, unitDs, { onBytes: (n) => run.meter.add(n), signal: s.watch!.signal, resumable: s.resumableReceive, step: run.step }),
    landedGuid: async (point) => (await listSnapshots(unitDs)).find((u) => u.snap === point)?.guid ?? null,
  }, checkpoint);
  s.perSystem.push({ system: sys.system, points: seq.length, bytesSent: sysBytes });
}

/** The sealed manifest on every drive's metadata partition. */
async function writeUnitManifest(s: ZfsSyncState): Promise<void> {
  const { req, run } = s;
  const target = s.target!;
  const job = [...s.records, ...run.journal.read()].find((r): r is JobRecord => r.type === 'job');
  const manifest = sealManifest({
    format: 'roundtrip-manifest',
    version: 1,
    layout: 'zfs',
    ticketId: req.ticketId,
    applianceSerial: req.applianceSerial,
    direction: req.direction,
    unitId: target.unitId,
    pool: { name: target.pool, guid: target.poolGuid },
    drives: target.drives.map((d, i) => ({ index: i + 1, serial: d.serial, sizeBytes: d.sizeBytes })),
    source: req.source,
    systems: manifestSystems(req.systems, s.proven, target.pool),
    tool: TOOL,
    startedAt: job?.startedAt ?? new Date(s.started).toISOString(),
    endedAt: new Date().toISOString(),
  });
  for (const d of target.drives) await untilAborted(writeManifest(d.metaPartition, manifest), s.watch!.signal, CANCELLED);
  run.append({ type: 'manifest', checksum: manifest.checksum });
  s.manifest = manifest;
}

/** The pool exported (unless asked to stay), so the drives can be unplugged. */
async function ejectUnit(s: ZfsSyncState): Promise<void> {
  s.ejected = s.req.eject !== false;
  if (s.ejected) await untilAborted(exportPool(s.pool!), s.watch!.signal, CANCELLED);
  s.run.append({ type: 'done' });
}

/** The points of a system in chain order: the base (if any) first. */
export function chainOf(sys: Pick<ZfsSyncSystem, 'base' | 'points'>): string[] {
  return sys.base ? [sys.base, ...sys.points] : [...sys.points];
}

/** The manifest's systems from the proven points: each point's last proof, in chain order. */
export function manifestSystems(systems: ZfsSyncSystem[], proven: PointRecord[], unitRoot: string): ManifestSystem[] {
  return systems.map((s) => {
    const seq = chainOf(s);
    const recs = seq.map((n) => proven.filter((p) => p.system === s.system && p.point === n).at(-1)!);
    return {
      system: s.system,
      kind: s.kind,
      encrypted: s.encrypted,
      sourceDataset: s.sourceDataset,
      unitPath: `${unitRoot}/${s.system}`,
      points: recs.map((p) => ({ name: p.point, guid: p.guid, time: p.time, from: p.from, contentDigest: p.sha256, records: p.records })),
      streams: recs.map((p) => ({ base: p.from, end: p.point, bytes: p.bytes, sha256: p.sha256 })),
    };
  });
}
