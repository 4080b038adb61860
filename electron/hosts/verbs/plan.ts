// `roundtrip plan --ticket ID|FILE [--drive DEV...] [--lock SYSTEM=POINT...] [site flags] [--estimate] [--json]`:
// what a ticket would send, how big it is, on which media and drives, the fee and the time
// (plan.forTicket). A FILE is a request form or a ticket export, planned without becoming a ticket.
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '../../api/errors.ts';
import { planSummary } from '../../chain/plan-text.ts';
import type { Plan } from '../../chain/plan.ts';
import { parseTicketJson } from '../../tickets/model/exchange.ts';
import { call } from '../engine-client.ts';
import { passphrasesFromStdin } from '../passphrase-stdin.ts';
import { flagBool, flagList, flagString, type Verb } from '../verb.ts';
import { SITE_USAGE, sitesFrom } from './site-flags.ts';

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
    const target = existsSync(ref) ? { request: parseTicketJson(readFileSync(ref, 'utf8'), ref) as Record<string, unknown> } : { ticketId: ref };
    const locks = parseLocks(flagList(args, 'lock'));
    const plan = (await call('plan.forTicket', {
      ...target,
      drives: flagList(args, 'drive'),
      ...(locks ? { locks } : {}),
      sites: sitesFrom(args),
      estimate: flagBool(args, 'estimate'),
      ...(flagBool(args, 'passphrase-stdin') ? { passphrases: passphrasesFromStdin(await args.readStdin()) } : {}),
    })) as unknown as Plan & { ticketId: string };
    return { json: plan, human: `Ticket ${plan.ticketId}\n${planSummary(plan)}` };
  },
};
