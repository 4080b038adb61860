// A masked passphrase field per encrypted agent (R18). The values live in the screen's memory
// only (never the bench's stored state, the address or a log) and are cleared when the step ends
// or fails; the engine's answer to a wrong one sits next to its field.
import { Field } from '../../components/Field.tsx';

export function AgentPassphrases({
  agents,
  values,
  errors,
  onChange,
  checked,
  disabled,
}: {
  agents: string[];
  values: Record<string, string>;
  errors: Record<string, string[]>;
  onChange(system: string, value: string): void;
  /** Agents whose passphrase the engine accepted and holds for the unlock after the merge. */
  checked: string[];
  disabled?: boolean;
}) {
  if (!agents.length) return null;
  return (
    <fieldset className="card">
      <legend>Encrypted agents</legend>
      <p className="muted">
        Each encrypted agent stays locked after its data is merged until its passphrase is entered. The passphrase is checked against the agent&apos;s key record on the unit before
        anything is merged, then unlocks the agent so its pairing resumes. It is never stored.
      </p>
      <div className="grid-2">
        {agents.map((a) => (
          <Field
            key={a}
            name={`passphrase-${a}`}
            label={`Passphrase for ${a}`}
            hint={checked.includes(a) ? '✔ Checked: it unlocks this agent once its data is merged.' : 'The partner gave it when the agent was set up.'}
            errors={errors[a]}
          >
            <input type="password" autoComplete="off" spellCheck={false} value={values[a] ?? ''} disabled={disabled} onChange={(e) => onChange(a, e.target.value)} />
          </Field>
        ))}
      </div>
    </fieldset>
  );
}
