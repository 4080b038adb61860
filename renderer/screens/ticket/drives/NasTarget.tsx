// A NAS unit as the target (R3: over 8 TB, ZFS only): how the bench reaches it over ssh (host,
// port, user, the key and known_hosts files on this bench), its pools as the NAS reports them
// (`nas.pools`), and the pool the unit's dataset goes into. Paths only: no password is asked.
import { useState, type FormEvent } from 'react';
import type { MethodResult } from '../../../../electron/api/contract.ts';
import { engine } from '../../../app/engine.ts';
import { bytes } from '../../../app/format.ts';
import { nasOf, useNas, type NasChoice } from '../../../app/session.ts';
import { useAction } from '../../../app/use-engine.ts';
import { Badge } from '../../../components/Badge.tsx';
import { ErrorNotice } from '../../../components/Notice.tsx';

export function NasTarget({ ticketId }: { ticketId: string }) {
  useNas((s) => s.nas[ticketId]);
  const setNas = useNas((s) => s.setNas);
  const chosen = nasOf(ticketId);
  const [host, setHost] = useState(chosen?.nas.host ?? '');
  const [port, setPort] = useState(chosen?.nas.port ? String(chosen.nas.port) : '22');
  const [user, setUser] = useState(chosen?.nas.user ?? 'root');
  const [identityFile, setIdentity] = useState(chosen?.nas.identityFile ?? '');
  const [knownHostsFile, setKnown] = useState(chosen?.nas.knownHostsFile ?? '');
  const [pools, setPools] = useState<MethodResult<'nas.pools'> | null>(null);
  const nas = (): NasChoice['nas'] => ({ host: host.trim(), port: Number(port) || 22, user: user.trim() || undefined, identityFile: identityFile.trim(), knownHostsFile: knownHostsFile.trim() });
  const look = useAction(async () => setPools(await engine.call('nas.pools', { nas: nas() })));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void look.run();
  };
  return (
    <div className="card">
      <h3>NAS unit</h3>
      <form onSubmit={submit} aria-label="NAS unit">
        <div className="grid-3">
          <div className="field">
            <label htmlFor="nas-host">NAS host or address</label>
            <input id="nas-host" type="text" value={host} onChange={(e) => setHost(e.target.value)} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="nas-port">SSH port</label>
            <input id="nas-port" type="text" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="nas-user">SSH user</label>
            <input id="nas-user" type="text" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="nas-identity">Private key file on this bench</label>
            <input id="nas-identity" type="text" value={identityFile} onChange={(e) => setIdentity(e.target.value)} placeholder="/root/.ssh/id_ed25519" />
          </div>
          <div className="field">
            <label htmlFor="nas-known">known_hosts file that trusts the NAS</label>
            <input id="nas-known" type="text" value={knownHostsFile} onChange={(e) => setKnown(e.target.value)} placeholder="/root/.ssh/known_hosts" />
          </div>
        </div>
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
