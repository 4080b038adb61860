// The job registry: a long operation started through the API answers at once with its job; the
// engine runs it, holds its state, last progress and log, and publishes job.* events to every
// subscriber, so a client that goes away and comes back (a reloaded window) finds it as it is.
// At most one job holds a drive or a ticket; a second start is refused naming the holder. After
// the engine is killed, the next one lists the jobs that were running as interrupted, and
// `resume` continues them the way --resume does.
import { randomBytes } from 'node:crypto';
import { AppError, toAppError } from '../../api/errors.ts';
import { JobSpec, FINAL_JOB_STATES, type JobKind, type JobSpecParsed, type JobState, type JobView } from '../../api/schemas/jobs.ts';
import { redactSecrets, REDACTED } from '../../api/secrets.ts';
import { alive } from '../../drives/busy.ts';
import type { ProgressSnapshot } from '../../jobs/progress.ts';
import { logLine } from '../../system/log.ts';
import { publish } from '../events.ts';
import { loadJobKind } from '../kinds/index.ts';
import type { JobKindDef } from './job-kind.ts';
import { pruneJobRecords, readJobRecord, readJobRecords, writeJobRecord, type JobRecord } from './job-records.ts';
import { procStatFields } from '../../system/proc-stat.ts';

const LOG_LINES_KEPT = 200;
/** Progress events at most this often, besides every change of step or item. */
const PROGRESS_EVERY_MS = 100;

interface LiveJob {
  view: JobView;
  ac: AbortController;
  done: Promise<JobView>;
}

const isFinal = (s: JobState) => FINAL_JOB_STATES.includes(s);
const now = () => new Date().toISOString();

/** A process's start time in clock ticks since boot (/proc/PID/stat field 22), or null when it is gone. */
function processStart(pid: number): string | null {
  return procStatFields(pid)?.[19] ?? null;
}

