// R17's checklist as a state machine: steps happen in order, each records who and when, and the
// end is either "returned" or "kept". Pure: the store calls planStep() and writes what it returns.
import { AppError } from '../../api/errors.ts';
import { DIRECTION_LABEL, TRACKING_RE, TRACKING_RULE, type TicketInput } from './ticket-schema.ts';

export const STEPS = [
  'consultation',
  'details-verified',
  'estimate-confirmed',
  'synced',
  'verified',
  'packed',
  'shipped',
  'delivered',
  'merged',
  'returned',
  'kept',
] as const;
export type Step = (typeof STEPS)[number];

export const STEP_LABEL: Record<Step, string> = {
  consultation: 'consultation done',
  'details-verified': 'technical and logistics details verified',
  'estimate-confirmed': 'cost estimate confirmed',
  synced: 'synced',
  verified: 'verified',
  packed: 'packed',
  shipped: 'shipped',
  delivered: 'delivered',
  merged: 'merged back',
  returned: 'returned',
  kept: 'kept by the partner',
};

/** The two ways a ticket ends. */
export const FINAL_STEPS: readonly Step[] = ['returned', 'kept'];

export interface StepRecord {
  step: Step;
  /** Who did it: a technician's name as they typed it. */
  by: string;
  /** When it happened (ISO 8601). For "delivered" this starts the R7 return clock. */
  at: string;
  /** Outbound tracking for "shipped"; the return shipment's for "returned". */
  trackingNumber?: string;
  /** Estimated bytes for "estimate-confirmed", bytes actually synced for "synced" (R6 fee basis). */
  bytes?: number;
  /** Packing items confirmed for "packed" (ids from packingChecklist). */
  items?: string[];
  /** Replacement fee frozen when the partner keeps the unit, so later settings changes do not rewrite it. */
  replacementUsd?: number;
  note?: string;
}

export interface AdvanceOptions {
  by: string;
  at?: Date | string;
  trackingNumber?: string;
  bytes?: number;
  items?: string[];
  note?: string;
}

/** A technician's clock may run a little ahead of the bench's; beyond this, a future date is a typo. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function isStep(s: string): s is Step {
  return (STEPS as readonly string[]).includes(s);
}

export function stepRecord(steps: readonly StepRecord[], step: Step): StepRecord | undefined {
  return steps.find((s) => s.step === step);
}

export function isClosed(steps: readonly StepRecord[]): boolean {
  return steps.some((s) => FINAL_STEPS.includes(s.step));
}

/** The last step done, or null for a new ticket. */
export function currentStep(steps: readonly StepRecord[]): Step | null {
  return steps.length ? steps[steps.length - 1].step : null;
}

/**
 * The steps that may be recorded next. Merging back is optional for a reverse RoundTrip (R17) and
 * the whole point of a forward one; only a reverse RoundTrip's partner can keep the unit.
 */
export function nextSteps(request: Pick<TicketInput, 'direction'>, steps: readonly StepRecord[]): Step[] {
  if (isClosed(steps)) return [];
  const last = currentStep(steps);
  const next = STEPS[last === null ? 0 : STEPS.indexOf(last) + 1];
  const ends: Step[] = request.direction === 'reverse' ? ['returned', 'kept'] : ['returned'];
  if (next === 'merged') return request.direction === 'reverse' ? ['merged', ...ends] : ['merged'];
  if (next === 'returned' || next === 'kept') return ends;
  return [next];
}

function bad(ticketId: string, sentence: string, data: Record<string, unknown>): AppError {
  return new AppError('TICKET_BAD_TRANSITION', `Ticket ${ticketId}: ${sentence}`, { data });
}

function invalid(field: string, message: string): AppError {
  return new AppError('TICKET_INVALID', `The step is not valid: ${message}`, { data: { fields: [{ field, message }] } });
}

function day(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ') + ' UTC';
}

/**
 * Checks that `step` may be recorded now and returns the record to store. Throws
 * TICKET_BAD_TRANSITION for a step out of order, TICKET_INVALID for missing or malformed step data.
 */
