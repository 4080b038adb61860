// The masked field for a sealed unit's passphrase (issue 21): nothing is read from such a unit
// without it. The value lives in the Merge screen's state only (never the bench's stored state, the
// address or a log); "Open the unit" hands it to the preview, so a half-typed passphrase is not
// tried on every key. The engine's sentence for a wrong one sits next to the field.
import { MaskedPassphrase } from '../../components/MaskedPassphrase.tsx';

const HINT = {
  typing: 'Six groups of four characters; case, spaces and dashes do not matter.',
  refused: 'Check it against the support ticket and open the unit again.',
  waiting: 'Choose where it goes below: the passphrase is checked when the engine reads the unit for the preview.',
  opened: '✔ Accepted: the unit is open for the preview and the merge.',
} as const;

export function UnitPassphraseField({
  value,
  onChange,
  onOpen,
  errors,
  state,
  busy,
  disabled,
}: {
  value: string;
  onChange(v: string): void;
  onOpen(): void;
  errors: string[];
  /** Where it stands: being typed, refused, given but no destination chosen yet, or accepted by the engine (the preview came back). */
  state: 'typing' | 'refused' | 'waiting' | 'opened';
  busy: boolean;
  disabled?: boolean;
}) {
  return (
    <form
      className="card"
      aria-labelledby="unit-passphrase-legend"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onOpen();
      }}
    >
      <h2 id="unit-passphrase-legend">Sealed unit</h2>
      <p className="muted">Its systems and points are read only with the unit passphrase, which is on the support ticket. It is checked against the unit&apos;s key record and never stored.</p>
      <MaskedPassphrase name="unit-passphrase" label="Unit passphrase" hint={HINT[state]} errors={errors} value={value} onChange={onChange} disabled={disabled}>
        <button type="submit" className="primary" disabled={disabled || busy || !value.trim()}>
          {busy ? 'Opening the unit…' : 'Open the unit'}
        </button>
      </MaskedPassphrase>
    </form>
  );
}
