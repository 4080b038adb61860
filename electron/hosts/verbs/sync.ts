// `roundtrip sync --ticket ID --drive DEV... [--resume] [--source P --offsite P] [--no-eject] [--json]`
import { AppError } from '../../api/errors.ts';
import { resolveSites } from '../../appliance/sites.ts';
import { zfsSyncRequestFor } from '../../jobs/zfs/from-ticket.ts';
import { runZfsSync } from '../../jobs/zfs/sync.ts';
import { TicketStore } from '../../tickets/store.ts';
import { cancelOnSignals, progressPrinter } from '../progress-printer.ts';
import { flagBool, flagList, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'sync',
  summary: 'copy a ticket\'s points onto a unit (erases the drives), verify, write the manifest, eject',
  usage: 'roundtrip sync --ticket ID --drive DEV [--drive DEV...] [--resume] [--source POOL --offsite POOL] [--no-eject] [--by NAME] [--json]',
  async run(args) {
    const ticketId = flagString(args, 'ticket');
    const drives = [...flagList(args, 'drive'), ...args.positional];
    if (!ticketId) throw new AppError('BAD_INPUT', 'Name the ticket to sync with --ticket ID.');
    const resume = flagBool(args, 'resume');
    if (!resume && drives.length === 0) throw new AppError('BAD_INPUT', 'Name the drive(s) to write with --drive DEV.');
    const ticket = new TicketStore().get(ticketId);
    const sites = await resolveSites({ appliance: flagString(args, 'source'), offsite: flagString(args, 'offsite'), applianceSerial: ticket.request.applianceSerial });
    const req = await zfsSyncRequestFor(ticket.id, ticket.request, sites, drives, { resume, eject: !flagBool(args, 'no-eject'), actor: flagString(args, 'by') ?? 'cli' });
    const ac = cancelOnSignals();
    const r = await runZfsSync(req, { signal: ac.signal, onProgress: progressPrinter(true) });
    const human = [
      `Ticket ${r.manifest.ticketId}: ${r.pointsSent} point(s) sent${r.pointsSkipped ? `, ${r.pointsSkipped} already proven on the unit` : ''}, ${(r.bytes / 1e6).toFixed(1)} MB, unit pool ${r.pool}.`,
      ...r.systems.map((s) => `  ${s.system.padEnd(14)} ${String(s.points).padStart(4)} point(s) ${(s.bytesSent / 1e6).toFixed(1).padStart(9)} MB`),
      r.ejected ? 'The unit is exported: it can be unplugged.' : 'The unit is still imported (--no-eject).',
    ].join('\n');
    return { json: { ...r }, human };
  },
};
