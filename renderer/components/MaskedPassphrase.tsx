// A passphrase typed by the technician: masked, with Show/Hide, its hint and errors tied to it
// (Field). The value is the caller's state only, never the bench's stored state, the address or a
// log. Buttons that act on it (Open the unit) sit beside Show, level with the input.
import { useState, type ReactNode } from 'react';
import { Field } from './Field.tsx';

export function MaskedPassphrase({
  name,
  label,
  hint,
  errors,
  value,
  onChange,
  disabled,
  maxWidth = '32rem',
  children,
}: {
  name: string;
  label: string;
  hint: ReactNode;
  errors: string[];
  value: string;
  onChange(v: string): void;
  disabled?: boolean;
  maxWidth?: string;
  children?: ReactNode;
}) {
  const [shown, setShown] = useState(false);
  return (
    <div className="row" style={{ alignItems: 'flex-start' }}>
      <div style={{ flex: '1 1 24rem', maxWidth }}>
        <Field name={name} label={label} hint={hint} errors={errors}>
          <input type={shown ? 'text' : 'password'} autoComplete="off" spellCheck={false} className="mono" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} />
        </Field>
      </div>
      {/* Level with the input, below the field's label. */}
      <div className="row" style={{ paddingTop: '1.6rem' }}>
        <button type="button" onClick={() => setShown((s) => !s)} disabled={disabled}>
          {shown ? 'Hide' : 'Show'}
        </button>
        {children}
      </div>
    </div>
  );
}