function newJobId(kind: JobKind): string {
  return `${kind}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export class JobRegistry {
  private readonly live = new Map<string, LiveJob>();

  /** Every job this engine runs or ran, and the ones on disk (earlier engines, other engines). */
  list(filter: { state?: JobState } = {}): JobView[] {
    const byId = new Map<string, JobView>();
    for (const r of this.diskRecords()) byId.set(r.view.id, r.view);
    for (const j of this.live.values()) byId.set(j.view.id, j.view);
    return [...byId.values()].filter((v) => !filter.state || v.state === filter.state).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  get(jobId: string): JobView {
    const live = this.live.get(jobId);
    if (live) return live.view;
    return this.diskRecord(jobId).view;
  }

  /** Resolves with the job's view once it has ended (done, failed or cancelled). */
  async wait(jobId: string): Promise<JobView> {
    const live = this.live.get(jobId);
    return live ? live.done : this.get(jobId);
  }

  async start(spec: JobSpecParsed, opts: { id?: string; startedAt?: string } = {}): Promise<JobView> {
    const def = (await loadJobKind(spec.kind)) as JobKindDef;
    const holds = def.holds(spec.params as never);
    // Checked after the await: two starts (or resumes) of one job in the same moment run it once.
    const running = opts.id ? this.live.get(opts.id) : undefined;
    if (running && !isFinal(running.view.state)) throw new AppError('JOB_STATE', `Job ${opts.id} is already ${running.view.state}.`);
    this.refuseIfHeld(holds, opts.id);
    const id = opts.id ?? newJobId(spec.kind);
    const view: JobView = {
      id,
      kind: spec.kind,
      title: def.title(spec.params as never),
      state: 'running',
      steps: [...def.steps],
      params: (redactSecrets(JobSpec, spec) as { params: unknown }).params,
      holds,
      progress: null,
      error: null,
      resumable: def.resume !== 'never',
      startedAt: opts.startedAt ?? now(),
      endedAt: null,
      log: [],
    };
    const ac = new AbortController();
    const job: LiveJob = { view, ac, done: Promise.resolve(view) };
    this.live.set(id, job);
    this.setState(job, 'running');
    this.ownStart ??= processStart(process.pid);
    job.done = this.runJob(job, def, spec);
    return view;
  }

  cancel(jobId: string): JobView {
    const live = this.live.get(jobId);
    if (live) {
      if (!isFinal(live.view.state) && live.view.state !== 'cancelling') {
        this.setState(live, 'cancelling');
        live.ac.abort();
      }
      return live.view;
    }
    // An interrupted job is dismissed: it will not be resumed.
    const rec = this.diskRecord(jobId);
    if (rec.view.state === 'interrupted') {
      const view = { ...rec.view, state: 'cancelled' as const, endedAt: now() };
      writeJobRecord({ view, pid: rec.pid });
      publish('job.state', { jobId, state: view.state, error: null, job: view });
      return view;
    }
    if (!isFinal(rec.view.state)) throw new AppError('JOB_STATE', `Job ${jobId} runs in another engine (process ${rec.pid}); cancel it there.`);
    return rec.view;
  }

  /** Continues an interrupted job under its own id; the secrets it had are given again. */
  async resume(jobId: string, secrets: { passphrases?: Record<string, string>; passphrase?: string; unitPassphrase?: string }): Promise<JobView> {
    const live = this.live.get(jobId);
    if (live && !isFinal(live.view.state)) throw new AppError('JOB_STATE', `Job ${jobId} is ${live.view.state}; only an interrupted, failed or cancelled job can be resumed.`);
    const rec = live ? { view: live.view, pid: process.pid } : this.diskRecord(jobId);
    if (rec.view.state !== 'interrupted' && rec.view.state !== 'failed' && rec.view.state !== 'cancelled') {
      throw new AppError('JOB_STATE', `Job ${jobId} is ${rec.view.state}; only an interrupted, failed or cancelled job can be resumed.`);
    }
    const def = (await loadJobKind(rec.view.kind)) as JobKindDef;
    if (def.resume === 'never') throw new AppError('JOB_STATE', `A ${rec.view.kind} job cannot be resumed; start it again.`);
    const params: Record<string, unknown> = {};
    const wanted: string[] = [];
    for (const [k, v] of Object.entries(rec.view.params as Record<string, unknown>)) {
      if (v === REDACTED) wanted.push(k);
      else params[k] = v;
    }
    for (const k of wanted) {
      const given = secrets[k as keyof typeof secrets];
      if (given === undefined) {
        const what = k === 'passphrase' ? 'passphrase' : k === 'unitPassphrase' ? 'unit passphrase' : 'passphrases';
        throw new AppError(k === 'unitPassphrase' ? 'UNIT_PASSPHRASE_NEEDED' : 'PASSPHRASE_NEEDED', `Job ${jobId} needs its ${what} again to resume: ${k === 'passphrases' ? 'they are' : 'it is'} never kept.`);
      }
      params[k] = given;
    }
    // A sealed sync's passphrase was made by the job, not given: a resume may bring it (engine/kinds/sync.ts).
    if (secrets.unitPassphrase !== undefined && !wanted.includes('unitPassphrase') && rec.view.kind === 'sync') params.unitPassphrase = secrets.unitPassphrase;
    const again = JobSpec.safeParse({ kind: rec.view.kind, params });
    if (!again.success) throw new AppError('JOB_STATE', `Job ${jobId}'s record cannot be resumed (it no longer reads as a ${rec.view.kind} job); start it again.`);
    const parsed = again.data;
    const spec = { kind: parsed.kind, params: def.resumeParams ? def.resumeParams(parsed.params as never) : parsed.params } as JobSpecParsed;
    def.checkResume?.(spec.params as never, jobId);
    const view = await this.start(spec, { id: jobId });
    this.log(this.live.get(jobId)!, `Resumed after the job was ${rec.view.state}.`);
    return view;
  }

  private async runJob(job: LiveJob, def: JobKindDef, spec: JobSpecParsed): Promise<JobView> {
    let lastProgress = 0;
    let held: ProgressSnapshot | null = null;
    const ctx = {
      jobId: job.view.id,
      signal: job.ac.signal,
      log: (line: string) => this.log(job, line),
      declareSteps: (steps: readonly string[]) => {
        job.view.steps = [...steps];
        this.setState(job, job.view.state);
      },
      annotate: (fields: Partial<Pick<JobView, 'localBackups' | 'keptChecks'>>) => {
        Object.assign(job.view, fields);
        this.setState(job, job.view.state);
      },
      onProgress: (p: ProgressSnapshot) => {
        const prev = job.view.progress;
        const snap = { ...p, jobId: job.view.id };
        job.view.progress = snap;
        // Each new step is also a line of the job's log, so the log reads as what the job went through.
        if (!prev || prev.step !== snap.step) {
          this.log(job, snap.item && !snap.step.includes(snap.item) ? `${snap.step}: ${snap.item}` : snap.step);
          // The record keeps the step it got to: after a kill, the next engine shows where it stopped.
          this.persist(job);
        }
        const t = Date.now();
        if (prev && prev.step === snap.step && prev.item === snap.item && t - lastProgress < PROGRESS_EVERY_MS && snap.percent < 100) {
          held = snap;
          return;
        }
        // An item's last bytes, held back by the pace, go out before the next item's first: the
        // per-system figures would otherwise stop short for items quicker than the pace.
        if (held && (held.step !== snap.step || held.item !== snap.item)) publish('job.progress', held);
        held = null;
        lastProgress = t;
        publish('job.progress', snap);
      },
    };
    try {
      const result = await def.run(spec.params as never, ctx);
      job.view.result = result;
      this.setState(job, 'done');
      const ticket = def.ticketOf?.(spec.params as never, result);
      if (ticket) publish('ticket.changed', { ticketId: ticket, reason: `${spec.kind} done` });
    } catch (e) {
      const err = toAppError(e);
      logLine('error', { job: job.view.id, kind: spec.kind, code: err.code, message: err.message, detail: err.detail, step: err.step });
      job.view.error = err.toJSON();
      this.setState(job, err.code === 'CANCELLED' ? 'cancelled' : 'failed');
      const ticket = def.ticketOf?.(spec.params as never, undefined);
      if (ticket) publish('ticket.changed', { ticketId: ticket, reason: `${spec.kind} ${job.view.state}` });
    }
    return job.view;
  }

  private log(job: LiveJob, line: string): void {
    const entry = { at: now(), line };
    job.view.log.push(entry);
    if (job.view.log.length > LOG_LINES_KEPT) job.view.log.splice(0, job.view.log.length - LOG_LINES_KEPT);
    publish('job.log', { jobId: job.view.id, ...entry });
  }

  /** Cancels every job this engine runs (a host shutting down) and resolves once they have ended. */
  async cancelLive(): Promise<void> {
    const running = [...this.live.values()].filter((j) => !isFinal(j.view.state));
    for (const j of running) this.cancel(j.view.id);
    await Promise.allSettled(running.map((j) => j.done));
  }

  private ownStart: string | null = null;

  /** A job on disk by id, read alone (its engine dead: interrupted). */
  private diskRecord(jobId: string): JobRecord {
    const rec = readJobRecord(jobId);
    if (!rec) throw new AppError('JOB_NOT_FOUND', `There is no job ${jobId} on this bench.`);
    return this.withLiveness(rec);
  }

  /** A record that says running, whose engine is gone, is interrupted (and written so). */
  private withLiveness(r: JobRecord): JobRecord {
    if (isFinal(r.view.state) || r.view.state === 'interrupted' || this.engineAlive(r)) return r;
    const rec = { ...r, view: { ...r.view, state: 'interrupted' as const } };
    writeJobRecord(rec);
    return rec;
  }

  /** The engine of a record still runs: its pid is alive and is the same process (not a reused pid). */
  private engineAlive(r: JobRecord): boolean {
    if (r.pid === process.pid) return this.live.has(r.view.id);
    if (!alive(r.pid)) return false;
    return r.pidStart === undefined || processStart(r.pid) === r.pidStart;
  }

  private setState(job: LiveJob, state: JobState): void {
    job.view.state = state;
    if (isFinal(state)) job.view.endedAt = now();
    this.persist(job);
    publish('job.state', { jobId: job.view.id, state, error: job.view.error, job: job.view });
  }

  private persist(job: LiveJob): void {
    try {
      writeJobRecord({ view: job.view, pid: process.pid, pidStart: (this.ownStart ??= processStart(process.pid)) ?? undefined });
    } catch (e) {
      logLine('engine', { op: 'job record', job: job.view.id, failed: String(e) });
    }
  }

  /** The jobs on disk that this engine does not run; running ones whose engine died are interrupted. */
  private diskRecords(): JobRecord[] {
    const recs = readJobRecords()
      .filter((r) => !this.live.has(r.view.id))
      .map((r) => this.withLiveness(r));
    pruneJobRecords(recs, (r) => isFinal(r.view.state));
    return recs;
  }

  private refuseIfHeld(holds: JobView['holds'], exceptId?: string): void {
    const running = [
      ...[...this.live.values()].map((j) => j.view),
      ...this.diskRecords()
        .filter((r) => r.pid !== process.pid && this.engineAlive(r))
        .map((r) => r.view),
    ].filter((v) => v.id !== exceptId && !isFinal(v.state) && v.state !== 'interrupted');
    for (const v of running) {
      const drive = holds.drives.find((d) => v.holds.drives.includes(d));
      const ticket = holds.tickets.find((t) => v.holds.tickets.includes(t));
      if (drive || ticket) {
        throw new AppError('JOB_BUSY', `${drive ? `Drive ${drive}` : `Ticket ${ticket}`} is in use by job ${v.id} (${v.title}), which is ${v.state}. Wait for it to finish or cancel it first.`, {
          data: { holder: v.id, ...(drive ? { drive } : { ticket }) },
        });
      }
    }
  }
}

/** The engine's one registry. */
export const jobs = new JobRegistry();
