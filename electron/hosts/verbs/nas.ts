// `roundtrip nas list --host H [--port N] [--user root] --identity FILE --known-hosts FILE [--json]`:
// a NAS unit's pools and free space, over ssh.
import { AppError } from '../../api/errors.ts';
import { formatBytes } from '../../chain/units.ts';
import type { NasHost, NasPool } from '../../drives/nas.ts';
import { call } from '../engine-client.ts';
import { flagString, type Verb, type VerbArgs } from '../verb.ts';

/** The flag names a verb reads a NAS address from: `nas list` uses --host…, `sync`/`verify` --nas, --nas-port… */
export interface NasFlagNames {
  host: string;
  port: string;
  user: string;
  identity: string;
  knownHosts: string;
}

export const NAS_LIST_FLAGS: NasFlagNames = { host: 'host', port: 'port', user: 'user', identity: 'identity', knownHosts: 'known-hosts' };
export const NAS_UNIT_FLAGS: NasFlagNames = { host: 'nas', port: 'nas-port', user: 'nas-user', identity: 'nas-identity', knownHosts: 'nas-known-hosts' };

/** True when any of the NAS flags was given. */
export function hasNasFlags(args: VerbArgs, names: NasFlagNames = NAS_LIST_FLAGS): boolean {
  return Object.values(names).some((n) => args.flags[n] !== undefined);
}

export function hostFrom(args: VerbArgs, names: NasFlagNames = NAS_LIST_FLAGS): NasHost {
  const host = flagString(args, names.host);
  const identityFile = flagString(args, names.identity);
  const knownHostsFile = flagString(args, names.knownHosts);
  const port = flagString(args, names.port);
  if (!host || !identityFile || !knownHostsFile) {
    throw new AppError('BAD_INPUT', `Give the NAS with --${names.host}, --${names.identity} (the bench's private key) and --${names.knownHosts} (the file with the unit's host key).`);
  }
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new AppError('BAD_INPUT', `--${names.port} ${port} is not a port number.`);
  return { host, port: port ? Number(port) : undefined, user: flagString(args, names.user), identityFile, knownHostsFile };
}

export const verb: Verb = {
  name: 'nas',
  summary: 'list a NAS unit\'s pools and free space over ssh',
  usage: 'roundtrip nas list --host HOST [--port N] [--user root] --identity FILE --known-hosts FILE [--json]',
  async run(args) {
    const sub = args.positional[0];
    if (sub !== 'list') throw new AppError('BAD_INPUT', 'Say what to do with the NAS: "nas list".');
    const nas = hostFrom(args);
    const { hostname, pools } = (await call('nas.pools', { nas })) as unknown as { hostname: string; pools: NasPool[] };
    const human = [
      `NAS ${hostname} (${nas.host}:${nas.port ?? 22})`,
      ...pools.map((p) => `  ${p.name.padEnd(24)} ${p.health.padEnd(9)} size ${formatBytes(p.sizeBytes).padEnd(10)} free ${formatBytes(p.availableBytes ?? p.freeBytes)}`),
      ...(pools.length ? [] : ['  no pools']),
    ].join('\n');
    return { json: { host: nas.host, port: nas.port ?? 22, hostname, pools }, human };
  },
};
