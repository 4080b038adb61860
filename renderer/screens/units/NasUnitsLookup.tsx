// Where the Units screen also looks for NAS units (R3): a NAS reached over ssh, remembered for the
// next visit. The engine lists the units on every pool of that NAS (`units.list` with `nas`).
import type { FormEvent } from 'react';
import { useNasForUnits } from '../../app/session.ts';
import { NasAddressFields, useNasAddress } from '../../components/NasAddress.tsx';

export function NasUnitsLookup({ busy }: { busy: boolean }) {
  const { nasForUnits, setNasForUnits } = useNasForUnits();
  const addr = useNasAddress(nasForUnits);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNasForUnits(addr.value());
  };
  return (
    <details className="card" open={nasForUnits ? true : undefined}>
      <summary style={{ marginBottom: '0.75rem', cursor: 'pointer' }}>
        <strong>NAS units</strong>{' '}
        <span className="muted">{nasForUnits ? `also looking on ${nasForUnits.host}` : 'not looking on any NAS'}</span>
      </summary>
      <form onSubmit={submit} aria-label="Look for NAS units">
        <NasAddressFields addr={addr} idPrefix="units-nas" />
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Looking…' : 'Look for units on this NAS'}
          </button>
          {nasForUnits ? (
            <button type="button" onClick={() => setNasForUnits(null)}>
              Stop looking on {nasForUnits.host}
            </button>
          ) : null}
        </div>
      </form>
    </details>
  );
}
