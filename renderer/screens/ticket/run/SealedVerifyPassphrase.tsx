// How a sealed unit is verified from the Run step (issue 21): while the engine still holds the unit
// passphrase of the sync (it was not passed on yet), the verification opens every sealed file with
// it, untyped; afterwards the technician may type it from the support ticket. Without it, the
// verification can only check each file's presence, size and key. The typed value lives in the Run
// step's state only (never the bench's stored state, the address or a log).
import { MaskedPassphrase } from '../../../components/MaskedPassphrase.tsx';

export function SealedVerifyPassphrase({ held, value, onChange, errors, disabled }: { held: boolean; value: string; onChange(v: string): void; errors: string[]; disabled?: boolean }) {
  if (held) {
    return <p className="muted">The verification opens every sealed file with the unit passphrase this bench still holds, and authenticates each record.</p>;
  }
  return (
    <MaskedPassphrase
      name="verify-unit-passphrase"
      label="Unit passphrase (optional)"
      hint="From the support ticket: with it every sealed file is opened and authenticated; without it, only each file's presence and size are checked."
      errors={errors}
      value={value}
      onChange={onChange}
      disabled={disabled}
    />
  );
}
