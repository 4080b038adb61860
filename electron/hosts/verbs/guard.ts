// `roundtrip guard list|release --ticket ID [--json]`: the guards a ticket's syncs placed on lock
// points (so retention keeps them while the unit travels), and releasing them once the unit is merged
// or the ticket is dropped. A merge that records the ticket as merged releases them by itself.
import { AppError } from '../../api/errors.ts';
import type { GuardRecord, GuardRelease } from '../../jobs/zfs/guards.ts';
import { call } from '../engine-client.ts';
import { flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'guard',
  summary: 'list or release the guards a ticket\'s syncs placed on lock points',
  usage: 'roundtrip guard list|release --ticket ID [--json]',
  async run(args) {
    const sub = args.positional[0];
    const ticket = flagString(args, 'ticket');
    if (!ticket) throw new AppError('BAD_INPUT', 'Name the ticket with --ticket ID.');
    if (sub === 'list') {
      const { guards } = (await call('guards.list', { ticketId: ticket })) as unknown as { guards: GuardRecord[] };
      const human = guards.length ? guards.map((g) => `  ${g.snapshot} (${g.method})`).join('\n') : `No sync of ticket ${ticket} placed a guard on this bench.`;
      return { json: { ticketId: ticket, guards }, human };
    }
    if (sub === 'release') {
      const { ticketId: _t, ...r } = (await call('guards.release', { ticketId: ticket })) as unknown as GuardRelease & { ticketId: string };
      const human = [
        `Ticket ${ticket}: ${r.released.length} guard(s) released.`,
        ...(r.absent.length ? [`  ${r.absent.length} guarded point(s) are not on this bench: ${r.absent.join(', ')}`] : []),
        ...r.failed.map((f) => `  could not release ${f.snapshot}: ${f.message}`),
      ].join('\n');
      return { json: { ticketId: ticket, ...r }, human, exitCode: r.failed.length ? 1 : 0 };
    }
    throw new AppError('BAD_INPUT', `${sub ? `"${sub}" is not a guard sub-verb. ` : ''}Say "guard list" or "guard release".`);
  },
};
