// A message box with an icon and a word for its kind (never colour alone). Engine errors show the
// engine's sentence and its code; a stack trace never reaches the screen.
import type { ReactNode } from 'react';
import type { EngineError } from '../api/client.ts';

const ICON = { error: '✖', warn: '⚠', info: 'ℹ', ok: '✔' } as const;
const WORD = { error: 'Error', warn: 'Warning', info: 'Note', ok: 'Done' } as const;

export function Notice({ kind, title, children }: { kind: keyof typeof ICON; title?: string; children?: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <span className="icon" aria-hidden="true">
        {ICON[kind]}
      </span>
      <div>
        <strong>{title ?? WORD[kind]}</strong>
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}

/** Only the first line of a message: a multi-line message from a tool is kept for the log. */
function sentence(message: string): string {
  return message.split('\n')[0];
}

export function ErrorNotice({ error, title }: { error: EngineError | null | undefined; title?: string }) {
  if (!error) return null;
  return (
    <Notice kind="error" title={title ?? 'The engine refused this'}>
      <span className="user-text">{sentence(error.message)}</span>
      {error.hint ? <span className="hint"> {error.hint}</span> : null}
      <span className="code">code {error.code}</span>
    </Notice>
  );
}
