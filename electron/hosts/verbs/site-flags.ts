// Where a ticket's data is, from the flags every ticket verb (plan, sync) shares:
//   --source POOL/PATH            the appliance's dataset root on this bench
//   --offsite POOL/PATH           the offsite root: a pool on this bench, or on --offsite-host
//   --offsite-host HOST [--offsite-port N] [--offsite-user U] --offsite-identity F --offsite-known-hosts F
//   --offsite-audit FILE          an offsite audit list (CSV or JSON) instead of an offsite pool
import { readFileSync } from 'node:fs';
import { AppError } from '../../api/errors.ts';
import { resolveSites, type Sites } from '../../appliance/sites.ts';
import { parseOffsiteAudit } from '../../chain/audit.ts';
import { flagString, type VerbArgs } from '../verb.ts';
import { hasNasFlags, hostFrom, type NasFlagNames } from './nas.ts';

export const OFFSITE_HOST_FLAGS: NasFlagNames = { host: 'offsite-host', port: 'offsite-port', user: 'offsite-user', identity: 'offsite-identity', knownHosts: 'offsite-known-hosts' };

export const SITE_USAGE =
  '[--source POOL --offsite POOL [--offsite-host HOST [--offsite-port N] --offsite-identity FILE --offsite-known-hosts FILE] | --offsite-audit FILE]';

function readAudit(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('BAD_INPUT', `The offsite audit list ${path} cannot be read.`, { detail: String(e) });
  }
  return parseOffsiteAudit(text, /\.json$/i.test(path) ? 'json' : /\.csv$/i.test(path) ? 'csv' : undefined);
}

export function sitesFrom(args: VerbArgs, applianceSerial?: string): Promise<Sites> {
  const auditFile = flagString(args, 'offsite-audit');
  return resolveSites({
    appliance: flagString(args, 'source'),
    offsite: flagString(args, 'offsite'),
    offsiteHost: hasNasFlags(args, OFFSITE_HOST_FLAGS) ? hostFrom(args, OFFSITE_HOST_FLAGS) : undefined,
    offsiteAudit: auditFile ? readAudit(auditFile) : undefined,
    applianceSerial,
  });
}
