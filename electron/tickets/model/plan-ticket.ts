// A ticket's request in the shape the planner takes (chain/plan.ts), so sizing, media choice and
// fees are computed from the same form the technician filled in.
import type { PlanTicket } from '../../chain/plan.ts';
import type { Direction } from '../../chain/types.ts';
import type { TicketInput } from './ticket-schema.ts';

export function planTicketOf(request: TicketInput): PlanTicket {
  const image = request.format.layout === 'image';
  return {
    direction: request.direction,
    readFrom: readsFromAppliance(request) ? 'appliance' : 'offsite',
    format: image ? 'image' : request.format.filesystem,
    ...(image ? { imageFormat: request.format.imageFormat, imageFs: request.format.filesystem } : {}),
    disasterRecovery: request.disasterRecovery,
    selections: Object.fromEntries(request.systems.map((s) => [s.name, s.points])),
  };
}

/** A RoundTrip reads the appliance; a revRT reads the side its source names (the offsite copy by default). */
export function readsFromAppliance(request: Pick<TicketInput, 'direction' | 'source'>): boolean {
  return request.direction === 'forward' || request.source?.location === 'appliance';
}

/** How the chain orients the two sides for this ticket: the side it reads from is the sending one. */
export function readDirection(request: Pick<TicketInput, 'direction' | 'source'>): Direction {
  return readsFromAppliance(request) ? 'forward' : 'reverse';
}
