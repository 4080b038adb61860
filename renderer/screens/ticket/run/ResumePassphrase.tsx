// The resume of a sealed unit's job (a sync or a merge) after the engine restarted (issue 21): the
// engine never keeps the unit passphrase, so it asks for it again, and the technician types it from
// the support ticket. The value lives in this field's state only and is emptied once it is sent.
import { useState } from 'react';
import { Field } from '../../../components/Field.tsx';

export function ResumePassphrase({ onResume, busy }: { onResume(unitPassphrase: string): void; busy: boolean }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (!value.trim()) return;
        onResume(value);
        setValue('');
      }}
    >
      <div style={{ maxWidth: '32rem' }}>
        <Field name="resume-unit-passphrase" label="Unit passphrase" hint="From the support ticket: the engine never keeps it. If a sync's passphrase was lost, start a new sync: the unit gets a new one.">
          <input type="password" autoComplete="off" spellCheck={false} className="mono" value={value} onChange={(e) => setValue(e.target.value)} />
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !value.trim()}>
          Resume with this passphrase
        </button>
      </div>
    </form>
  );
}
