// `roundtrip units [--nas HOST --nas-identity FILE --nas-known-hosts FILE [--nas-port N] [--nas-user U]] [--json]`:
// every RoundTrip unit this bench can reach, as the Units screen lists them (`units.list`): the
// attached drives, and the NAS units on the NAS named.
import type { AttachedUnit } from '../../api/schemas/units.ts';
import { call } from '../engine-client.ts';
import type { Verb } from '../verb.ts';
import { hasNasFlags, hostFrom, NAS_UNIT_FLAGS } from './nas.ts';

function line(u: AttachedUnit): string {
  const where = u.nas ? `on the NAS ${u.nas.host} as ${u.nas.dataset}` : `on ${u.devices.join(', ')}${u.devices.length < u.drivesExpected ? ` (${u.drivesExpected - u.devices.length} of ${u.drivesExpected} drives missing)` : ''}`;
  const state = u.sealed ? `sealed, ${u.verify.state}` : `not sealed: ${u.problem ?? ''}`;
  const head = `${u.label} (${u.layout}) ${where}: ticket ${u.ticketId ?? '-'}${u.knownTicket ? '' : ' (from another bench)'}, ${state}`;
  return [head, ...u.systems.map((s) => `  ${s.system.padEnd(14)} ${String(s.points.length).padStart(4)} point(s)${s.encrypted ? ', encrypted: needs its passphrase' : ''}`)].join('\n');
}

export const verb: Verb = {
  name: 'units',
  summary: 'list the RoundTrip units on the attached drives (and on a NAS)',
  usage: 'roundtrip units [--nas HOST --nas-identity FILE --nas-known-hosts FILE [--nas-port N] [--nas-user U]] [--json]',
  async run(args) {
    const nas = hasNasFlags(args, NAS_UNIT_FLAGS) ? hostFrom(args, NAS_UNIT_FLAGS) : undefined;
    const r = await call('units.list', nas ? { nas } : {});
    const human = [...(r.units.length ? r.units.map(line) : ['No unit found.']), ...r.notes.map((n) => `note: ${n}`)].join('\n');
    return { json: r, human };
  },
};
