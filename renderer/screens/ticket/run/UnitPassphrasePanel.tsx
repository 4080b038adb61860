// The unit passphrase of a sealed sync (issue 21), shown on the Run step while the engine holds it:
// large enough to read over the phone, selectable, with a copy button, until the technician says it
// was passed on to the support ticket. The engine then forgets it; it is never stored, so the page
// keeps it only as the engine's answer in this component's state.
import { useEffect, useRef, useState } from 'react';
import type { JobView } from '../../../../electron/api/schemas/jobs.ts';
import { engine } from '../../../app/engine.ts';
import { actor } from '../../../app/session.ts';
import { useAction, useCall } from '../../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../../components/Notice.tsx';
import { paramsOf } from './use-ticket-job.ts';

/** A sealed sync: chosen so when it started (a resume keeps the same parameters), or its result says so. */
export function isSealedSync(job: JobView): boolean {
  return paramsOf(job).protection === 'sealed' || (job.result as { pipeline?: string } | undefined)?.pipeline === 'sealed';
}

type CopyState = 'idle' | 'copied' | 'selected';

export function UnitPassphrasePanel({ job }: { job: JobView }) {
  const sealed = isSealedSync(job);
  // The engine makes the passphrase a moment after the job starts, before it names the sealed
  // pipeline's steps: asked again when the steps or the state change, and every few seconds while
  // the job runs and the engine holds none yet.
  const view = useCall('units.sealedPassphrase', sealed ? { jobId: job.id } : null, [job.id, sealed, job.state, job.steps.join(',')]);
  const waiting = sealed && job.state === 'running' && !!view.data && !view.data.passphrase && !view.data.passedOn;
  // Shown, it is asked again too: once passed on in another window, it leaves this one as well.
  const showing = sealed && !!view.data?.passphrase;
  useEffect(() => {
    if (!waiting && !showing) return;
    const t = setInterval(view.reload, 2000);
    return () => clearInterval(t);
  }, [waiting, showing, view.reload]);
  const [copy, setCopy] = useState<CopyState>('idle');
  const text = useRef<HTMLElement>(null);
  const passedOn = useAction(async () => {
    await engine.call('units.passphrasePassedOn', { jobId: job.id, actor: actor() });
    setCopy('idle');
    view.reload();
  });
  if (!sealed) return null;
  const v = view.data;
  if (!v) return <ErrorNotice error={view.error} title="The unit passphrase cannot be shown" />;
  if (v.passedOn) {
    return (
      <Notice kind="ok" title="Unit passphrase passed on">
        <span className="user-text">{v.sentence}</span>
      </Notice>
    );
  }
  if (!v.passphrase && waiting) return <p className="muted">The engine is making the unit passphrase…</p>;
  if (!v.passphrase) {
    return (
      <Notice kind="warn" title="The unit passphrase is no longer shown">
        <span className="user-text">{v.sentence}</span>
      </Notice>
    );
  }
  const passphrase = v.passphrase;

  // Where the page may not use the clipboard (an insecure address, a refused permission), the
  // passphrase is selected instead, for Ctrl+C.
  const copyIt = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(passphrase);
      setCopy('copied');
    } catch {
      const sel = window.getSelection();
      if (sel && text.current) sel.selectAllChildren(text.current);
      setCopy('selected');
    }
  };

  return (
    <section className="card passphrase-panel" aria-labelledby="unit-passphrase-h">
      <h2 id="unit-passphrase-h">
        <span aria-hidden="true">⚠ </span>Unit passphrase
      </h2>
      <p className="user-text">{v.sentence}</p>
      <code ref={text} className="passphrase" aria-describedby="unit-passphrase-h">
        {passphrase}
      </code>
      <div className="row">
        <button type="button" onClick={() => void copyIt()}>
          Copy
        </button>
        <span role="status" aria-live="polite">
          {copy === 'copied' ? '✔ Copied to the clipboard.' : copy === 'selected' ? 'The clipboard is not available here: the passphrase is selected, press Ctrl+C to copy it.' : ''}
        </span>
      </div>
      <ErrorNotice error={passedOn.error} title="The engine did not record it" />
      <div className="row" style={{ marginTop: '0.75rem' }}>
        <button type="button" className="primary" onClick={() => void passedOn.run()} disabled={passedOn.busy}>
          I have passed it on
        </button>
        <span className="muted">It is then no longer shown, here or anywhere.</span>
      </div>
    </section>
  );
}
