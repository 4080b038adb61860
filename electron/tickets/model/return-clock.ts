// R7: the return clock of a unit we lent, started by the "delivered" step.
//
// Boundaries are measured in exact 24-hour days from the recorded delivery instant (not calendar
// days, so time zones and DST never move a deadline), and each deadline itself still belongs to the
// earlier state:
//   out      0 <= elapsed <= 14 days   the unit is on time; day 14 exactly is still on time
//   due     14 <  elapsed <= 28 days   past the return date: a reminder, no penalty yet
//   late    28 <  elapsed <= 56 days   "late": the partner is notified (once)
//   overdue        elapsed >  56 days  the full replacement fee becomes due (notified once)
// Forward RoundTrips (the unit travels to our data center) and partner-supplied units have no clock.
import { stepRecord, type StepRecord } from './lifecycle.ts';
import type { TicketInput } from './ticket-schema.ts';

export const DAY_MS = 86_400_000;
export const RETURN_DUE_DAYS = 14;
export const RETURN_LATE_DAYS = 28;
export const RETURN_OVERDUE_DAYS = 56;

export type ClockState = 'out' | 'due' | 'late' | 'overdue';
export type ReturnState = 'not-applicable' | 'not-delivered' | ClockState | 'returned' | 'kept';

export const RETURN_STATE_LABEL: Record<ReturnState, string> = {
  'not-applicable': 'no return clock',
  'not-delivered': 'not delivered yet',
  out: 'out, on time',
  due: 'past the 14-day return date',
  late: 'late (over 28 days)',
  overdue: 'overdue (over 56 days): replacement fee due',
  returned: 'returned',
  kept: 'kept by the partner',
};

export interface ReturnClock {
  state: ReturnState;
  deliveredAt?: string;
  /** Return by this instant to be on time (delivery + 14 days). */
  dueBy?: string;
  /** After this instant the unit is late (delivery + 28 days). */
  lateAfter?: string;
  /** After this instant the replacement fee is due (delivery + 56 days). */
  overdueAfter?: string;
  /** Whole days since delivery (until the return, for a closed ticket). */
  daysOut?: number;
  /** For a returned or kept unit: which clock state it had reached at that moment. */
  stateAtClose?: ClockState;
  closedAt?: string;
}

/** Which R7 state a unit delivered at `deliveredAt` is in at `at`. */
export function clockStateAt(deliveredAt: Date, at: Date): ClockState {
  const elapsed = at.getTime() - deliveredAt.getTime();
  if (elapsed > RETURN_OVERDUE_DAYS * DAY_MS) return 'overdue';
  if (elapsed > RETURN_LATE_DAYS * DAY_MS) return 'late';
  if (elapsed > RETURN_DUE_DAYS * DAY_MS) return 'due';
  return 'out';
}

/** Only a Reverse RoundTrip on a unit we supplied has to come back to us. */
export function returnClockApplies(request: Pick<TicketInput, 'direction' | 'unit'>): boolean {
  return request.direction === 'reverse' && request.unit.providedBy === 'datacenter';
}

export function returnClock(request: Pick<TicketInput, 'direction' | 'unit'>, steps: readonly StepRecord[], now: Date): ReturnClock {
  if (!returnClockApplies(request)) return { state: 'not-applicable' };
  const delivered = stepRecord(steps, 'delivered');
  if (!delivered) return { state: 'not-delivered' };
  const d = new Date(delivered.at);
  const plus = (days: number) => new Date(d.getTime() + days * DAY_MS).toISOString();
  const base = {
    deliveredAt: delivered.at,
    dueBy: plus(RETURN_DUE_DAYS),
    lateAfter: plus(RETURN_LATE_DAYS),
    overdueAfter: plus(RETURN_OVERDUE_DAYS),
  };
  const end = stepRecord(steps, 'returned') ?? stepRecord(steps, 'kept');
  if (end) {
    const closed = new Date(end.at);
    return {
      ...base,
      state: end.step === 'returned' ? 'returned' : 'kept',
      daysOut: Math.max(0, Math.floor((closed.getTime() - d.getTime()) / DAY_MS)),
      stateAtClose: clockStateAt(d, closed),
      closedAt: end.at,
    };
  }
  return { ...base, state: clockStateAt(d, now), daysOut: Math.max(0, Math.floor((now.getTime() - d.getTime()) / DAY_MS)) };
}
