// One section of the settings screen: a card with its heading, a form that saves only that
// section, the engine's refusal (its sentence and code) above the button and "Saved" once stored.
import type { FormEvent, ReactNode } from 'react';
import type { EngineError } from '../../api/client.ts';
import { fieldIssues } from '../../components/FieldErrors.tsx';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';

export interface SectionProps {
  id: string;
  title: string;
  intro?: ReactNode;
  saveLabel: string;
  busy: boolean;
  saved: boolean;
  error: EngineError | null;
  onSubmit(): void;
  children: ReactNode;
  /** Shown below the form (e.g. the SMTP test mail, which has its own button). */
  after?: ReactNode;
}

export function SettingsSection({ id, title, intro, saveLabel, busy, saved, error, onSubmit, children, after }: SectionProps) {
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro ? <div className="muted">{intro}</div> : null}
      <form onSubmit={submit} noValidate aria-label={title} className="stack">
        {children}
        {/* Per-field sentences are shown at their fields; the box says how many and the code. */}
        {error && fieldIssues(error).length ? (
          <Notice kind="error" title={`${title}: not saved`}>
            {fieldIssues(error).length === 1 ? 'One problem, shown at its field.' : `${fieldIssues(error).length} problems, shown at their fields.`}
            <span className="code">code {error.code}</span>
          </Notice>
        ) : (
          <ErrorNotice error={error} title={`${title}: not saved`} />
        )}
        {saved && !error ? <Notice kind="ok" title={`${title}: saved`} /> : null}
        <div className="row">
          <button type="submit" className="primary" disabled={busy} aria-busy={busy || undefined}>
            {busy ? 'Saving…' : saveLabel}
          </button>
        </div>
      </form>
      {after}
    </section>
  );
}
