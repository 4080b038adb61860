// R7's clock in days a technician reads: how many days are left before the next boundary, or how
// many are over the one passed. Pure; the boundaries come from the engine's clock (dueBy,
// lateAfter, overdueAfter), never recomputed here.
import type { ReturnClock } from '../../../electron/tickets/model/return-clock.ts';
import type { TicketFees } from '../../../electron/tickets/model/ticket-fees.ts';
import { usd } from '../../app/format.ts';

const DAY_MS = 86_400_000;

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** Whole days from `from` to `to` (rounded down), never negative. */
function between(from: string, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - Date.parse(from)) / DAY_MS));
}

export function returnDays(clock: ReturnClock, now: Date): string {
  switch (clock.state) {
    case 'out':
      return clock.dueBy ? `${days(Math.max(0, Math.ceil((Date.parse(clock.dueBy) - now.getTime()) / DAY_MS)))} left to the return date` : '';
    case 'due':
      return clock.dueBy && clock.lateAfter ? `${days(between(clock.dueBy, now))} past the return date; late in ${days(Math.max(0, Math.ceil((Date.parse(clock.lateAfter) - now.getTime()) / DAY_MS)))}` : '';
    case 'late':
      return clock.dueBy && clock.overdueAfter
        ? `${days(between(clock.dueBy, now))} over the return date; overdue in ${days(Math.max(0, Math.ceil((Date.parse(clock.overdueAfter) - now.getTime()) / DAY_MS)))}`
        : '';
    case 'overdue':
      return clock.dueBy ? `${days(between(clock.dueBy, now))} over the return date` : '';
    case 'returned':
    case 'kept':
      return clock.daysOut !== undefined ? `${clock.state === 'returned' ? 'returned' : 'kept'} after ${days(clock.daysOut)} out` : '';
    default:
      return '';
  }
}

/** The replacement fee that applies now, or the one that would if the partner kept the unit. */
export function feeWords(fees: TicketFees, clock: ReturnClock): string {
  const r = fees.replacement;
  if (r.due) return r.waived ? `${usd(r.listUsd)} replacement fee, waived (disaster recovery)` : `${usd(r.usd)} replacement fee due`;
  if (clock.state === 'returned') return 'no replacement fee: returned in time';
  return `no fee yet (${usd(r.listUsd)} if kept or past day 56)`;
}
