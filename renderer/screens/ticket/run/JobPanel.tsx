// One job as it runs (R12): its steps with the current one marked, a progress bar with bytes,
// rate and ETA, the bytes per system, the live log; cancel (after a confirmation) and resume.
import { useState } from 'react';
import type { JobView } from '../../../../electron/api/schemas/jobs.ts';
import { engine } from '../../../app/engine.ts';
import { bytes, duration, rate, when } from '../../../app/format.ts';
import { useAction } from '../../../app/use-engine.ts';
import { Badge, type Tone } from '../../../components/Badge.tsx';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';
import { ErrorNotice } from '../../../components/Notice.tsx';
import { ResumePassphrase } from './ResumePassphrase.tsx';
import type { LiveJob } from './use-ticket-job.ts';

const STATE_LOOK: Record<JobView['state'], { tone: Tone; icon: string; word: string }> = {
  running: { tone: 'info', icon: '▶', word: 'running' },
  cancelling: { tone: 'warn', icon: '■', word: 'cancelling' },
  done: { tone: 'ok', icon: '✔', word: 'done' },
  failed: { tone: 'danger', icon: '✖', word: 'failed' },
  cancelled: { tone: 'warn', icon: '■', word: 'cancelled' },
  interrupted: { tone: 'warn', icon: '‖', word: 'interrupted: the engine stopped while it ran' },
};

export function JobStateBadge({ state }: { state: JobView['state'] }) {
  const l = STATE_LOOK[state];
  return (
    <Badge tone={l.tone} icon={l.icon}>
      {l.word}
    </Badge>
  );
}

/** The declared step a progress step belongs to ("send WIN-FS01" is step "send"). */
function stepIndex(steps: string[], step: string | undefined): number {
  if (!step) return -1;
  return steps.findIndex((s) => step === s || step.startsWith(`${s} `));
}

/**
 * The bytes per system: a sync's items are "SYSTEM" (the system's step, its estimate as total) and
 * "SYSTEM@POINT" (one per stream, its bytes as done). A system's done is its streams' bytes, its
 * total its estimate (or its streams' bytes when there is none, or when they went past it).
 */
export function perSystem(items: LiveJob['items']): Array<{ system: string; done: number; total: number; streams: number }> {
  const m = new Map<string, { own?: { done: number; total: number }; points: Array<{ done: number; total: number }> }>();
  for (const [item, b] of Object.entries(items)) {
    const at = item.indexOf('@');
    const system = at < 0 ? item : item.slice(0, at);
    const cur = m.get(system) ?? { points: [] };
    if (at < 0) cur.own = b;
    else cur.points.push(b);
    m.set(system, cur);
  }
  return [...m.entries()].map(([system, { own, points }]) => {
    const done = points.length ? points.reduce((n, p) => n + p.done, 0) : (own?.done ?? 0);
    const total = Math.max(own?.total ?? 0, points.length ? points.reduce((n, p) => n + p.total, 0) : 0, done);
    return { system, done, total, streams: points.length };
  });
}

/**
 * `offerResume: false`: the screen's own form runs the job again instead (an unseal keeps the images
 * already whole, and may be given another folder or passphrase).
 */
