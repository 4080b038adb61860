// The steps of a ZFS sync into a NAS unit, as the job runner calls them (job-steps.ts):
//   prepare-target → guard-lock → send SYSTEM (one point at a time) → write-manifest
// and the state they pass along. Every point is received through `ssh NAS zfs receive`, proven by
// its GUID on the NAS and journaled before the next starts.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../api/errors.ts';
import { sendChain } from './send-chain.ts';
import { probeNas, readNasFile, receiveOverSsh, runOnNas, writeNasFile, type NasHost } from '../../drives/nas.ts';
import { retryBusy } from '../../system/zfs/pool.ts';
import { assertDatasetName, assertSnapshotName, listSnapshots } from '../../system/zfs/index.ts';
import { num } from '../../system/zfs/parse.ts';
import type { JobRun } from '../job-run.ts';
import { eachStep, step, stepNames, type JobPipeline } from '../job-steps.ts';
import { parseManifest, sealManifest, TOOL, type Manifest } from '../manifest.ts';
import { hintFor, pipePointInto, type SentPoint } from './send-point.ts';
import { guardLockPoints } from './guards.ts';
import { chainOf, manifestSystems } from './sync-steps.ts';
import { MANIFEST_SHA_PROP, manifestPathOf, nasExists, nasGuid, nasPoolGuid, nasProps, nasSnapshots, nasUnitDataset } from './nas-unit.ts';
import type { PointRecord, SyncJournalRecord, ZfsSyncSystem } from './sync-types.ts';
import type { NasSyncJournalRecord, NasTargetRecord, ZfsNasSyncOptions, ZfsNasSyncRequest, ZfsNasSyncResult } from './nas-sync-types.ts';

type JobRecord = Extract<SyncJournalRecord, { type: 'job' }>;

/** What the steps of one NAS sync pass along. */
export interface NasSyncState {
  readonly req: ZfsNasSyncRequest;
  readonly jobId: string;
  readonly started: number;
  readonly opts: ZfsNasSyncOptions;
  readonly run: JobRun<NasSyncJournalRecord>;
  /** The first run's job record (a resume's selection and source are its). */
  readonly job?: JobRecord;
  /** The selection: a resume continues the one it started with (the lock may have moved since). */
  readonly systems: ZfsSyncSystem[];
  /** The NAS: the request's, or on a resume the journal's. */
  readonly nas?: NasHost;
  readonly total: number;
  target?: NasTargetRecord;
  manifestPath?: string;
  resumed: boolean;
  /** Every proven point: the journal's, then each one this run sends. */
  proven: PointRecord[];
  sendStarted: number;
  bytes: number;
  sent: number;
  skipped: number;
  perSystem: ZfsNasSyncResult['systems'];
  manifest?: Manifest;
}

export const NAS_SYNC: JobPipeline<NasSyncState> = {
  steps: [
    step('prepare-target', prepareNasTarget),
    step('guard-lock', (s) => guardLockPoints(s.req.ticketId, s.systems, (r) => s.run.append(r)).then(() => undefined)),
    eachStep('send', {
      items: (s) => s.systems,
      label: (sys) => ({ item: sys.system, bytes: sys.estimatedBytes ?? 0 }),
      around: (s, items) => {
        s.sendStarted = Date.now();
        return items();
      },
      work: sendSystemToNas,
    }),
    step('write-manifest', writeNasManifest),
  ],
  signal: (s) => s.opts.signal,
  cancelled: 'The sync was cancelled.',
};

/** The steps of a sync into a NAS unit, in order ("send SYSTEM" for each system). */
export const NAS_SYNC_STEPS = stepNames(NAS_SYNC);

export function nasSyncState(req: ZfsNasSyncRequest, jobId: string, started: number, opts: ZfsNasSyncOptions, run: JobRun<NasSyncJournalRecord>): NasSyncState {
  const records = run.records();
  const target = records.find((r): r is NasTargetRecord => r.type === 'nas-target');
  const job = records.find((r): r is JobRecord => r.type === 'job');
  if (req.resume && !target) {
    throw new AppError('JOB_STATE', `There is no interrupted NAS sync of ticket ${req.ticketId} to resume on this bench; start a new sync.`, { step: run.step });
  }
  const systems = req.resume && job ? job.systems : req.systems;
  return {
    req, jobId, started, opts, run, job, systems, target,
    nas: req.nas ?? target?.nas,
    total: systems.reduce((n, x) => n + (x.estimatedBytes ?? 0), 0),
    resumed: false,
    proven: records.filter((r): r is PointRecord => r.type === 'point'),
    sendStarted: Date.now(),
    bytes: 0,
    sent: 0,
    skipped: 0,
    perSystem: [],
  };
}

