// The protection at rest of a ticket's unit (issue 21): what the plan states (chain/protection.ts,
// with what this bench has) and the sync's check of the technician's choice before anything is
// erased. Choosing to ship a unit unencrypted is recorded in the ticket's audit.
import { existsSync } from 'node:fs';
import { AppError } from '../api/errors.ts';
import { protectionFor, type ProtectionStatement } from '../chain/protection.ts';
import type { Protection } from '../chain/types.ts';
import { probeZfs } from '../system/zfs/index.ts';
import { appendAudit } from '../tickets/audit.ts';
import type { TicketInput } from '../tickets/model/ticket-schema.ts';

export async function protectionOf(request: Pick<TicketInput, 'format'>, media: 'usb' | 'nas'): Promise<ProtectionStatement> {
  const caps = await probeZfs().catch(() => ({ nativeEncryption: false }));
  return protectionFor({
    filesystem: request.format.filesystem,
    layout: request.format.layout,
    media,
    deviceMapper: existsSync('/dev/mapper/control'),
    nativeEncryption: caps.nativeEncryption,
  });
}

/** The technician's choice checked against what the unit can get; a plain unit's choice is audited. */
export async function chooseProtection(
  ticket: { id: string; request: Pick<TicketInput, 'format'> },
  media: 'usb' | 'nas',
  chosen: Protection | undefined,
  actor: string,
): Promise<Protection> {
  const statement = await protectionOf(ticket.request, media);
  if (chosen === undefined) {
    throw new AppError('PROTECTION_NOT_CHOSEN', `Choose how ticket ${ticket.id}'s unit is protected before it is written: ${statement.options.map((o) => (o === 'sealed' ? '"sealed" (encrypted)' : '"unencrypted"')).join(' or ')}. Nothing was erased.`, {
      hint: `${statement.sentence} In the CLI: ${statement.options.map((o) => (o === 'sealed' ? '--seal' : '--unencrypted')).join(' or ')}.`,
    });
  }
  if (!statement.options.includes(chosen)) {
    throw new AppError('PROTECTION_UNAVAILABLE', `Ticket ${ticket.id}'s unit cannot be sealed: ${statement.sentence} Nothing was erased.`, { hint: 'Choose "unencrypted" to ship it as it is.' });
  }
  if (chosen === 'unencrypted') {
    appendAudit({ actor, action: 'unit.protection', ticketId: ticket.id, details: { protection: 'unencrypted', media, format: `${ticket.request.format.filesystem} ${ticket.request.format.layout}`, offered: statement.options } });
  }
  return chosen;
}
