// What the Unseal screen asks before anything is read: the unit passphrase (masked, with Show/Hide;
// its value lives in the screen's state only, never the bench's stored state, the address or a log)
// and the folder the images go into. The engine judges both when the job starts; its refusal of
// either comes back as the errors of that field.
import { Field } from '../../components/Field.tsx';
import { MaskedPassphrase } from '../../components/MaskedPassphrase.tsx';

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
      <MaskedPassphrase name="unseal-passphrase" label="Unit passphrase" hint={PASSPHRASE_HINT} errors={errors.passphrase} value={passphrase} onChange={onPassphrase} disabled={disabled} maxWidth="36rem" />
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
