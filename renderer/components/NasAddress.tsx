// How the bench reaches a NAS over ssh: host, port, user, and the key and known_hosts files on
// this bench. Paths only, never a password: the engine reads the files, the page names them.
// One form for every screen that talks to a NAS (a NAS unit as a sync's target, NAS units to list).
import { useState } from 'react';
import type { NasChoice } from '../app/session.ts';

export type NasAddressValue = NasChoice['nas'];

export interface NasAddressState {
  host: string;
  port: string;
  user: string;
  identityFile: string;
  knownHostsFile: string;
  set(field: keyof Omit<NasAddressState, 'set' | 'value'>, v: string): void;
  /** The address as the contract takes it. */
  value(): NasAddressValue;
}

export function useNasAddress(initial?: NasAddressValue | null): NasAddressState {
  const [f, setF] = useState({
    host: initial?.host ?? '',
    port: initial?.port ? String(initial.port) : '22',
    user: initial?.user ?? 'root',
    identityFile: initial?.identityFile ?? '',
    knownHostsFile: initial?.knownHostsFile ?? '',
  });
  return {
    ...f,
    set: (field, v) => setF((old) => ({ ...old, [field]: v })),
    value: () => ({ host: f.host.trim(), port: Number(f.port) || 22, user: f.user.trim() || undefined, identityFile: f.identityFile.trim(), knownHostsFile: f.knownHostsFile.trim() }),
  };
}

/** The five fields; `idPrefix` keeps their ids apart when two forms share a page. */
export function NasAddressFields({ addr, idPrefix }: { addr: NasAddressState; idPrefix: string }) {
  const id = (x: string) => `${idPrefix}-${x}`;
  return (
    <div className="grid-3">
      <div className="field">
        <label htmlFor={id('host')}>NAS host or address</label>
        <input id={id('host')} type="text" value={addr.host} onChange={(e) => addr.set('host', e.target.value)} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={id('port')}>SSH port</label>
        <input id={id('port')} type="text" inputMode="numeric" value={addr.port} onChange={(e) => addr.set('port', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={id('user')}>SSH user</label>
        <input id={id('user')} type="text" value={addr.user} onChange={(e) => addr.set('user', e.target.value)} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={id('identity')}>Private key file on this bench</label>
        <input id={id('identity')} type="text" value={addr.identityFile} onChange={(e) => addr.set('identityFile', e.target.value)} placeholder="/root/.ssh/id_ed25519" />
      </div>
      <div className="field">
        <label htmlFor={id('known')}>known_hosts file that trusts the NAS</label>
        <input id={id('known')} type="text" value={addr.knownHostsFile} onChange={(e) => addr.set('knownHostsFile', e.target.value)} placeholder="/root/.ssh/known_hosts" />
      </div>
    </div>
  );
}
