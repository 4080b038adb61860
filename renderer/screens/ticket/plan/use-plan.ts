// The ticket's plan as the engine computes it for the drives and lock moves chosen so far, with
// the retention preview for the unit's arrival. Asked again whenever one of those changes.
import type { MethodResult } from '../../../../electron/api/contract.ts';
import { chosenDrives, useLocks, useSession } from '../../../app/session.ts';
import { useCall, useEvent, type CallState } from '../../../app/use-engine.ts';

export type Plan = MethodResult<'plan.forTicket'>;

/** Overnight out, a day at the partner's desk: points retention deletes before then are flagged. */
export const DEFAULT_ARRIVAL_DAYS = 3;

export function usePlan(ticketId: string, updatedAt: string, arrivalInDays = DEFAULT_ARRIVAL_DAYS): CallState<Plan> {
  useSession((s) => s.drives[ticketId]);
  const locks = useLocks((s) => s.locks[ticketId]);
  const drives = chosenDrives(ticketId);
  const lockMap = locks ?? {};
  const plan = useCall(
    'plan.forTicket',
    { ticketId, drives, ...(Object.keys(lockMap).length ? { locks: lockMap } : {}), retention: { arrivalInDays } },
    [ticketId, updatedAt, drives.join(','), JSON.stringify(lockMap), arrivalInDays],
  );
  useEvent('ticket.changed', (d) => d.ticketId === ticketId && plan.reload());
  return plan;
}
