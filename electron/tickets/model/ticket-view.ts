// The ticket as every screen and the CLI show it: the stored request and steps, plus what follows
// from them at a given moment (next steps, return clock, fees, packing and labels).
import { currentStep, isClosed, nextSteps, type Step, type StepRecord } from './lifecycle.ts';
import { inboundAddress, outboundAddressLines, packingChecklist, returnLabel, unitLabel, type PackingItem, type ReturnLabel, type UnitLabel } from './packing.ts';
import { DATA_CENTERS, type DataCenter } from './data-centers.ts';
import { returnClock, type ReturnClock } from './return-clock.ts';
import { computeTicketFees, type ReplacementFees, type TicketFees } from './ticket-fees.ts';
import type { TicketInput } from './ticket-schema.ts';

export interface TicketRecord {
  id: string;
  request: TicketInput;
  steps: StepRecord[];
  /** The fees as last stored (frozen replacement amounts live here). */
  storedFees?: TicketFees;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface Ticket {
  id: string;
  request: TicketInput;
  steps: StepRecord[];
  current: Step | null;
  nextSteps: Step[];
  closed: boolean;
  returnClock: ReturnClock;
  fees: TicketFees;
  packing: {
    items: PackingItem[];
    unitLabel: UnitLabel;
    returnLabel: ReturnLabel;
    /** Where a partner-supplied unit must be sent first (R15), else null. */
    inboundAddress: DataCenter | null;
    /** Where the synced unit is shipped. */
    shipTo: string[];
  };
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** `dataCenters`: the bench's configured addresses (settings), the resource file's by default. */
export function ticketView(rec: TicketRecord, now: Date, replacementFees: ReplacementFees, dataCenters: readonly DataCenter[] = DATA_CENTERS): Ticket {
  const { request, steps } = rec;
  return {
    id: rec.id,
    request,
    steps,
    current: currentStep(steps),
    nextSteps: nextSteps(request, steps),
    closed: isClosed(steps),
    returnClock: returnClock(request, steps, now),
    fees: computeTicketFees({ request, steps, now, replacementFees, previous: rec.storedFees }),
    packing: {
      items: packingChecklist(request),
      unitLabel: unitLabel(request),
      returnLabel: returnLabel(request, dataCenters),
      inboundAddress: inboundAddress(request, dataCenters),
      shipTo: outboundAddressLines(request, dataCenters),
    },
    createdAt: rec.createdAt,
    createdBy: rec.createdBy,
    updatedAt: rec.updatedAt,
  };
}