/** The unit dataset: found again for a resume, else made afresh (R9: an earlier one of the ticket goes); then its space is checked. */
async function prepareNasTarget(s: NasSyncState): Promise<void> {
  const { req, run, nas } = s;
  if (!nas) throw new AppError('BAD_INPUT', 'Name the NAS unit (host, key and known-hosts file) to sync into.', { step: run.step });
  const { hostname } = await probeNas(nas);
  let target = s.target;
  if (target) {
    s.resumed = true;
    run.append({ type: 'resumed' });
    if (!(await nasExists(nas, target.dataset))) {
      throw new AppError('TARGET_GONE', `The unit ${target.dataset} is no longer on the NAS ${nas.host}.`, { step: run.step, hint: 'Run a new sync of the ticket (without --resume).' });
    }
    if (req.nas) target = { ...target, nas: req.nas };
  } else {
    const pool = req.nasPool;
    if (!pool) throw new AppError('BAD_INPUT', 'Name the NAS pool the unit goes into.', { step: run.step });
    const dataset = nasUnitDataset(pool, req.ticketId);
    run.append({ type: 'job', jobId: s.jobId, ticketId: req.ticketId, devices: [], systems: s.systems, direction: req.direction, source: req.source, applianceSerial: req.applianceSerial, startedAt: new Date().toISOString() });
    if (!(await nasExists(nas, pool))) {
      throw new AppError('ZFS_NO_POOL', `The NAS ${hostname} has no pool ${pool}.`, { step: run.step, hint: 'List its pools with "roundtrip nas list" and name one of them.' });
    }
    if (await nasExists(nas, dataset)) {
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
    run.append(target);
  }
  s.target = target;
  s.manifestPath = await manifestPathOf(nas, target.dataset, run.step);
  await s.opts.hooks?.afterTarget?.(target.dataset);
  const free = num((await nasProps(nas, target.dataset, ['available'], true)).available) ?? 0;
  const stillToSend = s.total - s.proven.reduce((n, p) => n + p.bytes, 0);
  if (stillToSend > free) {
    throw new AppError('TARGET_FULL', `The NAS unit has ${(free / 1e9).toFixed(2)} GB free but this selection needs about ${(stillToSend / 1e9).toFixed(2)} GB.`, {
      step: run.step,
      hint: 'Free space on the NAS, choose another pool, or choose fewer points. Nothing was sent.',
    });
  }
}

/** One system's points, oldest first, from the first one not proven on the NAS unit. */
async function sendSystemToNas(s: NasSyncState, sys: ZfsSyncSystem, checkpoint: () => void): Promise<void> {
  const { run } = s;
  const nas = s.nas!;
  const seq = chainOf(sys);
  const unitDs = assertDatasetName(`${s.target!.dataset}/${sys.system}`);
  const there = await nasExists(nas, unitDs);
  const onUnit = there ? await nasSnapshots(nas, unitDs) : [];
  const mine = s.proven.filter((p) => p.system === sys.system);
  let next = 0;
  for (; next < seq.length; next++) {
    const rec = mine.findLast((p) => p.point === seq[next]);
    const u = onUnit.find((x) => x.snap === seq[next]);
    if (!rec || !u || u.guid !== rec.guid) break;
  }
  s.skipped += next;
  // Anything on the unit past the last proven point was not journaled: it goes, and is sent again.
  if (there && next === 0) await retryBusy(() => runOnNas(nas, ['zfs', 'destroy', '-r', unitDs], `remove the unproven ${unitDs}`));
  else if (onUnit.length > next) await retryBusy(() => runOnNas(nas, ['zfs', 'rollback', '-r', `${unitDs}@${seq[next - 1]}`], `roll ${unitDs} back to its last proven point`));
  const sourceSnaps = new Map((await listSnapshots(sys.sourceDataset)).map((x) => [x.snap, x]));
  const sysBytes = await sendChain(s, sys, seq, next, sourceSnaps, {
    where: 'the NAS unit',
    send: (snapshot, from) => sendPointToNas(snapshot, from, nas, unitDs, { onBytes: (n) => run.meter.add(n), signal: s.opts.signal, step: run.step }),
    landedGuid: (point) => nasGuid(nas, `${unitDs}@${point}`),
  }, checkpoint);
  s.perSystem.push({ system: sys.system, points: seq.length, bytesSent: sysBytes });
}

/** The sealed manifest as a file beside the unit, read back, its checksum on the dataset. */
async function writeNasManifest(s: NasSyncState): Promise<void> {
  const { req, run, job } = s;
  const nas = s.nas!;
  const target = s.target!;
  const manifestPath = s.manifestPath!;
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
    nas: { dataset: target.dataset, hostname: target.hostname },
    source: job?.source ?? req.source,
    systems: manifestSystems(s.systems, s.proven, target.dataset),
    tool: TOOL,
    startedAt: job?.startedAt ?? new Date(s.started).toISOString(),
    endedAt: new Date().toISOString(),
  });
  await writeNasFile(nas, manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  // Read back what the NAS holds now: the unit is only finished when its manifest is whole there.
  const back = await readNasFile(nas, manifestPath);
  if (back === null || parseManifest(back).checksum !== manifest.checksum) {
    throw new AppError('VERIFY_MISMATCH', `The manifest written to ${manifestPath} on the NAS does not read back as written.`, { step: run.step });
  }
  await runOnNas(nas, ['zfs', 'set', `${MANIFEST_SHA_PROP}=${manifest.checksum}`, target.dataset], `record the manifest checksum on ${target.dataset}`);
  run.append({ type: 'manifest', checksum: manifest.checksum });
  run.append({ type: 'done' });
  s.manifest = manifest;
}

/** A NAS unit's own hint where it has one (the connection, the remote pool), else every job's. */
export function nasHint(code: string): string | undefined {
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
