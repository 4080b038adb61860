// Where a ticket's data is, from the flags every ticket verb (plan, sync) shares, as the contract's
// `sites` field:
//   --source POOL/PATH            the appliance's dataset root on this bench
//   --offsite POOL/PATH           the offsite root: a pool on this bench, or on --offsite-host
//   --offsite-host HOST [--offsite-port N] [--offsite-user U] --offsite-identity F --offsite-known-hosts F
//   --offsite-audit FILE          an offsite audit list (CSV or JSON) instead of an offsite pool;
//                                 the CLI reads the file and sends its text
import { readFileSync } from 'node:fs';
import { AppError } from '../../api/errors.ts';
import type { SitesInput } from '../../api/schemas/common.ts';
import { flagString, type VerbArgs } from '../verb.ts';
import { hasNasFlags, hostFrom, type NasFlagNames } from './nas.ts';

export const OFFSITE_HOST_FLAGS: NasFlagNames = { host: 'offsite-host', port: 'offsite-port', user: 'offsite-user', identity: 'offsite-identity', knownHosts: 'offsite-known-hosts' };

export const SITE_USAGE =
  '[--source POOL --offsite POOL [--offsite-host HOST [--offsite-port N] --offsite-identity FILE --offsite-known-hosts FILE] | --offsite-audit FILE]';

function readAudit(path: string): NonNullable<SitesInput['offsiteAudit']> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('BAD_INPUT', `The offsite audit list ${path} cannot be read.`, { detail: String(e) });
  }
  return { text, ...(/\.json$/i.test(path) ? { format: 'json' as const } : /\.csv$/i.test(path) ? { format: 'csv' as const } : {}) };
}

export function sitesFrom(args: VerbArgs): SitesInput {
  const auditFile = flagString(args, 'offsite-audit');
  const source = flagString(args, 'source');
  const offsite = flagString(args, 'offsite');
  return {
    ...(source !== undefined ? { source } : {}),
    ...(offsite !== undefined ? { offsite } : {}),
    ...(hasNasFlags(args, OFFSITE_HOST_FLAGS) ? { offsiteHost: hostFrom(args, OFFSITE_HOST_FLAGS) } : {}),
    ...(auditFile ? { offsiteAudit: readAudit(auditFile) } : {}),
  };
}