export function planStep(
  ticket: { id: string; request: Pick<TicketInput, 'direction'>; steps: readonly StepRecord[] },
  stepName: string,
  opts: AdvanceOptions,
  now: Date,
  extra: { requiredItems?: readonly string[]; replacementUsd?: number } = {},
): StepRecord {
  const { id, request, steps } = ticket;
  if (!isStep(stepName)) {
    throw bad(id, `"${stepName}" is not a checklist step. The steps are: ${STEPS.join(', ')}.`, { step: stepName, steps: STEPS });
  }
  const step = stepName;
  const allowed = nextSteps(request, steps);
  const done = stepRecord(steps, step);
  if (done) {
    throw bad(id, `already marked ${STEP_LABEL[step]} by ${done.by} on ${day(done.at)}.`, { step, allowed });
  }
  if (isClosed(steps)) {
    const end = steps[steps.length - 1];
    throw bad(id, `the ticket is closed: the unit was ${STEP_LABEL[end.step]} on ${day(end.at)}.`, { step, allowed });
  }
  if (step === 'kept' && request.direction === 'forward') {
    throw bad(id, `a ${DIRECTION_LABEL.forward} unit comes to the data center; only a Reverse RoundTrip's partner can keep it.`, { step, allowed });
  }
  if (!allowed.includes(step)) {
    throw bad(id, `cannot be marked ${STEP_LABEL[step]} yet: the next step is ${allowed.map((s) => `"${s}" (${STEP_LABEL[s]})`).join(' or ')}.`, {
      step,
      allowed,
    });
  }

  const by = typeof opts.by === 'string' ? opts.by.trim() : '';
  if (!by) throw invalid('by', 'Say who did this step (a name).');
  if (by.length > 80) throw invalid('by', 'The name of who did the step must be at most 80 characters.');

  const atDate = opts.at === undefined ? now : new Date(opts.at);
  if (Number.isNaN(atDate.getTime())) throw invalid('at', `"${String(opts.at)}" is not a date; use ISO 8601, for example 2025-03-01T14:00:00Z.`);
  if (atDate.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw invalid('at', 'A step cannot be recorded in the future.');
  const prev = steps[steps.length - 1];
  if (prev && atDate.getTime() < Date.parse(prev.at)) {
    throw bad(id, `${STEP_LABEL[step]} cannot be dated before the previous step (${STEP_LABEL[prev.step]}, ${day(prev.at)}).`, { step, allowed });
  }

  const rec: StepRecord = { step, by, at: atDate.toISOString() };

  const wantsTracking = step === 'shipped' || step === 'returned';
  if (opts.trackingNumber !== undefined) {
    const t = String(opts.trackingNumber).trim();
    if (!wantsTracking) throw invalid('trackingNumber', `A tracking number belongs to "shipped" or "returned", not to "${step}".`);
    if (!TRACKING_RE.test(t)) throw invalid('trackingNumber', `The tracking number must be ${TRACKING_RULE}.`);
    rec.trackingNumber = t;
  } else if (step === 'shipped') {
    throw invalid('trackingNumber', 'Shipping needs the outbound tracking number.');
  }

  const wantsBytes = step === 'estimate-confirmed' || step === 'synced';
  if (opts.bytes !== undefined) {
    if (!wantsBytes) throw invalid('bytes', `A size belongs to "estimate-confirmed" or "synced", not to "${step}".`);
    if (typeof opts.bytes !== 'number' || !Number.isFinite(opts.bytes) || opts.bytes < 0) throw invalid('bytes', 'The size must be a number of bytes, zero or more.');
    rec.bytes = opts.bytes;
  } else if (wantsBytes) {
    throw invalid('bytes', step === 'synced' ? 'Record how many bytes were synced: the fee is charged on it (R6).' : 'Record the estimated size in bytes: the fee estimate is computed from it (R6).');
  }

  if (step === 'packed') {
    const required = extra.requiredItems ?? [];
    if (opts.items !== undefined) {
      const missing = required.filter((i) => !opts.items!.includes(i));
      if (missing.length) {
        throw bad(id, `cannot be marked packed: these items are not checked: ${missing.join(', ')}.`, { step, missing });
      }
      rec.items = [...opts.items];
    } else {
      // Marking "packed" without a list is the technician confirming every required item.
      rec.items = [...required];
    }
  } else if (opts.items !== undefined) {
    throw invalid('items', 'Packing items belong to the "packed" step.');
  }

  if (step === 'kept' && extra.replacementUsd !== undefined) rec.replacementUsd = extra.replacementUsd;
  if (opts.note !== undefined && String(opts.note).trim()) rec.note = String(opts.note).trim().slice(0, 2000);
  return rec;
}
