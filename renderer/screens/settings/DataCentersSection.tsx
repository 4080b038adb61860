// The regional data centers (R13, R15): each region's receiving address, printed on the return
// label and the packing slip and shown in the ticket views. The resource file's addresses are
// placeholders until a bench saves its own, and the badge says which one a region uses.
import { useState } from 'react';
import type { DataCenter } from '../../../electron/tickets/model/data-centers.ts';
import { Badge } from '../../components/Badge.tsx';
import { Field } from '../../components/Field.tsx';
import { errorsUnder, linesOf, settingsView, type SettingsView } from './settings-form.ts';
import { SettingsSection } from './SettingsSection.tsx';
import { useSettingsSave } from './use-settings-save.ts';

const formOf = (dc: DataCenter) => ({ attention: dc.attention, organization: dc.organization, street: dc.street.join('\n'), city: dc.city, state: dc.state ?? '', postalCode: dc.postalCode, country: dc.country });

function DataCenterForm({ dc, onSaved }: { dc: DataCenter; onSaved(s: SettingsView): void }) {
  const [a, setA] = useState(() => formOf(dc));
  const [reset, setReset] = useState<string | null>(null);
  const s = useSettingsSave((ans) => onSaved(settingsView(ans)));
  // "Use the default address": `dataCenters: { region: null }` through the contract; the form then
  // shows the resource file's address the engine answers with.
  const r = useSettingsSave((ans) => {
    const v = settingsView(ans);
    const back = v.dataCenters.find((d) => d.region === dc.region);
    if (back) setA(formOf(back));
    onSaved(v);
  });
  async function useDefault() {
    setReset(null);
    s.setError(null);
    if (await r.save({ dataCenters: { [dc.region]: null } })) setReset(`The ${dc.regionName} data center uses the resource file's address again.`);
  }
  const { byField } = errorsUnder(s.error, `dataCenters.${dc.region}`);
  const key = `dc.${dc.region}`;
  const text = (k: Exclude<keyof typeof a, 'street'>, label: string, hint?: string) => (
    <Field name={`${key}.${k}`} label={label} hint={hint} errors={byField.get(k)}>
      <input type="text" value={a[k]} maxLength={300} onChange={(e) => (s.touch(), setReset(null), setA({ ...a, [k]: e.target.value }))} />
    </Field>
  );
  const patch = {
    ...(a.attention.trim() ? { attention: a.attention } : {}),
    organization: a.organization,
    street: linesOf(a.street),
    city: a.city,
    ...(a.state.trim() ? { state: a.state } : {}),
    postalCode: a.postalCode,
    country: a.country,
  };
  return (
    <SettingsSection
      id={key.replace('.', '-')}
      title={`${dc.regionName} data center`}
      intro={
        dc.placeholder ? (
          <Badge tone="warn" icon="⚠">
            placeholder address from the resource file: replace it before shipping
          </Badge>
        ) : (
          <Badge tone="ok" icon="✔">
            this bench's address
          </Badge>
        )
      }
      saveLabel={`Save the ${dc.regionName} address`}
      busy={s.busy}
      saved={s.saved}
      error={s.error ?? r.error}
      onSubmit={() => (setReset(null), void s.save({ dataCenters: { [dc.region]: patch } }))}
      after={
        <div className="stack">
          <div className="row">
            <button type="button" disabled={dc.placeholder === true || r.busy || s.busy} onClick={() => void useDefault()}>
              {r.busy ? 'Resetting…' : 'Use the default address'}
            </button>
          </div>
          <span role="status" className="muted">
            {reset ?? (dc.placeholder ? "This region uses the resource file's address." : '')}
          </span>
        </div>
      }
    >
      <div className="grid-2">
        {text('attention', 'Attention line', 'For example "ATTN: RoundTrip Dept." (optional).')}
        {text('organization', 'Organization')}
        <Field name={`${key}.street`} label="Street" hint="One line per street line (up to 4)." errors={byField.get('street')}>
          <textarea rows={2} value={a.street} onChange={(e) => (s.touch(), setA({ ...a, street: e.target.value }))} />
        </Field>
        {text('city', 'City')}
        {text('state', 'State, province or county', 'Optional.')}
        {text('postalCode', 'Postal code')}
        {text('country', 'Country')}
      </div>
    </SettingsSection>
  );
}

export function DataCentersSection({ settings, onSaved }: { settings: SettingsView; onSaved(s: SettingsView): void }) {
  return (
    <section aria-labelledby="dcs-title" className="stack">
      <h2 id="dcs-title">Data centers and return addresses</h2>
      <p className="muted">Each region's receiving address goes on the return label and the packing slip, and partner-supplied units are sent there (R13, R15).</p>
      {settings.dataCenters.map((dc) => (
        <DataCenterForm key={dc.region} dc={dc} onSaved={onSaved} />
      ))}
    </section>
  );
}
