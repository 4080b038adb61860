// A NAS unit as the target (R3: over 8 TB, ZFS only): how the bench reaches it over ssh
// (components/NasAddress.tsx), its pools as the NAS reports them
// (`nas.pools`), and the pool the unit's dataset goes into. Paths only: no password is asked.
import { useState, type FormEvent } from 'react';
import type { MethodResult } from '../../../../electron/api/contract.ts';
import { engine } from '../../../app/engine.ts';
import { bytes } from '../../../app/format.ts';
import { nasOf, useNas, type NasChoice } from '../../../app/session.ts';
import { useAction } from '../../../app/use-engine.ts';
import { Badge } from '../../../components/Badge.tsx';
import { NasAddressFields, useNasAddress } from '../../../components/NasAddress.tsx';
import { ErrorNotice } from '../../../components/Notice.tsx';

export function NasTarget({ ticketId }: { ticketId: string }) {
  useNas((s) => s.nas[ticketId]);
  const setNas = useNas((s) => s.setNas);
  const chosen = nasOf(ticketId);
  const addr = useNasAddress(chosen?.nas);
  const [pools, setPools] = useState<MethodResult<'nas.pools'> | null>(null);
  const nas = (): NasChoice['nas'] => addr.value();
  const look = useAction(async () => setPools(await engine.call('nas.pools', { nas: nas() })));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void look.run();
  };
  return (
    <div className="card">
      <h3>NAS unit</h3>
      <form onSubmit={submit} aria-label="NAS unit">
        <NasAddressFields addr={addr} idPrefix="nas" />
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <button type="submit" disabled={look.busy}>
            {look.busy ? 'Asking the NAS…' : 'List the NAS pools'}
          </button>
        </div>
      </form>
      <ErrorNotice error={look.error} title="The NAS did not answer" />
      {pools ? (
        <table className="data" aria-label="NAS pools" style={{ marginTop: '0.75rem' }}>
          <thead>
            <tr>
              <th scope="col">Use</th>
              <th scope="col">Pool on {pools.hostname}</th>
              <th scope="col">Health</th>
              <th scope="col" className="num">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {pools.pools.map((p) => (
              <tr key={p.name}>
                <td>
                  <input
                    type="radio"
                    name="nas-pool"
                    aria-label={`Use pool ${p.name}`}
                    checked={chosen?.pool === p.name}
                    disabled={p.health !== 'ONLINE'}
                    onChange={() => setNas(ticketId, { nas: nas(), pool: p.name })}
                  />
                </td>
                <td className="mono user-text">{p.name}</td>
                <td>
                  <Badge tone={p.health === 'ONLINE' ? 'ok' : 'danger'} icon={p.health === 'ONLINE' ? '✔' : '✖'}>
                    {p.health}
                  </Badge>
                </td>
                <td className="num">{bytes(p.sizeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {chosen ? (
        <p style={{ marginTop: '0.75rem' }}>
          <strong>
            The unit goes into <span className="mono">{chosen.pool}</span> on <span className="mono">{chosen.nas.host}</span>.
          </strong>
        </p>
      ) : null}
    </div>
  );
}
