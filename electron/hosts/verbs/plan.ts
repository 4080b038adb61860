// `roundtrip plan --ticket ID|FILE [--drive DEV...] [--lock SYSTEM=POINT...] [site flags] [--estimate] [--json]`:
// what a ticket would send, how big it is, on which media and drives, the fee and the time.
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '../../api/errors.ts';
import { listProtectedSystems } from '../../appliance/inventory.ts';
import { planSummary } from '../../chain/plan-text.ts';
import { parsePassphraseInput } from '../../jobs/files/passphrases.ts';
import { planForTicket } from '../../jobs/plan-for-ticket.ts';
import { parseTicketJson, requestFromImport } from '../../tickets/model/exchange.ts';
import { validateTicketInput } from '../../tickets/model/validate.ts';
import type { TicketInput } from '../../tickets/model/ticket-schema.ts';
import { TicketStore } from '../../tickets/store.ts';
import { flagBool, flagList, flagString, type Verb } from '../verb.ts';
import { SITE_USAGE, sitesFrom } from './site-flags.ts';

/** A ticket on this bench by number, or a request form / ticket export as a JSON file. */
function loadRequest(ref: string): { id: string | null; request: TicketInput } {
  if (existsSync(ref)) {
    const doc = parseTicketJson(readFileSync(ref, 'utf8'), ref);
    const raw = (doc as { kind?: unknown })?.kind !== undefined ? requestFromImport(doc) : doc;
    return { id: null, request: validateTicketInput(raw) };
  }
  const t = new TicketStore().get(ref);
  return { id: t.id, request: t.request };
}

function parseLocks(values: string[]): Record<string, string> | undefined {
  if (!values.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const at = v.lastIndexOf('=');
    if (at <= 0 || at === v.length - 1) throw new AppError('BAD_INPUT', `"${v}" is not SYSTEM=POINT (for example --lock WIN-FS01=1700000000).`);
    out[v.slice(0, at)] = v.slice(at + 1);
  }
  return out;
}

export const verb: Verb = {
  name: 'plan',
  summary: 'plan a ticket: points per system, exact sizes, media, drives, fee and time',
  usage: `roundtrip plan --ticket ID|FILE [--drive DEV...] [--lock SYSTEM=POINT...] ${SITE_USAGE} [--passphrase-stdin] [--estimate] [--json]`,
  async run(args) {
    const ref = flagString(args, 'ticket') ?? args.positional[0];
    if (!ref) throw new AppError('BAD_INPUT', 'Name the ticket to plan with --ticket ID (or a request form file).');
    const { id, request } = loadRequest(ref);
    const sites = await sitesFrom(args, request.applianceSerial);
    // Encrypted agents' passphrases (NTFS/EXT4/image tickets), to measure their copies exactly; memory only.
    let passphrases: Record<string, string> | undefined;
    if (flagBool(args, 'passphrase-stdin')) {
      const encrypted = (await listProtectedSystems(sites.appliance)).filter((x) => x.encrypted).map((x) => x.name);
      passphrases = parsePassphraseInput(await args.readStdin(), encrypted);
    }
    const plan = await planForTicket(request, sites, {
      drives: flagList(args, 'drive'),
      lockOverrides: parseLocks(flagList(args, 'lock')),
      exact: !flagBool(args, 'estimate'),
      passphrases,
    });
    return { json: { ticketId: id ?? request.ticketNumber, ...plan }, human: `Ticket ${id ?? request.ticketNumber}\n${planSummary(plan)}` };
  },
};
