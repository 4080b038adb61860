// What a kind of job declares: its steps (names a UI shows ahead of time), what it holds (drives,
// tickets: one job at a time on each), whether an interrupted run can be resumed, and its work.
// The registry owns everything around the work: id, state, events, cancel, the record on disk.
import type { JobKind, JobSpecParsed, JobView } from '../../api/schemas/jobs.ts';
import type { ProgressSnapshot } from '../../jobs/progress.ts';

export interface JobContext {
  /** The registry's id of this job. */
  jobId: string;
  signal: AbortSignal;
  onProgress(p: ProgressSnapshot): void;
  /** A line a technician reads, sent as a job.log event and kept with the job. */
  log(line: string): void;
  /** Names the steps once the job knows them (a sync learns its pipeline from the ticket). */
  declareSteps(steps: readonly string[]): void;
  /** Keeps what the job did around its work in its record (a sync: the appliance's local backups, R9). */
  annotate(fields: Partial<Pick<JobView, 'localBackups' | 'keptChecks'>>): void;
}

export type ParamsOf<K extends JobKind> = Extract<JobSpecParsed, { kind: K }>['params'];

export interface JobKindDef<K extends JobKind = JobKind> {
  kind: K;
  steps: readonly string[];
  title(p: ParamsOf<K>): string;
  holds(p: ParamsOf<K>): { drives: string[]; tickets: string[] };
  /** What a run after a kill does: continue from the journal, or start the work again. */
  resume: 'continue' | 'restart' | 'never';
  /** The parameters of the run that resumes an interrupted one (secrets given again). */
  resumeParams?(p: ParamsOf<K>): ParamsOf<K>;
  /** Refuses a resume that cannot run (a secret the job made and the engine forgot), before it starts. */
  checkResume?(p: ParamsOf<K>, jobId: string): void;
  /** The ticket whose record the job changes, for ticket.changed. */
  ticketOf?(p: ParamsOf<K>, result: unknown): string | undefined;
  run(p: ParamsOf<K>, ctx: JobContext): Promise<unknown>;
}
