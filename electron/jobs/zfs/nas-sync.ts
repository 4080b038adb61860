// The ZFS sync job into a NAS unit over ssh (R3: above 8 TB, ZFS only). The same steps, journal,
// job lock, guards and proofs as the USB pipeline (sync.ts), with the unit a dataset on the NAS:
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest
// The unit is `POOL/rt_<ticket>` on the NAS (user properties roundtrip:unit=yes, roundtrip:ticket,
// roundtrip:unit-id); each system is `POOL/rt_<ticket>/SYSTEM`. Every point is received through
// `ssh NAS zfs receive`, measured on the way (StreamDigest), proven by its GUID on the NAS and
// journaled before the next starts, so a killed job resumes at the first unproven point. The sealed
// manifest is a file `.roundtrip-manifest.json` in the unit dataset's mountpoint on the NAS (and its
// checksum the property roundtrip:manifest-sha256), so any bench reads it over ssh without our database.
import { randomUUID } from 'node:crypto';
import { AppError, toAppError } from '../../api/errors.ts';
import { pointStillOnSource } from '../source-point.ts';
import { probeNas, readNasFile, receiveOverSsh, runOnNas, writeNasFile, type NasHost } from '../../drives/nas.ts';
import { logLine } from '../../system/log.ts';
import { retryBusy } from '../../system/zfs/pool.ts';
import { assertDatasetName, assertSnapshotName, listSnapshots } from '../../system/zfs/index.ts';
import { parseGetRows, groupRows, num } from '../../system/zfs/parse.ts';
import { recordBenchRate } from '../bench-rate.ts';
import { Journal } from '../journal.ts';
import { withJobRun, type JobRun } from '../job-run.ts';
import { parseManifest, sealManifest, TOOL, type Manifest } from '../manifest.ts';
import type { ProgressSnapshot } from '../progress.ts';
import { hintFor, pipePointInto, type SentPoint } from './send-point.ts';
import { guardLockPoints } from './guards.ts';
import { manifestSystems, syncJobId, type SyncJournalRecord, type ZfsSyncRequest, type ZfsSyncSystem } from './sync.ts';

export const NAS_MANIFEST_FILE = '.roundtrip-manifest.json';
export const MANIFEST_SHA_PROP = 'roundtrip:manifest-sha256';

