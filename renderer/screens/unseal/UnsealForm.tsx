// What the Unseal screen asks before anything is read: the unit passphrase (masked, with Show/Hide;
// its value lives in the screen's state only, never the bench's stored state, the address or a log)
// and the folder the images go into. The engine judges both when the job starts; its refusal of
// either comes back as the errors of that field.
import { useState } from 'react';
import { Field } from '../../components/Field.tsx';

const PASSPHRASE_HINT = 'From the support ticket: six groups of four characters; case, spaces and dashes do not matter. It is never stored.';
const FOLDER_HINT =
  'A full path to a folder that exists on this bench and has room for the images, best an empty one: each image goes under SYSTEM/POINT/ in it, with ROUNDTRIP-MANIFEST.json beside them. A file already there under an image\u2019s name is never overwritten.';

export function UnsealForm({
  passphrase,
  folder,
  onPassphrase,
  onFolder,
  onStart,
  errors,
  disabled,
  busy,
}: {
  passphrase: string;
  folder: string;
  onPassphrase(v: string): void;
  onFolder(v: string): void;
  onStart(): void;
  errors: { passphrase: string[]; folder: string[] };
  disabled: boolean;
  busy: boolean;
}) {
  const [shown, setShown] = useState(false);
  const ready = passphrase.trim() !== '' && folder.trim() !== '';
  return (
    <form
      className="card stack"
      aria-labelledby="unseal-form-h"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onStart();
      }}
    >
      <h2 id="unseal-form-h">Unseal into a folder</h2>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div style={{ flex: '1 1 24rem', maxWidth: '36rem' }}>
          <Field name="unseal-passphrase" label="Unit passphrase" hint={PASSPHRASE_HINT} errors={errors.passphrase}>
            <input type={shown ? 'text' : 'password'} autoComplete="off" spellCheck={false} className="mono" value={passphrase} disabled={disabled} onChange={(e) => onPassphrase(e.target.value)} />
          </Field>
        </div>
        {/* Level with the input, below the field's label. */}
        <div style={{ paddingTop: '1.6rem' }}>
          <button type="button" onClick={() => setShown((s) => !s)} disabled={disabled}>
            {shown ? 'Hide' : 'Show'}
          </button>
        </div>
      </div>
      <div style={{ maxWidth: '36rem' }}>
        <Field name="unseal-folder" label="Destination folder" hint={FOLDER_HINT} errors={errors.folder}>
          <input type="text" autoComplete="off" spellCheck={false} className="mono" placeholder="/srv/unsealed/T1000001" value={folder} disabled={disabled} onChange={(e) => onFolder(e.target.value)} />
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={disabled || busy || !ready}>
          {busy ? 'Starting…' : 'Unseal the images'}
        </button>
        {!ready ? <span className="muted">Enter the unit passphrase and the folder.</span> : null}
      </div>
    </form>
  );
}