export function JobPanel({ live, what, systems = false, offerResume = true }: { live: LiveJob; what: string; systems?: boolean; offerResume?: boolean }) {
  const { job, progress, log, items } = live;
  const [asking, setAsking] = useState(false);
  const cancel = useAction(async () => job && engine.call('jobs.cancel', { jobId: job.id }));
  const resume = useAction(async (unitPassphrase?: string) => job && engine.call('jobs.resume', { jobId: job.id, ...(unitPassphrase ? { unitPassphrase } : {}) }));
  // A sealed sync resumed in a new engine needs its unit passphrase again (it is never kept).
  const needsUnitPassphrase = resume.error?.code === 'UNIT_PASSPHRASE_NEEDED' || job?.error?.code === 'UNIT_PASSPHRASE_NEEDED' || job?.error?.code === 'UNIT_PASSPHRASE_WRONG';
  if (!job) return null;
  const active = job.state === 'running' || job.state === 'cancelling';
  const resumable = offerResume && !active && job.resumable && job.state !== 'done';
  const cur = stepIndex(job.steps, progress?.step);
  const pct = progress && progress.bytesTotal > 0 ? Math.min(100, (progress.bytesDone / progress.bytesTotal) * 100) : job.state === 'done' ? 100 : 0;
  return (
    <div className="card">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3 style={{ margin: 0 }}>{what}</h3>
        <JobStateBadge state={job.state} />
      </div>
      <p className="muted" style={{ marginTop: '0.25rem' }}>
        {job.title} · started {when(job.startedAt)}
        {job.endedAt ? ` · ended ${when(job.endedAt)}` : ''}
      </p>
      <ol className="run-steps" aria-label="Steps of the job">
        {job.steps.map((s, i) => (
          <li key={s} aria-current={active && i === cur ? 'step' : undefined} className={i < cur || job.state === 'done' ? 'past' : undefined}>
            <span aria-hidden="true">{i < cur || job.state === 'done' ? '✓ ' : active && i === cur ? '▶ ' : ''}</span>
            {s}
            {active && i === cur ? <span className="sr-only"> (current step)</span> : null}
          </li>
        ))}
      </ol>
      <div style={{ margin: '0.9rem 0 0.4rem' }}>
        <div
          className="progress"
          role="progressbar"
          aria-label={`${what} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(pct)}
          aria-valuetext={`${Math.round(pct)} percent${progress?.step ? `, step ${progress.step}` : ''}`}
        >
          <div style={{ width: `${pct}%` }} />
        </div>
      </div>
      <div className="row muted" aria-live="off">
        <span>
          Step: <strong>{job.state === 'done' ? 'finished' : active ? (progress?.step ?? 'starting') : progress?.step ? `stopped in ${progress.step}` : 'stopped'}</strong>
          {active && progress?.item ? ` (${progress.item})` : ''}
        </span>
        {progress && progress.bytesTotal > 0 ? (
          <>
            <span>
              {bytes(progress.bytesDone)} of {bytes(progress.bytesTotal)} ({Math.round(pct)} %)
            </span>
            <span>{active ? rate(progress.rate) : `average ${rate(progress.averageRate)}`}</span>
          </>
        ) : null}
        <span>{active && progress?.etaSeconds != null ? `about ${duration(progress.etaSeconds)} left` : ''}</span>
      </div>
      {systems && Object.keys(items).length ? (
        <table className="data" aria-label="Per system" style={{ marginTop: '0.75rem' }}>
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col" className="num">
                Written
              </th>
            </tr>
          </thead>
          <tbody>
            {perSystem(items).map((b) => (
              <tr key={b.system}>
                <td className="mono user-text">{b.system}</td>
                <td className="num">
                  {bytes(b.done)} of {bytes(b.total)}
                  {b.streams ? <span className="muted"> ({b.streams} stream{b.streams === 1 ? '' : 's'})</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {job.error ? <ErrorNotice error={{ ...job.error, name: 'EngineError' } as never} title={`${what} ${job.state === 'cancelled' ? 'was cancelled' : 'failed'}${job.error.step ? ` in step ${job.error.step}` : ''}`} /> : null}
      <ErrorNotice error={cancel.error ?? resume.error} />
      <div className="row" style={{ margin: '0.75rem 0' }}>
        {active ? (
          <button type="button" onClick={() => setAsking(true)} disabled={job.state === 'cancelling' || cancel.busy}>
            Cancel…
          </button>
        ) : null}
        {resumable && !needsUnitPassphrase ? (
          <button type="button" className="primary" onClick={() => void resume.run()} disabled={resume.busy}>
            Resume
          </button>
        ) : null}
      </div>
      {resumable && needsUnitPassphrase ? <ResumePassphrase busy={resume.busy} onResume={(p) => void resume.run(p)} /> : null}
      <h3>Log</h3>
      <pre className="log" aria-label={`${what} log`} tabIndex={0}>
        {log.length ? log.map((l) => `${l.at.slice(11, 19)}  ${l.line}`).join('\n') : 'No log lines yet.'}
      </pre>
      <ConfirmDialog
        open={asking}
        title={`Cancel the ${what.toLowerCase()}?`}
        confirmLabel="Cancel it"
        cancelLabel="Keep it running"
        danger
        onClose={() => setAsking(false)}
        onConfirm={() => void cancel.run()}
      >
        <p>The engine stops the job cleanly at its next safe point. What it wrote so far stays on the drives; a resume or a new run continues or erases it.</p>
      </ConfirmDialog>
    </div>
  );
}