/** The unit's dataset on the NAS: one per ticket. */
export function nasUnitDataset(nasPool: string, ticketId: string): string {
  return assertDatasetName(`${nasPool}/rt_${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
}

export interface ZfsNasSyncRequest extends Omit<ZfsSyncRequest, 'devices' | 'eject'> {
  /** Required for a new run; a resume takes the journal's address unless one is given. */
  nas?: NasHost;
  /** The NAS pool the unit dataset goes into (new runs). */
  nasPool?: string;
}

export interface ZfsNasSyncResult {
  jobId: string;
  resumed: boolean;
  nas: { host: string; port: number; hostname: string | null };
  pool: string;
  dataset: string;
  unitId: string;
  bytes: number;
  pointsSent: number;
  pointsSkipped: number;
  systems: Array<{ system: string; points: number; bytesSent: number }>;
  manifest: Manifest;
  manifestPath: string;
  tookMs: number;
}

type PointRecord = Extract<SyncJournalRecord, { type: 'point' }>;
type JobRecord = Extract<SyncJournalRecord, { type: 'job' }>;
export type NasTargetRecord = {
  type: 'nas-target';
  nas: NasHost;
  pool: string;
  dataset: string;
  unitId: string;
  poolGuid: string | null;
  hostname: string | null;
};
export type NasSyncJournalRecord = Exclude<SyncJournalRecord, { type: 'target' }> | NasTargetRecord;

export interface ZfsNasSyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  hooks?: {
    afterTarget?: (dataset: string) => void | Promise<void>;
    afterPoint?: (system: string, point: string, sent: number) => void | Promise<void>;
  };
}

/** The NAS target of an interrupted sync of this ticket on this bench, if its journal has one. */
export function nasTargetOf(ticketId: string): NasTargetRecord | null {
  const j = new Journal<NasSyncJournalRecord>(syncJobId(ticketId));
  if (!j.exists()) return null;
  return j.read().find((r): r is NasTargetRecord => r.type === 'nas-target') ?? null;
}

export async function runZfsNasSync(req: ZfsNasSyncRequest, opts: ZfsNasSyncOptions = {}): Promise<ZfsNasSyncResult> {
  const started = Date.now();
  const jobId = req.jobId ?? syncJobId(req.ticketId);
  // R9: a new run erases what an earlier run wrote; its journal is set aside.
  return withJobRun<NasSyncJournalRecord, ZfsNasSyncResult>(
    { jobId, what: `The sync of ticket ${req.ticketId}`, steps: NAS_SYNC_STEPS, setAsideJournal: !req.resume, onProgress: opts.onProgress },
    (run) => runLocked(req, jobId, started, opts, run),
  );
}

/** The steps of a sync into a NAS unit, in order ("send SYSTEM" for each system). */
export const NAS_SYNC_STEPS = ['prepare-target', 'guard-lock', 'send', 'write-manifest'] as const;

async function runLocked(req: ZfsNasSyncRequest, jobId: string, started: number, opts: ZfsNasSyncOptions, run: JobRun<NasSyncJournalRecord>): Promise<ZfsNasSyncResult> {
  const journal = run.journal;
  const records = run.records();
  let target = records.find((r): r is NasTargetRecord => r.type === 'nas-target');
  const job = records.find((r): r is JobRecord => r.type === 'job');
  if (req.resume && !target) {
    throw new AppError('JOB_STATE', `There is no interrupted NAS sync of ticket ${req.ticketId} to resume on this bench; start a new sync.`, { step: run.step });
  }
  // A resume continues the selection it started with (the lock may have moved since).
  const systems: ZfsSyncSystem[] = req.resume && job ? job.systems : req.systems;
  const nas: NasHost | undefined = req.nas ?? target?.nas;
  const total = systems.reduce((s, x) => s + (x.estimatedBytes ?? 0), 0);
  const meter = run.meter;
  meter.setTotal(total);
  let resumed = false;
  try {
    // --- prepare-target
    if (!nas) throw new AppError('BAD_INPUT', 'Name the NAS unit (host, key and known-hosts file) to sync into.', { step: run.step });
    const { hostname } = await probeNas(nas);
    if (target) {
      resumed = true;
      journal.append({ type: 'resumed' });
      if (!(await exists(nas, target.dataset))) {
        throw new AppError('TARGET_GONE', `The unit ${target.dataset} is no longer on the NAS ${nas.host}.`, { step: run.step, hint: 'Run a new sync of the ticket (without --resume).' });
      }
      if (req.nas) target = { ...target, nas: req.nas };
    } else {
      const pool = req.nasPool;
      if (!pool) throw new AppError('BAD_INPUT', 'Name the NAS pool the unit goes into.', { step: run.step });
      const dataset = nasUnitDataset(pool, req.ticketId);
      journal.append({ type: 'job', jobId, ticketId: req.ticketId, devices: [], systems, direction: req.direction, source: req.source, applianceSerial: req.applianceSerial, startedAt: new Date().toISOString() });
      if (!(await exists(nas, pool))) {
        throw new AppError('ZFS_NO_POOL', `The NAS ${hostname} has no pool ${pool}.`, { step: run.step, hint: 'List its pools with "roundtrip nas list" and name one of them.' });
      }
      if (await exists(nas, dataset)) {
        const props = await nasProps(nas, dataset, ['roundtrip:unit', 'roundtrip:ticket']);
        if (props['roundtrip:unit'] !== 'yes' || props['roundtrip:ticket'] !== req.ticketId) {
          throw new AppError('ZFS_EXISTS', `The NAS already has a dataset ${dataset} that is not this ticket's unit; nothing was changed.`, { step: run.step, hint: 'Choose another pool, or remove that dataset on the NAS after checking what it is.' });
        }
        // R9: a new sync of the same ticket erases what an earlier run wrote.
        await retryBusy(() => runOnNas(nas, ['zfs', 'destroy', '-r', dataset], `erase the earlier unit ${dataset}`));
      }
      const unitId = randomUUID();
      const props = { 'roundtrip:unit': 'yes', 'roundtrip:unit-id': unitId, 'roundtrip:ticket': req.ticketId, 'roundtrip:label': req.ticketId };
      await runOnNas(nas, ['zfs', 'create', ...Object.entries(props).flatMap(([k, v]) => ['-o', `${k}=${v}`]), dataset], `create the unit ${dataset}`);
      target = { type: 'nas-target', nas, pool, dataset, unitId, poolGuid: await nasPoolGuid(nas, pool), hostname };
      journal.append(target);
    }
    const dataset = target.dataset;
    const manifestPath = await manifestPathOf(nas, dataset, run.step);
    await opts.hooks?.afterTarget?.(dataset);
    const free = num((await nasProps(nas, dataset, ['available'], true)).available) ?? 0;
    const proven = records.filter((r): r is PointRecord => r.type === 'point');
    const stillToSend = total - proven.reduce((s, p) => s + p.bytes, 0);
    if (stillToSend > free) {
      throw new AppError('TARGET_FULL', `The NAS unit has ${(free / 1e9).toFixed(2)} GB free but this selection needs about ${(stillToSend / 1e9).toFixed(2)} GB.`, {
        step: run.step,
        hint: 'Free space on the NAS, choose another pool, or choose fewer points. Nothing was sent.',
      });
    }

    // --- guard-lock
    run.enter('guard-lock');
    await guardLockPoints(req.ticketId, systems, (r) => journal.append(r));

    // --- send, system by system, point by point
    let bytes = 0;
    const sendStarted = Date.now();
    let sent = 0;
    let skipped = 0;
    const perSystem: ZfsNasSyncResult['systems'] = [];
    for (const s of systems) {
      run.enter(`send ${s.system}`, s.system, s.estimatedBytes ?? 0);
      const seq = s.base ? [s.base, ...s.points] : [...s.points];
      const unitDs = assertDatasetName(`${dataset}/${s.system}`);
      const there = await exists(nas, unitDs);
      const onUnit = there ? await nasSnapshots(nas, unitDs) : [];
      const mine = proven.filter((p) => p.system === s.system);
      let next = 0;
      for (; next < seq.length; next++) {
        const rec = mine.findLast((p) => p.point === seq[next]);
        const u = onUnit.find((x) => x.snap === seq[next]);
        if (!rec || !u || u.guid !== rec.guid) break;
      }
      skipped += next;
      // Anything on the unit past the last proven point was not journaled: it goes, and is sent again.
      if (there && next === 0) await retryBusy(() => runOnNas(nas, ['zfs', 'destroy', '-r', unitDs], `remove the unproven ${unitDs}`));
      else if (onUnit.length > next) await retryBusy(() => runOnNas(nas, ['zfs', 'rollback', '-r', `${unitDs}@${seq[next - 1]}`], `roll ${unitDs} back to its last proven point`));
      const sourceSnaps = new Map((await listSnapshots(s.sourceDataset)).map((x) => [x.snap, x]));
      let sysBytes = 0;
      for (let i = next; i < seq.length; i++) {
        if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The sync was cancelled.', { step: run.step });
        const src = pointStillOnSource(sourceSnaps, s.system, seq[i], run.step);
        meter.setStep(run.step, `${s.system}@${seq[i]}`);
        const from = i === 0 ? null : seq[i - 1];
        const r = await sendPointToNas(`${s.sourceDataset}@${seq[i]}`, from, nas, unitDs, { onBytes: (n) => meter.add(n), signal: opts.signal, step: run.step });
        const landed = await nasGuid(nas, `${unitDs}@${seq[i]}`);
        if (landed !== src.guid) {
          throw new AppError('VERIFY_MISMATCH', `Point ${seq[i]} of ${s.system} did not arrive on the NAS unit as it is on the source (GUID ${landed ?? 'missing'}, source ${src.guid}).`, {
            step: run.step,
            data: { system: s.system, point: seq[i] },
          });
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

    // --- write-manifest
    run.enter('write-manifest');
    const mSystems = manifestSystems(systems, proven, dataset);
    const manifest = sealManifest({
      format: 'roundtrip-manifest',
      version: 1,
      layout: 'zfs',
      content: 'datasets',
      ticketId: req.ticketId,
      applianceSerial: job?.applianceSerial ?? req.applianceSerial,
      direction: req.direction,
      unitId: target.unitId,
      pool: { name: target.pool, guid: target.poolGuid },
      drives: [],
      nas: { dataset, hostname: target.hostname },
      source: job?.source ?? req.source,
      systems: mSystems,
      tool: TOOL,
      startedAt: job?.startedAt ?? new Date(started).toISOString(),
      endedAt: new Date().toISOString(),
    });
    await writeNasFile(nas, manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    // Read back what the NAS holds now: the unit is only finished when its manifest is whole there.
    const back = await readNasFile(nas, manifestPath);
    if (back === null || parseManifest(back).checksum !== manifest.checksum) {
      throw new AppError('VERIFY_MISMATCH', `The manifest written to ${manifestPath} on the NAS does not read back as written.`, { step: run.step });
    }
    await runOnNas(nas, ['zfs', 'set', `${MANIFEST_SHA_PROP}=${manifest.checksum}`, dataset], `record the manifest checksum on ${dataset}`);
    journal.append({ type: 'manifest', checksum: manifest.checksum });
    journal.append({ type: 'done' });
    recordBenchRate(bytes, Date.now() - sendStarted);
    logLine('job', { jobId, op: 'zfs nas sync done', nas: nas.host, dataset, bytes, sent, skipped });
    return {
      jobId,
      resumed,
      nas: { host: nas.host, port: nas.port ?? 22, hostname: target.hostname },
      pool: target.pool,
      dataset,
      unitId: target.unitId,
      bytes,
      pointsSent: sent,
      pointsSkipped: skipped,
      systems: perSystem,
      manifest,
      manifestPath,
      tookMs: Date.now() - started,
    };
  } catch (e) {
    const err = toAppError(e);
    // A NAS unit's own hint where it has one (the connection, the remote pool), then as every job ends.
    throw new AppError(err.code, err.message, { detail: err.detail, hint: nasHint(err.code) ?? err.hint, data: err.data, step: err.step ?? run.step });
  }
}

function nasHint(code: string): string | undefined {
  switch (code) {
    case 'NAS_UNREACHABLE':
      return 'Check the NAS unit\'s power, network and address, then run the sync again with --resume: proven points are not sent again.';
    case 'TARGET_FULL':
      return 'The NAS pool is too small for this selection: free space on it, choose another pool, or choose fewer points. Nothing on the source was changed.';
    case 'TARGET_GONE':
      return 'Check the NAS unit, then run the sync again with --resume.';
    default:
      return hintFor(code);
  }
}

/** One point into the NAS: `zfs send [-i from] src@pt | measure | ssh NAS zfs receive [-F] unit/system`. */
async function sendPointToNas(
  snapshot: string,
  from: string | null,
  nas: NasHost,
  unitDataset: string,
  opts: { onBytes?: (n: number) => void; signal?: AbortSignal; step: string },
): Promise<SentPoint> {
  assertSnapshotName(snapshot);
  assertDatasetName(unitDataset);
  // -F only for increments: the unit is ours, and a mount may have touched its newest point.
  return pipePointInto(snapshot, from, () => receiveOverSsh({ nas, dataset: unitDataset, force: from !== null, signal: opts.signal }), {
    ...opts,
    hint: (e) => nasHint(e.code) ?? e.hint,
    broken: (detail) => new AppError('NAS_UNREACHABLE', 'The stream to the NAS broke off.', { detail }),
  });
}

// --- small reads on the NAS

async function exists(nas: NasHost, name: string): Promise<boolean> {
  const r = await runOnNas(nas, ['zfs', 'get', '-H', '-o', 'name', 'type', name], `check ${name}`, { okCodes: [1] });
  return r.exitCode === 0 && r.stdout.trim() === name;
}

async function nasProps(nas: NasHost, name: string, props: string[], exact = false): Promise<Record<string, string>> {
  const r = await runOnNas(nas, ['zfs', 'get', exact ? '-Hp' : '-H', '-o', 'name,property,value', props.join(','), name], `read ${props.join(', ')} of ${name}`);
  return groupRows(parseGetRows(r.stdout)).get(name) ?? {};
}

async function nasGuid(nas: NasHost, snapshot: string): Promise<string | null> {
  const r = await runOnNas(nas, ['zfs', 'get', '-Hp', '-o', 'value', 'guid', snapshot], `read the GUID of ${snapshot}`, { okCodes: [1] });
  return r.exitCode === 0 ? r.stdout.trim() || null : null;
}

/** The points of a dataset on the NAS with their exact GUIDs. */
export async function nasSnapshots(nas: NasHost, dataset: string): Promise<Array<{ snap: string; guid: string; creation: number }>> {
  assertDatasetName(dataset);
  const r = await runOnNas(nas, ['zfs', 'get', '-Hp', '-d', '1', '-o', 'name,property,value', 'guid,creation', dataset], `list the points of ${dataset}`);
  const out: Array<{ snap: string; guid: string; creation: number }> = [];
  for (const [name, p] of groupRows(parseGetRows(r.stdout))) {
    if (!name.startsWith(`${dataset}@`)) continue;
    out.push({ snap: name.slice(dataset.length + 1), guid: p.guid, creation: num(p.creation) ?? 0 });
  }
  return out.sort((a, b) => a.creation - b.creation);
}

async function nasPoolGuid(nas: NasHost, pool: string): Promise<string | null> {
  // zfs-fuse's `zpool get` has no -H: the value is the third column of the pool's row.
  const r = await runOnNas(nas, ['zpool', 'get', 'guid', pool], `read the GUID of pool ${pool}`, { okCodes: [1, 2] });
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${pool} `) || l.startsWith(`${pool}\t`));
  return line?.trim().split(/\s+/)[2] ?? null;
}

/** Where the unit's manifest lives on the NAS: a file in the unit dataset's mountpoint. */
export async function manifestPathOf(nas: NasHost, dataset: string, step?: string): Promise<string> {
  let p = await nasProps(nas, dataset, ['mountpoint', 'mounted']);
  if (p.mountpoint?.startsWith('/') && p.mounted !== 'yes') {
    await runOnNas(nas, ['zfs', 'mount', dataset], `mount ${dataset}`, { okCodes: [1] });
    p = await nasProps(nas, dataset, ['mountpoint', 'mounted']);
  }
  if (!p.mountpoint?.startsWith('/') || p.mounted !== 'yes') {
    throw new AppError('BAD_INPUT', `The unit ${dataset} on the NAS is not mounted (mountpoint ${p.mountpoint ?? '?'}), so its manifest cannot be kept next to it.`, {
      step,
      hint: 'Give the NAS pool a mountpoint (zfs set mountpoint=/PATH POOL on the NAS), then sync again.',
    });
  }
  return `${p.mountpoint.replace(/\/+$/, '')}/${NAS_MANIFEST_FILE}`;
}

/** The unit's manifest, read from the NAS alone, checked against itself and the dataset's property. */
export async function readNasManifest(nas: NasHost, dataset: string): Promise<{ manifest: Manifest; path: string }> {
  assertDatasetName(dataset);
  if (!(await exists(nas, dataset))) throw new AppError('ZFS_NO_DATASET', `There is no unit ${dataset} on the NAS ${nas.host}.`);
  const path = await manifestPathOf(nas, dataset);
  const text = await readNasFile(nas, path);
  if (text === null) throw new AppError('MANIFEST_INVALID', `${dataset} on the NAS holds no manifest: no sync finished on this unit, so there is nothing to verify.`);
  const manifest = parseManifest(text);
  const recorded = (await nasProps(nas, dataset, [MANIFEST_SHA_PROP]))[MANIFEST_SHA_PROP];
  if (recorded !== manifest.checksum) {
    throw new AppError('MANIFEST_INVALID', `The manifest file of ${dataset} is not the one the sync recorded on the dataset (checksum ${recorded ?? 'missing'}).`, {
      hint: 'Do not merge this unit; verify it against the source or sync it again.',
    });
  }
  return { manifest, path };
}

