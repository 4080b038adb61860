// How the unit is protected at rest (issue 21), chosen on the Confirm step from what the plan offers.
// Every new sync needs an explicit choice: with two options the recommended one is preselected and
// the other says what it means; with only "unencrypted" the technician ticks a box to ship it so.
// Each option shows a mark and a word for its state, never colour alone.
import { Radio, RadioGroup } from 'react-aria-components';
import type { Plan } from '../plan/use-plan.ts';

export type Protection = Plan['protection']['recommended'];

const OPTION: Record<Protection, { name: string; says: string }> = {
  sealed: {
    name: 'Sealed (encrypted)',
    says: 'The unit passphrase is shown on the Run step once the sync starts: have the support ticket open to copy it into.',
  },
  unencrypted: {
    name: 'Unencrypted',
    says: 'Anyone holding the drives can read them. Your choice to ship it unencrypted is recorded in the ticket.',
  },
};

/** The choice the sync is started with: the technician's, else the recommended one when there is a choice. */
export function chosenProtection(offer: Plan['protection'] | undefined, chosen: Protection | null): Protection | null {
  if (!offer) return null;
  if (chosen && offer.options.includes(chosen)) return chosen;
  return offer.options.length > 1 ? offer.recommended : null;
}

export function ProtectionChoice({
  offer,
  value,
  onChange,
  disabled,
  labelledBy,
}: {
  offer: Plan['protection'] | undefined;
  value: Protection | null;
  onChange(p: Protection | null): void;
  disabled?: boolean;
  /** The id of the heading that names the choice. */
  labelledBy: string;
}) {
  if (!offer) return <p className="muted">Asking the engine how this unit can be protected…</p>;
  if (offer.options.length === 1 && offer.options[0] === 'unencrypted') {
    return (
      <>
        <p className="user-text">{offer.sentence}</p>
        <label className="check" style={{ marginBottom: '0.75rem' }}>
          <input type="checkbox" checked={value === 'unencrypted'} disabled={disabled} onChange={(e) => onChange(e.target.checked ? 'unencrypted' : null)} />
          <span>Ship this unit unencrypted</span>
        </label>
        {value !== 'unencrypted' ? <p className="hint muted">Tick it to start the sync: the unit leaves unencrypted only by your explicit choice.</p> : null}
      </>
    );
  }
  return (
    <>
      <p className="user-text">{offer.sentence}</p>
      <RadioGroup className="choices" value={value ?? ''} onChange={(v) => onChange(v as Protection)} isDisabled={disabled} aria-labelledby={labelledBy}>
        {offer.options.map((o) => (
          <Radio key={o} value={o} className="choice">
            {({ isSelected }) => (
              <>
                <span className="mark" aria-hidden="true">
                  {isSelected ? '●' : '○'}
                </span>
                <span>
                  <strong>{OPTION[o].name}</strong>
                  {o === offer.recommended ? <span className="badge ok choice-tag">recommended</span> : null}
                  {isSelected ? <span className="choice-tag muted">chosen</span> : null}
                  <span className="muted choice-says">{OPTION[o].says}</span>
                </span>
              </>
            )}
          </Radio>
        ))}
      </RadioGroup>
    </>
  );
}
