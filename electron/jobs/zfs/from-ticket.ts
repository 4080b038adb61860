// From a ticket to the sync job's request: read both sides' points, resolve each system's selection
// with the chain rules, and name the datasets the points come from.
import { AppError } from '../../api/errors.ts';
import { readInventories, selectedInventories } from '../../appliance/inventory.ts';
import { sendingRoot, type Sites } from '../../appliance/sites.ts';
import { readDirection } from '../../tickets/model/plan-ticket.ts';
import { resolveSelection } from '../../chain/resolve.ts';
import type { TicketInput } from '../../tickets/model/ticket-schema.ts';
import { estimateSystemBytes } from './estimate.ts';
import { syncSystemFrom } from './from-plan.ts';
import type { ZfsSyncRequest } from './sync.ts';

export async function zfsSyncRequestFor(
  ticketId: string,
  request: TicketInput,
  sites: Sites,
  devices: string[],
  opts: { resume?: boolean; eject?: boolean; actor?: string; lockOverrides?: Record<string, string> } = {},
): Promise<ZfsSyncRequest> {
  if (request.format.filesystem !== 'zfs' || request.format.layout !== 'datasets') {
    throw new AppError('BAD_INPUT', `Ticket ${ticketId} asks for ${request.format.filesystem} ${request.format.layout}; this command writes ZFS units.`);
  }
  const sourceRoot = sendingRoot(sites, request);
  const invs = await readInventories(sites);
  const systems = [];
  for (const { sel, inv } of selectedInventories(request.systems, invs, ticketId, sites.appliance)) {
    const r = resolveSelection(inv, sel.points, 'zfs', opts.lockOverrides?.[sel.name], { direction: readDirection(request) });
    const sys = syncSystemFrom(r, `${sourceRoot}/${sel.name}`, { encrypted: inv.encrypted });
    sys.estimatedBytes = await estimateSystemBytes(sys);
    systems.push(sys);
  }
  return {
    ticketId,
    applianceSerial: request.applianceSerial,
    direction: request.direction,
    source: { host: 'local', root: sourceRoot },
    devices,
    systems,
    resume: opts.resume,
    eject: opts.eject,
    actor: opts.actor,
  };
}
