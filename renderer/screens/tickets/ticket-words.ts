// How a ticket's fields read in lists and headers.
import { DIRECTION_LABEL, type TicketInput } from '../../../electron/tickets/model/ticket-schema.ts';
import { STEP_LABEL, type Step } from '../../../electron/tickets/model/lifecycle.ts';
import type { Ticket } from '../../../electron/tickets/model/ticket-view.ts';

export function formatWords(f: TicketInput['format']): string {
  if (f.layout === 'datasets') return 'ZFS datasets';
  if (f.layout === 'browsable') return `${f.filesystem.toUpperCase()} folders`;
  return `${(f.imageFormat ?? 'raw').toUpperCase()} images on ${f.filesystem.toUpperCase()}`;
}

export function directionWords(t: Pick<Ticket, 'request'>): string {
  return DIRECTION_LABEL[t.request.direction];
}

export function partnerWords(r: TicketInput): string {
  const { name, resellerId } = r.partner;
  if (name && resellerId) return `${name} (${resellerId})`;
  return name || resellerId || '—';
}

/** Where the ticket stands: its last step done, or "new". */
export function stateWords(t: Ticket): string {
  if (t.current === null) return 'new';
  return STEP_LABEL[t.current as Step] ?? t.current;
}
