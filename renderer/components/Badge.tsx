// A state as a small pill: an icon and words, with a colour that only backs them up.
export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'plain';

export function Badge({ tone = 'plain', icon, children }: { tone?: Tone; icon?: string; children: string }) {
  return (
    <span className={`badge ${tone === 'plain' ? '' : tone}`}>
      {icon ? <span aria-hidden="true">{icon}</span> : null}
      {children}
    </span>
  );
}
