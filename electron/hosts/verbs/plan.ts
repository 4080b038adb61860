// `roundtrip plan --ticket ID|FILE [--drive DEV...] [--lock SYSTEM=POINT...] [site flags] [--estimate] [--json]`:
// what a ticket would send, how big it is, on which media and drives, the fee and the time
// (plan.forTicket). A FILE is a request form or a ticket export, planned without becoming a ticket.
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '../../api/errors.ts';
import { planSummary } from '../../chain/plan-text.ts';
import type { Plan } from '../../chain/plan.ts';
import type { PointStates } from '../../chain/states.ts';
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

/** The picker as text: one line per point, its icons as letters (never colour alone). */
function pickerText(p: { ticketId: string; systems: PointStates[]; warnings: string[] }): string {
  const lines = [`Ticket ${p.ticketId}: points per system (O offsite, S can be synced, F first, L last, K lock, * arrives)`];
  for (const s of p.systems) {
    lines.push(`${s.system}: lock ${s.lock ?? 'none (the first point goes in full)'}${s.lock !== s.defaultLock ? ` (moved from ${s.defaultLock ?? 'none'})` : ''}, ${s.rows.filter((r) => r.inRange).length} point(s) arrive`);
    for (const r of s.rows) {
      const icons = [r.offsite ? 'O' : '-', r.syncable ? 'S' : '-', r.first ? 'F' : '-', r.last ? 'L' : '-', r.lock ? 'K' : '-', r.inRange ? '*' : ' '].join('');
      lines.push(`  ${icons}  ${r.name.padEnd(12)} ${new Date(r.time * 1000).toISOString().slice(0, 16).replace('T', ' ')}`);
    }
    for (const n of s.notes) lines.push(`  note: ${n}`);
  }
  for (const w of p.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

export const verb: Verb = {
  name: 'plan',
  summary: 'plan a ticket: points per system, exact sizes, media, drives, fee and time',
  usage:
    `roundtrip plan --ticket ID|FILE [--drive DEV...] [--lock SYSTEM=POINT...] ${SITE_USAGE} [--passphrase-stdin] [--estimate] [--retention-days N] [--no-pause-local-backups] [--json]\n` +
    `       roundtrip plan --ticket ID|FILE --points [--lock SYSTEM=POINT...] ${SITE_USAGE} [--json]   the snapshot picker: every point and its icons (R11)`,
  async run(args) {
    const ref = flagString(args, 'ticket') ?? args.positional[0];
    if (!ref) throw new AppError('BAD_INPUT', 'Name the ticket to plan with --ticket ID (or a request form file).');
    const target = existsSync(ref) ? { request: parseTicketJson(readFileSync(ref, 'utf8'), ref) as Record<string, unknown> } : { ticketId: ref };
    const locks = parseLocks(flagList(args, 'lock'));
    if (flagBool(args, 'points')) {
      const picker = (await call('plan.points', { ...target, ...(locks ? { locks } : {}), sites: sitesFrom(args) })) as unknown as { ticketId: string; systems: PointStates[]; warnings: string[] };
      return { json: picker, human: pickerText(picker) };
    }
    const days = flagString(args, 'retention-days');
    if (days !== undefined && !/^\d+(\.\d+)?$/.test(days)) throw new AppError('BAD_INPUT', `--retention-days ${days} is not a number of days.`);
    const plan = (await call('plan.forTicket', {
      ...target,
      ...(days !== undefined ? { retention: { arrivalInDays: Number(days) } } : {}),
      drives: flagList(args, 'drive'),
      ...(locks ? { locks } : {}),
      sites: sitesFrom(args),
      estimate: flagBool(args, 'estimate'),
      pauseLocalBackups: !flagBool(args, 'no-pause-local-backups'),
      ...(flagBool(args, 'passphrase-stdin') ? { passphrases: passphrasesFromStdin(await args.readStdin()) } : {}),
    })) as unknown as Plan & { ticketId: string; localBackups: { sentence: string }; protection: { options: string[]; sentence: string } };
    const protection = `Protection: ${plan.protection.sentence} (sync with ${plan.protection.options.map((o) => (o === 'sealed' ? '--seal' : '--unencrypted')).join(' or ')})`;
    return { json: plan, human: `Ticket ${plan.ticketId}\n${planSummary(plan)}\n${plan.localBackups.sentence}\n${protection}` };
  },
};
