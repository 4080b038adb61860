// The ZFS sync job: a plan's points onto a unit, as named steps with a durable journal.
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest → eject
// Every finished point is proven on the unit (same GUID) and journaled before the next starts,
// so a killed job resumes at the first unproven point and never sends a proven one again.
// Nothing on the source is changed: no rollback, destroy or property; the lock point gets a hold
// (where the probe allows it) so retention cannot remove it while the unit is in transit.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AppError, toAppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { formatDrives, type FormatDoneResult } from '../../drives/format.ts';
import { logLine } from '../../system/log.ts';
import {
  datasetExists, destroy, exportPool, getDataset, importPool, listSnapshots, poolExists, rollback,
} from '../../system/zfs/index.ts';
import { withJobRun, type JobRun } from '../job-run.ts';
import { recordBenchRate } from '../bench-rate.ts';
import { sealManifest, writeManifest, TOOL, type Manifest, type ManifestSystem } from '../manifest.ts';
import type { ProgressSnapshot } from '../progress.ts';
import { hintFor, sendPointToUnit } from './send-point.ts';
import { pointStillOnSource } from '../source-point.ts';
import { guardLockPoints, type GuardRecord } from './guards.ts';
import { stillAttached } from '../../drives/sysfs.ts';
import { abortError, untilAborted, watchDrives, type DriveWatch } from '../drive-watch.ts';

export interface ZfsSyncSystem {
  system: string;
  kind: 'agent' | 'share';
  encrypted: boolean;
  sourceDataset: string;
  /** The lock (common point): sent in full first so the unit can take the increments; null = no common point. */
  base: string | null;
  /** Points after the base, oldest first. */
  points: string[];
  /** Estimated stream bytes, for progress and the space check. */
  estimatedBytes?: number;
}

export interface ZfsSyncRequest {
  ticketId: string;
  applianceSerial: string | null;
  direction: 'forward' | 'reverse';
  source: { host: string; root: string };
  devices: string[];
  systems: ZfsSyncSystem[];
  resume?: boolean;
  /** Export the pool at the end so the drives can be unplugged (default true). */
  eject?: boolean;
  jobId?: string;
  actor?: string;
}

export interface ZfsSyncResult {
  jobId: string;
  resumed: boolean;
  pool: string;
  unitId: string;
  bytes: number;
  pointsSent: number;
  pointsSkipped: number;
  systems: Array<{ system: string; points: number; bytesSent: number }>;
  manifest: Manifest;
  ejected: boolean;
  tookMs: number;
}

type TargetRecord = { type: 'target'; pool: string; unitId: string; poolGuid: string | null; drives: Array<{ device: string; serial: string | null; metaPartition: string; dataPartition: string; sizeBytes: number }> };
export type PointRecord = {
  type: 'point';
  system: string;
  point: string;
  guid: string;
  time: number;
  from: string | null;
  bytes: number;
  sha256: string;
  records: { head: string; tail: string };
};
export type SyncJournalRecord =
  | { type: 'job'; jobId: string; ticketId: string; devices: string[]; systems: ZfsSyncSystem[]; direction: string; source: { host: string; root: string }; applianceSerial: string | null; startedAt: string }
  | TargetRecord
  | GuardRecord
  | PointRecord
  | { type: 'resumed' }
  | { type: 'manifest'; checksum: string }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string; step?: string }
  | { type: 'cancelled'; step?: string };

