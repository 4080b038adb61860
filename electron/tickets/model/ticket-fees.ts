// The fees a ticket carries: R6's sync fee (from chain/fees.ts) and R7's replacement fee, both
// waived for disaster recovery. Replacement amounts are configuration (settings, defaults in
// resources/fees.json); once a replacement fee falls due its amount is frozen on the ticket.
import defaults from '../../../resources/fees.json' with { type: 'json' };
import { syncFee, type SyncFee } from '../../chain/fees.ts';
import { stepRecord, type StepRecord } from './lifecycle.ts';
import { returnClock, returnClockApplies, RETURN_STATE_LABEL, type ReturnClock } from './return-clock.ts';
import { UNIT_KINDS, type TicketInput, type UnitKind } from './ticket-schema.ts';

export type ReplacementFees = Record<UnitKind, number>;

export const DEFAULT_REPLACEMENT_FEES: ReplacementFees = { ...(defaults.replacementFeesUsd as ReplacementFees) };

export function isReplacementFees(v: unknown): v is ReplacementFees {
  return (
    !!v &&
    typeof v === 'object' &&
    UNIT_KINDS.every((k) => {
      const n = (v as Record<string, unknown>)[k];
      return typeof n === 'number' && Number.isFinite(n) && n >= 0;
    })
  );
}

export interface TicketSyncFee extends SyncFee {
  /** 'actual' once "synced" records the bytes; before that the confirmed estimate, then the request's. */
  basis: 'none' | 'estimate' | 'actual';
  bytes: number | null;
}

export interface ReplacementFee {
  usd: number;
  waived: boolean;
  /** True once the partner kept the unit or it went past day 56 (R7). */
  due: boolean;
  /** The configured amount for this unit kind, shown before anything is due. */
  listUsd: number;
  unitKind: UnitKind;
  /** When the amount was frozen (the moment it fell due). */
  fixedAt?: string;
  reason: string;
}

export interface TicketFees {
  sync: TicketSyncFee;
  replacement: ReplacementFee;
  totalUsd: number;
}

function syncPart(request: TicketInput, steps: readonly StepRecord[]): TicketSyncFee {
  const synced = stepRecord(steps, 'synced');
  const estimate = stepRecord(steps, 'estimate-confirmed');
  const dr = { disasterRecovery: request.disasterRecovery };
  if (synced?.bytes !== undefined) return { ...syncFee(synced.bytes, dr), basis: 'actual', bytes: synced.bytes };
  const est = estimate?.bytes ?? request.source.estimatedBytes;
  if (est !== undefined) {
    const f = syncFee(est, dr);
    return { ...f, explanation: `Estimate: ${f.explanation}`, basis: 'estimate', bytes: est };
  }
  return { usd: 0, waived: request.disasterRecovery, explanation: 'No size known yet: the fee is computed when the estimate is confirmed.', basis: 'none', bytes: null };
}

function replacementPart(
  request: TicketInput,
  steps: readonly StepRecord[],
  clock: ReturnClock,
  fees: ReplacementFees,
  previous: ReplacementFee | undefined,
  now: Date,
): ReplacementFee {
  const kind = request.unit.kind;
  const listUsd = fees[kind];
  const none = (reason: string): ReplacementFee => ({ usd: 0, waived: false, due: false, listUsd, unitKind: kind, reason });
  if (!returnClockApplies(request)) {
    return none(request.unit.providedBy === 'partner' ? "The unit is the partner's own: no replacement fee." : 'A forward RoundTrip unit comes to the data center: no replacement fee.');
  }
  const kept = stepRecord(steps, 'kept');
  // An overdue unit owes the fee even if it comes back later: it fell due on day 56.
  const overdue = clock.state === 'overdue' || (clock.state === 'returned' && clock.stateAtClose === 'overdue');
  if (!kept && !overdue) return none(`Not due: the unit is ${RETURN_STATE_LABEL[clock.state]}.`);

  const frozen = kept?.replacementUsd ?? (previous?.due && previous.fixedAt ? previous.listUsd : undefined);
  const amount = frozen ?? listUsd;
  const fixedAt = kept ? kept.at : (previous?.due && previous.fixedAt) || now.toISOString();
  const why = kept ? 'The partner kept the unit' : 'The unit was not returned within 56 days of delivery';
  if (request.disasterRecovery) {
    return { usd: 0, waived: true, due: true, listUsd: amount, unitKind: kind, fixedAt, reason: `${why}; the $${amount} replacement fee is waived for a disaster-recovery ticket.` };
  }
  return { usd: amount, waived: false, due: true, listUsd: amount, unitKind: kind, fixedAt, reason: `${why}: replacement fee $${amount} (${kind}).` };
}

/**
 * Both fees as of `now`. `previous` is what the ticket stored last time, so a replacement fee that
 * already fell due keeps the amount it had then.
 */
export function computeTicketFees(args: {
  request: TicketInput;
  steps: readonly StepRecord[];
  now: Date;
  replacementFees: ReplacementFees;
  previous?: TicketFees;
}): TicketFees {
  const { request, steps, now } = args;
  const sync = syncPart(request, steps);
  const clock = returnClock(request, steps, now);
  const replacement = replacementPart(request, steps, clock, args.replacementFees, args.previous?.replacement, now);
  return { sync, replacement, totalUsd: sync.usd + replacement.usd };
}
