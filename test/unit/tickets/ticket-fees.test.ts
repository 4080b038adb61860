import { describe, it, expect } from 'vitest';
import { TB } from '../../../electron/chain/units.ts';
import type { StepRecord } from '../../../electron/tickets/model/lifecycle.ts';
import { DAY_MS } from '../../../electron/tickets/model/return-clock.ts';
import { computeTicketFees, DEFAULT_REPLACEMENT_FEES } from '../../../electron/tickets/model/ticket-fees.ts';
import { validateTicketInput } from '../../../electron/tickets/model/validate.ts';
import { forwardRequest, reverseRequest } from './fixtures.ts';

const fees = { 'usb-drive': 300, 'nas-unit': 2500 };
const delivered = new Date('2025-03-01T00:00:00Z');
const atDay = (d: number) => new Date(delivered.getTime() + d * DAY_MS);
const synced = (bytes: number): StepRecord => ({ step: 'synced', by: 'x', at: '2025-02-20T00:00:00.000Z', bytes });
const deliveredStep: StepRecord = { step: 'delivered', by: 'x', at: delivered.toISOString() };

describe('ticket fees', () => {
  it('defaults replacement fees from resources/fees.json', () => {
    expect(DEFAULT_REPLACEMENT_FEES).toEqual({ 'usb-drive': 300, 'nas-unit': 2500 });
  });

  it.each([
    [0.1 * TB, 50],
    [2.0 * TB, 50],
    [2.0 * TB + 1, 100],
    [2.1 * TB, 100],
    [3.0 * TB, 100],
    [3.1 * TB, 150],
    [4.0 * TB, 150],
    [4.0 * TB + 1, 200],
  ])('R6: %d bytes synced cost $%i', (bytes, usd) => {
    const f = computeTicketFees({ request: validateTicketInput(reverseRequest()), steps: [synced(bytes)], now: atDay(0), replacementFees: fees });
    expect(f.sync).toMatchObject({ usd, basis: 'actual', bytes, waived: false });
    expect(f.totalUsd).toBe(usd);
  });

  it('uses the confirmed estimate, then the request estimate, until the sync is recorded', () => {
    const request = validateTicketInput(reverseRequest({ source: { location: 'offsite', estimatedBytes: 2.5 * TB } }));
    expect(computeTicketFees({ request, steps: [], now: atDay(0), replacementFees: fees }).sync).toMatchObject({ usd: 100, basis: 'estimate' });
    const est: StepRecord = { step: 'estimate-confirmed', by: 'x', at: '2025-02-01T00:00:00.000Z', bytes: 3.5 * TB };
    expect(computeTicketFees({ request, steps: [est], now: atDay(0), replacementFees: fees }).sync).toMatchObject({ usd: 150, basis: 'estimate' });
    expect(computeTicketFees({ request, steps: [est, synced(1 * TB)], now: atDay(0), replacementFees: fees }).sync).toMatchObject({ usd: 50, basis: 'actual' });
    const noSize = validateTicketInput(reverseRequest({ source: { location: 'offsite' } }));
    expect(computeTicketFees({ request: noSize, steps: [], now: atDay(0), replacementFees: fees }).sync).toMatchObject({ usd: 0, basis: 'none' });
  });

  it('charges the replacement fee after day 56, not on it', () => {
    const request = validateTicketInput(reverseRequest());
    const steps = [synced(1 * TB), deliveredStep];
    const on56 = computeTicketFees({ request, steps, now: atDay(56), replacementFees: fees });
    expect(on56.replacement).toMatchObject({ usd: 0, due: false, listUsd: 300 });
    const on57 = computeTicketFees({ request, steps, now: atDay(57), replacementFees: fees });
    expect(on57.replacement).toMatchObject({ usd: 300, due: true, unitKind: 'usb-drive' });
    expect(on57.totalUsd).toBe(350);
  });

  it('charges a kept unit its replacement fee, by unit kind', () => {
    const request = validateTicketInput(reverseRequest({ unit: { providedBy: 'datacenter', kind: 'nas-unit' } }));
    const kept: StepRecord = { step: 'kept', by: 'x', at: atDay(3).toISOString(), replacementUsd: 2500 };
    const f = computeTicketFees({ request, steps: [deliveredStep, kept], now: atDay(4), replacementFees: fees });
    expect(f.replacement).toMatchObject({ usd: 2500, due: true, fixedAt: kept.at });
    expect(f.replacement.reason).toBe('The partner kept the unit: replacement fee $2500 (nas-unit).');
  });

  it('keeps the amount a fee had when it fell due, even if the settings change later', () => {
    const request = validateTicketInput(reverseRequest());
    const steps = [deliveredStep];
    const first = computeTicketFees({ request, steps, now: atDay(60), replacementFees: fees });
    const later = computeTicketFees({ request, steps, now: atDay(90), replacementFees: { ...fees, 'usb-drive': 999 }, previous: first });
    expect(later.replacement.usd).toBe(300);
    const kept: StepRecord = { step: 'kept', by: 'x', at: atDay(3).toISOString(), replacementUsd: 300 };
    expect(computeTicketFees({ request, steps: [deliveredStep, kept], now: atDay(9), replacementFees: { ...fees, 'usb-drive': 999 } }).replacement.usd).toBe(300);
  });

  it('still owes the fee for a unit that came back after day 56, not for one back by day 56', () => {
    const request = validateTicketInput(reverseRequest());
    const back = (d: number): StepRecord => ({ step: 'returned', by: 'x', at: atDay(d).toISOString() });
    expect(computeTicketFees({ request, steps: [deliveredStep, back(56)], now: atDay(90), replacementFees: fees }).replacement.due).toBe(false);
    expect(computeTicketFees({ request, steps: [deliveredStep, back(58)], now: atDay(90), replacementFees: fees }).replacement).toMatchObject({ due: true, usd: 300 });
  });

  it('waives every fee for a disaster-recovery ticket (R6)', () => {
    const request = validateTicketInput(reverseRequest({ disasterRecovery: true }));
    const f = computeTicketFees({ request, steps: [synced(3.5 * TB), deliveredStep], now: atDay(80), replacementFees: fees });
    expect(f.sync).toMatchObject({ usd: 0, waived: true });
    expect(f.sync.explanation).toMatch(/would be \$150/);
    expect(f.replacement).toMatchObject({ usd: 0, waived: true, due: true, listUsd: 300 });
    expect(f.totalUsd).toBe(0);
  });

  it('never charges a replacement for a partner-supplied unit or a forward RoundTrip', () => {
    const partner = validateTicketInput(reverseRequest({ unit: { providedBy: 'partner', kind: 'usb-drive', inboundTracking: '123456789012' } }));
    expect(computeTicketFees({ request: partner, steps: [deliveredStep], now: atDay(200), replacementFees: fees }).replacement).toMatchObject({ usd: 0, due: false });
    const fwd = validateTicketInput(forwardRequest());
    expect(computeTicketFees({ request: fwd, steps: [deliveredStep], now: atDay(200), replacementFees: fees }).replacement).toMatchObject({ usd: 0, due: false });
  });
});