export function syncJobId(ticketId: string): string {
  return `sync-${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** Test and UI hooks between steps; they run inside the job, so a throw fails it like any step. */
export interface ZfsSyncHooks {
  afterTarget?: (pool: string) => void | Promise<void>;
  afterPoint?: (system: string, point: string, sent: number) => void | Promise<void>;
}

export interface ZfsSyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  hooks?: ZfsSyncHooks;
}

/** The steps of a ZFS sync, in order ("send SYSTEM" for each system). */
export const ZFS_SYNC_STEPS = ['prepare-target', 'guard-lock', 'send', 'write-manifest', 'eject'] as const;

export async function runZfsSync(req: ZfsSyncRequest, opts: ZfsSyncOptions = {}): Promise<ZfsSyncResult> {
  const started = Date.now();
  const jobId = req.jobId ?? syncJobId(req.ticketId);
  // R9: a new run on the same ticket erases what an earlier run wrote; its journal is set aside.
  return withJobRun<SyncJournalRecord, ZfsSyncResult>(
    { jobId, what: `The sync of ticket ${req.ticketId}`, steps: ZFS_SYNC_STEPS, setAsideJournal: !req.resume, onProgress: opts.onProgress },
    (run) => runLockedZfsSync(req, jobId, started, opts, run),
  );
}

async function runLockedZfsSync(req: ZfsSyncRequest, jobId: string, started: number, opts: ZfsSyncOptions, run: JobRun<SyncJournalRecord>): Promise<ZfsSyncResult> {
  const journal = run.journal;
  let resumed = false;
  const records = run.records();
  const total = req.systems.reduce((s, x) => s + (x.estimatedBytes ?? 0), 0);
  const meter = run.meter;
  meter.setTotal(total);
  let devices = req.devices;
  claimDrives(devices, jobId);
  let watch: DriveWatch | undefined;
  let unitPool: string | null = null;
  try {
    // --- prepare-target
    let target: TargetRecord | undefined = records.find((r): r is TargetRecord => r.type === "target");
    if (req.resume) {
      if (!target) throw new AppError('JOB_STATE', `There is no interrupted sync of ticket ${req.ticketId} to resume on this bench; start a new sync.`, { step: run.step });
      resumed = true;
      journal.append({ type: 'resumed' });
      devices = target.drives.map((d) => d.device);
      if (!(await poolExists(target.pool))) await importPool(target.pool, { dirs: ['/dev'] });
    } else {
      journal.append({ type: 'job', jobId, ticketId: req.ticketId, devices, systems: req.systems, direction: req.direction, source: req.source, applianceSerial: req.applianceSerial, startedAt: new Date().toISOString() });
      releaseDrives(devices, jobId); // formatDrives claims the drives itself under the same job
      let formatted: FormatDoneResult;
      try {
        formatted = (await formatDrives({ devices, layout: 'zfs', label: req.ticketId, yes: true, ticketId: req.ticketId, jobId, actor: req.actor }, { signal: opts.signal })) as FormatDoneResult;
      } finally {
        claimDrives(devices, jobId);
      }
      target = {
        type: 'target',
        pool: formatted.pool!.name,
        poolGuid: formatted.pool!.guid,
        unitId: formatted.unitId,
        drives: formatted.drives.map((d) => ({ device: d.device, serial: d.serial, metaPartition: d.metaPartition, dataPartition: d.dataPartition, sizeBytes: 0 })),
      };
      journal.append(target);
    }
    const pool = target.pool;
    unitPool = pool;
    await opts.hooks?.afterTarget?.(pool);
    const free = (await getDataset(pool)).availableBytes;
    const proven = records.filter((r): r is PointRecord => r.type === 'point');
    const stillToSend = req.systems.reduce((s, x) => s + (x.estimatedBytes ?? 0), 0) - proven.reduce((s, p) => s + p.bytes, 0);
    if (stillToSend > free) {
      throw new AppError('TARGET_FULL', `The unit has ${(free / 1e9).toFixed(2)} GB free but this selection needs about ${(stillToSend / 1e9).toFixed(2)} GB.`, {
        step: run.step,
        hint: 'Add a drive, choose fewer points, or use a NAS unit. Nothing was sent.',
      });
    }

    // --- guard-lock
    run.enter('guard-lock');
    const caps = await guardLockPoints(req.ticketId, req.systems, (r) => journal.append(r));

    // --- send, system by system, point by point
    let bytes = 0;
    const sendStarted = Date.now();
    let sent = 0;
    let skipped = 0;
    const perSystem: ZfsSyncResult['systems'] = [];
    // The drives are watched while the streams run: a pulled drive can leave ZFS waiting for good.
    // Until the pool is exported: writing the manifest and the export can hang on it just the same.
    const drivesWatch = watchDrives(devices, opts.signal, hintFor('TARGET_GONE'));
    watch = drivesWatch;
    const sendAll = async () => {
      for (const s of req.systems) {
        run.enter(`send ${s.system}`, s.system, s.estimatedBytes ?? 0);
        const seq = s.base ? [s.base, ...s.points] : [...s.points];
        const unitDs = `${pool}/${s.system}`;
        const onUnit = (await datasetExists(unitDs)) ? await listSnapshots(unitDs) : [];
        const mine = proven.filter((p) => p.system === s.system);
        let next = 0;
        for (; next < seq.length; next++) {
          const rec = mine.find((p) => p.point === seq[next]);
          const there = onUnit.find((u) => u.snap === seq[next]);
          if (!rec || !there || there.guid !== rec.guid) break;
        }
        skipped += next;
        // Anything on the unit past the last proven point was not journaled: it goes, and is sent again.
        if (onUnit.length > next) {
          if (next === 0) await destroy(unitDs, { recursive: true });
          else await rollback(`${unitDs}@${seq[next - 1]}`, { destroyNewer: true });
        }
        const sourceSnaps = new Map((await listSnapshots(s.sourceDataset)).map((x) => [x.snap, x]));
        let sysBytes = 0;
        for (let i = next; i < seq.length; i++) {
          drivesWatch.check();
          if (drivesWatch.signal.aborted) throw abortError(drivesWatch.signal, 'The sync was cancelled.', run.step);
          const src = pointStillOnSource(sourceSnaps, s.system, seq[i], run.step);
          meter.setStep(run.step, `${s.system}@${seq[i]}`);
          const from = i === 0 ? null : seq[i - 1];
          const r = await sendPointToUnit(`${s.sourceDataset}@${seq[i]}`, from, unitDs, {
            onBytes: (n) => meter.add(n),
            signal: drivesWatch.signal,
            resumable: caps.resumableReceive,
            step: run.step,
          });
          const landed = (await listSnapshots(unitDs)).find((u) => u.snap === seq[i]);
          if (!landed || landed.guid !== src.guid) {
            throw new AppError('VERIFY_MISMATCH', `Point ${seq[i]} of ${s.system} did not arrive on the unit as it is on the source (GUID differs).`, { step: run.step, data: { system: s.system, point: seq[i] } });
          }
          const rec: PointRecord = { type: 'point', system: s.system, point: seq[i], guid: src.guid, time: Number(seq[i]) || src.creation, from, ...r };
          journal.append(rec);
          proven.push(rec);
          bytes += r.bytes;
          sysBytes += r.bytes;
          sent++;
          await opts.hooks?.afterPoint?.(s.system, seq[i], sent);
        }
        perSystem.push({ system: s.system, points: seq.length, bytesSent: sysBytes });
      }
    };
    const cancelled = 'The sync was cancelled.';
    await untilAborted(sendAll(), drivesWatch.signal, cancelled);

    // --- write-manifest
    run.enter('write-manifest');
    const job = [...records, ...journal.read()].find((r) => r.type === 'job') as Extract<SyncJournalRecord, { type: 'job' }> | undefined;
    const systems = manifestSystems(req.systems, proven, pool);
    const manifest = sealManifest({
      format: 'roundtrip-manifest',
      version: 1,
      layout: 'zfs',
      ticketId: req.ticketId,
      applianceSerial: req.applianceSerial,
      direction: req.direction,
      unitId: target.unitId,
      pool: { name: pool, guid: target.poolGuid },
      drives: target.drives.map((d, i) => ({ index: i + 1, serial: d.serial, sizeBytes: d.sizeBytes })),
      source: req.source,
      systems,
      tool: TOOL,
      startedAt: job?.startedAt ?? new Date(started).toISOString(),
      endedAt: new Date().toISOString(),
    });
    for (const d of target.drives) await untilAborted(writeManifest(d.metaPartition, manifest), drivesWatch.signal, cancelled);
    journal.append({ type: 'manifest', checksum: manifest.checksum });

    // --- eject
    run.enter('eject');
    const ejected = req.eject !== false;
    if (ejected) await untilAborted(exportPool(pool), drivesWatch.signal, cancelled);
    journal.append({ type: 'done' });
    recordBenchRate(bytes, Date.now() - sendStarted);
    logLine('job', { jobId, op: 'zfs sync done', pool, bytes, sent, skipped });
    return { jobId, resumed, pool, unitId: target.unitId, bytes, pointsSent: sent, pointsSkipped: skipped, systems: perSystem, manifest, ejected, tookMs: Date.now() - started };
  } catch (e) {
    let err = toAppError(e);
    // A pulled drive shows up as whatever ZFS or the pipe says first (a damaged stream, an I/O
    // error); what the technician must hear is that the drive is gone.
    const gone = err.code !== 'CANCELLED' ? devices.filter((d) => !stillAttached(d)) : [];
    if (gone.length && err.code !== 'TARGET_GONE' && err.code !== 'DRIVE_GONE') {
      err = new AppError('TARGET_GONE', `The unit's drive ${gone.join(', ')} is no longer attached.`, { detail: `${err.code}: ${err.message}\n${err.detail ?? ''}`, hint: hintFor('TARGET_GONE'), step: err.step ?? run.step });
    }
    // A cancelled sync leaves its unit exported, nothing of it mounted: the drive may be unplugged,
    // and a resume imports it again. Best effort: the cancel is what the technician must hear.
    if (err.code === 'CANCELLED' && unitPool) await exportPool(unitPool).catch(() => {});
    throw err;
  } finally {
    watch?.stop();
    releaseDrives(devices, jobId);
  }
}

export function newJobId(): string {
  return randomUUID();
}

export { existsSync };

/** The manifest's systems from the proven points: each point's last proof, in chain order. */
export function manifestSystems(systems: ZfsSyncSystem[], proven: PointRecord[], unitRoot: string): ManifestSystem[] {
  return systems.map((s) => {
    const seq = s.base ? [s.base, ...s.points] : [...s.points];
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
