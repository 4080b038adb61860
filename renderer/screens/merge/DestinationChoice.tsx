// Where the unit's systems land (R18): the appliance's or the offsite copy's dataset root of a
// site this bench knows, or another dataset root on this bench typed by the technician.
import { useState } from 'react';
import { useCall } from '../../app/use-engine.ts';
import { ErrorNotice } from '../../components/Notice.tsx';

const ROLE = { appliance: "the appliance's datasets", offsite: 'the offsite copy' } as const;

export function DestinationChoice({ value, onChange, disabled }: { value: string; onChange(into: string): void; disabled?: boolean }) {
  const sites = useCall('sites.list', {});
  const known = sites.data?.destinations ?? [];
  const [other, setOther] = useState('');
  const isKnown = known.some((d) => d.dataset === value);
  const [custom, setCustom] = useState(false);
  return (
    <fieldset className="card" aria-busy={sites.loading ? 'true' : undefined} disabled={disabled}>
      <legend>Destination</legend>
      <ErrorNotice error={sites.error} />
      {known.map((d) => (
        <label key={d.dataset} className="check">
          <input
            type="radio"
            name="destination"
            value={d.dataset}
            checked={!custom && value === d.dataset}
            disabled={!d.present}
            onChange={() => {
              setCustom(false);
              onChange(d.dataset);
            }}
          />
          <span>
            <span className="mono user-text">{d.dataset}</span>: {ROLE[d.role]} of appliance <span className="mono user-text">{d.applianceSerial}</span>
            {d.present ? '' : ' (not on this bench: is its pool imported?)'}
          </span>
        </label>
      ))}
      <label className="check">
        <input type="radio" name="destination" value="" checked={custom || (!!value && !isKnown)} onChange={() => setCustom(true)} />
        <span>Another dataset root on this bench</span>
      </label>
      {custom || (!!value && !isKnown) ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            onChange(other.trim());
          }}
        >
          <label>
            Dataset root (POOL/PATH)
            <input type="text" className="mono" value={other} onChange={(e) => setOther(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
          <button type="submit" disabled={!other.trim()}>
            Use this destination
          </button>
        </form>
      ) : null}
    </fieldset>
  );
}
