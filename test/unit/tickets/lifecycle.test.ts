import { describe, it, expect } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { nextSteps, planStep, STEPS, type AdvanceOptions, type StepRecord } from '../../../electron/tickets/model/lifecycle.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const now = new Date(T0 + 365 * 86_400_000);

/** Walks a ticket through `names`, one hour apart, with the data each step needs. */
function walk(direction: 'forward' | 'reverse', names: string[]): StepRecord[] {
  const steps: StepRecord[] = [];
  names.forEach((name, i) => {
    steps.push(planStep({ id: '1234567', request: { direction }, steps }, name, { by: 'jane', at: new Date(T0 + i * 3_600_000), ...dataFor(name) }, now));
  });
  return steps;
}

function dataFor(step: string): Partial<AdvanceOptions> {
  if (step === 'shipped') return { trackingNumber: '794612345678' };
  if (step === 'estimate-confirmed' || step === 'synced') return { bytes: 1e12 };
  return {};
}

function err(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a throw');
}

const UNTIL_DELIVERED = ['consultation', 'details-verified', 'estimate-confirmed', 'synced', 'verified', 'packed', 'shipped', 'delivered'];

describe('ticket lifecycle (R17)', () => {
  it('runs every step in order and records who and when', () => {
    const steps = walk('reverse', [...UNTIL_DELIVERED, 'merged', 'returned']);
    expect(steps.map((s) => s.step)).toEqual(STEPS.filter((s) => s !== 'kept'));
    expect(steps.every((s) => s.by === 'jane')).toBe(true);
    expect(steps[0].at).toBe('2025-03-01T12:00:00.000Z');
    expect(steps.find((s) => s.step === 'shipped')!.trackingNumber).toBe('794612345678');
    expect(steps.find((s) => s.step === 'synced')!.bytes).toBe(1e12);
    expect(nextSteps({ direction: 'reverse' }, steps)).toEqual([]);
  });

  it('offers merge, return or keep after delivery of a reverse RoundTrip', () => {
    const steps = walk('reverse', UNTIL_DELIVERED);
    expect(nextSteps({ direction: 'reverse' }, steps)).toEqual(['merged', 'returned', 'kept']);
    expect(walk('reverse', [...UNTIL_DELIVERED, 'kept']).at(-1)!.step).toBe('kept');
    expect(walk('reverse', [...UNTIL_DELIVERED, 'returned']).at(-1)!.step).toBe('returned');
    expect(nextSteps({ direction: 'reverse' }, walk('reverse', [...UNTIL_DELIVERED, 'merged']))).toEqual(['returned', 'kept']);
  });

  it('requires the merge for a forward RoundTrip and refuses "kept"', () => {
    const steps = walk('forward', UNTIL_DELIVERED);
    expect(nextSteps({ direction: 'forward' }, steps)).toEqual(['merged']);
    const e = err(() => planStep({ id: '7654321', request: { direction: 'forward' }, steps }, 'kept', { by: 'x' }, now));
    expect(e.code).toBe('TICKET_BAD_TRANSITION');
    expect(e.message).toBe("Ticket 7654321: a RoundTrip unit comes to the data center; only a Reverse RoundTrip's partner can keep it.");
    expect(err(() => planStep({ id: '7654321', request: { direction: 'forward' }, steps }, 'returned', { by: 'x' }, now)).message).toMatch(/next step is "merged"/);
  });

  it('refuses a step out of order, naming the next step', () => {
    const steps = walk('reverse', ['consultation']);
    const e = err(() => planStep({ id: '1234567', request: { direction: 'reverse' }, steps }, 'shipped', { by: 'x', trackingNumber: '794612345678' }, now));
    expect(e.code).toBe('TICKET_BAD_TRANSITION');
    expect(e.message).toBe('Ticket 1234567: cannot be marked shipped yet: the next step is "details-verified" (technical and logistics details verified).');
    expect(e.data).toMatchObject({ step: 'shipped', allowed: ['details-verified'] });
  });

  it('refuses a step twice, an unknown step, and anything after the end', () => {
    const one = walk('reverse', ['consultation']);
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: one }, 'consultation', { by: 'x' }, now)).message).toBe(
      'Ticket 1: already marked consultation done by jane on 2025-03-01 12:00 UTC.',
    );
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: one }, 'billed', { by: 'x' }, now)).message).toMatch(/"billed" is not a checklist step/);
    const done = walk('reverse', [...UNTIL_DELIVERED, 'returned']);
    const e = err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: done }, 'kept', { by: 'x' }, now));
    expect(e.code).toBe('TICKET_BAD_TRANSITION');
    expect(e.message).toMatch(/the ticket is closed: the unit was returned on/);
  });

  it('needs the outbound tracking number to ship, and sizes for estimate and sync', () => {
    const packed = walk('reverse', UNTIL_DELIVERED.slice(0, 6));
    const e = err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: packed }, 'shipped', { by: 'x' }, now));
    expect(e.code).toBe('TICKET_INVALID');
    expect(e.data!.fields).toEqual([{ field: 'trackingNumber', message: 'Shipping needs the outbound tracking number.' }]);
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: packed }, 'shipped', { by: 'x', trackingNumber: '12 34' }, now)).data!.fields).toEqual([
      { field: 'trackingNumber', message: 'The tracking number must be 8 to 34 letters or digits with no spaces.' },
    ]);
    const verified = walk('reverse', UNTIL_DELIVERED.slice(0, 2));
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: verified }, 'estimate-confirmed', { by: 'x' }, now)).data!.fields).toEqual([
      { field: 'bytes', message: 'Record the estimated size in bytes: the fee estimate is computed from it (R6).' },
    ]);
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: verified }, 'estimate-confirmed', { by: 'x', bytes: -1 }, now)).code).toBe('TICKET_INVALID');
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: [] }, 'consultation', { by: 'x', bytes: 5 }, now)).data!.fields).toEqual([
      { field: 'bytes', message: 'A size belongs to "estimate-confirmed" or "synced", not to "consultation".' },
    ]);
  });

  it('needs who, refuses dates in the future and dates before the previous step', () => {
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: [] }, 'consultation', { by: '  ' }, now)).data!.fields).toEqual([
      { field: 'by', message: 'Say who did this step (a name).' },
    ]);
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: [] }, 'consultation', { by: 'x', at: new Date(now.getTime() + 3_600_000) }, now)).data!.fields).toEqual([
      { field: 'at', message: 'A step cannot be recorded in the future.' },
    ]);
    expect(err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: [] }, 'consultation', { by: 'x', at: 'yesterday' }, now)).data!.fields![0 as never]).toMatchObject({ field: 'at' });
    const one = walk('reverse', ['consultation']);
    const e = err(() => planStep({ id: '1', request: { direction: 'reverse' }, steps: one }, 'details-verified', { by: 'x', at: new Date(T0 - 1000) }, now));
    expect(e.code).toBe('TICKET_BAD_TRANSITION');
    expect(e.message).toMatch(/cannot be dated before the previous step/);
    // Defaults to the clock it is given.
    expect(planStep({ id: '1', request: { direction: 'reverse' }, steps: [] }, 'consultation', { by: 'x' }, now).at).toBe(now.toISOString());
  });

  it('packing needs every required item checked', () => {
    const verified = walk('reverse', UNTIL_DELIVERED.slice(0, 5));
    const t = { id: '1', request: { direction: 'reverse' as const }, steps: verified };
    const e = err(() => planStep(t, 'packed', { by: 'x', items: ['box'] }, now, { requiredItems: ['box', 'foam'] }));
    expect(e.code).toBe('TICKET_BAD_TRANSITION');
    expect(e.message).toBe('Ticket 1: cannot be marked packed: these items are not checked: foam.');
    expect(planStep(t, 'packed', { by: 'x' }, now, { requiredItems: ['box', 'foam'] }).items).toEqual(['box', 'foam']);
  });
});
