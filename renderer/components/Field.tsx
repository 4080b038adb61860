// A labelled input with its hint and its errors, tied together for screen readers
// (aria-describedby, aria-invalid). The input itself is the child, given the ids it needs.
import { cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react';

export function fieldId(key: string): string {
  return `f-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function Field({ name, label, hint, errors, children, wide }: { name: string; label: string; hint?: ReactNode; errors?: string[]; children: ReactElement; wide?: boolean }) {
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = errors?.length ? `${id}-err` : undefined;
  const input = isValidElement(children)
    ? cloneElement(children as ReactElement<Record<string, unknown>>, {
        id,
        'aria-invalid': errors?.length ? true : undefined,
        'aria-describedby': [hintId, errId].filter(Boolean).join(' ') || undefined,
      })
    : children;
  return (
    <div className="field" data-invalid={errors?.length ? 'true' : undefined} style={wide ? { gridColumn: '1 / -1' } : undefined}>
      <label htmlFor={id}>{label}</label>
      {input}
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {errors?.length ? (
        <span className="error" id={errId}>
          {errors.map((e) => (
            <span key={e} className="user-text" style={{ display: 'block' }}>
              <span aria-hidden="true">✖ </span>
              {e}
            </span>
          ))}
        </span>
      ) : null}
    </div>
  );
}
