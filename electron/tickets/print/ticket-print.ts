// What `tickets.print` hands back: a ticket's label or packing slip as PDF bytes with a file name,
// the same shape as a kept-unit report (`reports.kept`), so the UI saves or shows both one way.
import type { MethodRequest } from '../../api/contract.ts';
import type { Ticket } from '../model/ticket-view.ts';
import { labelPdf } from './label-pdf.ts';
import { packingSlipPdf } from './packing-slip-pdf.ts';

/** The contract's list of printouts is the only one. */
export type PrintKind = MethodRequest<'tickets.print'>['kind'];

export interface Printout {
  fileName: string;
  mediaType: 'application/pdf';
  bytes: Buffer;
}

export async function printTicket(t: Ticket, kind: PrintKind): Promise<Printout> {
  const bytes = kind === 'label' ? await labelPdf(t) : await packingSlipPdf(t);
  // The id is the canonical ticket number (digits only), so the name is safe on every filesystem.
  return { fileName: `ticket-${t.id}-${kind}.pdf`, mediaType: 'application/pdf', bytes };
}
