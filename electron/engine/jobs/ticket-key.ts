// The key a job holds a ticket by: its canonical number ("T1234567" and "1234567" are one ticket),
// or the reference as given when it is no ticket number at all (a format labelled for a free-form
// reference): holding must never fail a job that the work itself would accept.
import { canonicalTicketNumber } from '../../tickets/model/ticket-schema.ts';

export function ticketKey(ref: string): string {
  return canonicalTicketNumber(ref) ?? ref;
}
