import { describe, it, expect } from 'vitest';
import type { StepRecord } from '../../../electron/tickets/model/lifecycle.ts';
import { clockStateAt, DAY_MS, returnClock } from '../../../electron/tickets/model/return-clock.ts';

const delivered = new Date('2025-03-01T15:30:00Z');
const atDay = (d: number, ms = 0) => new Date(delivered.getTime() + d * DAY_MS + ms);
const ours = { direction: 'reverse' as const, unit: { providedBy: 'datacenter' as const, kind: 'usb-drive' as const } };
const steps = (extra: StepRecord[] = []): StepRecord[] => [{ step: 'delivered', by: 'fedex', at: delivered.toISOString() }, ...extra];

describe('return clock (R7)', () => {
  it.each([
    [0, 'out'],
    [13, 'out'],
    [14, 'out'],
    [15, 'due'],
    [27, 'due'],
    [28, 'due'],
    [29, 'late'],
    [55, 'late'],
    [56, 'late'],
    [57, 'overdue'],
    [400, 'overdue'],
  ])('day %i is %s', (d, state) => {
    expect(clockStateAt(delivered, atDay(d))).toBe(state);
    expect(returnClock(ours, steps(), atDay(d)).state).toBe(state);
  });

  it('each deadline instant still belongs to the earlier state; one millisecond later does not', () => {
    expect(clockStateAt(delivered, atDay(14))).toBe('out');
    expect(clockStateAt(delivered, atDay(14, 1))).toBe('due');
    expect(clockStateAt(delivered, atDay(28))).toBe('due');
    expect(clockStateAt(delivered, atDay(28, 1))).toBe('late');
    expect(clockStateAt(delivered, atDay(56))).toBe('late');
    expect(clockStateAt(delivered, atDay(56, 1))).toBe('overdue');
  });

  it('states the deadlines and the day count', () => {
    const c = returnClock(ours, steps(), atDay(20, 5 * 3_600_000));
    expect(c).toMatchObject({
      state: 'due',
      deliveredAt: '2025-03-01T15:30:00.000Z',
      dueBy: '2025-03-15T15:30:00.000Z',
      lateAfter: '2025-03-29T15:30:00.000Z',
      overdueAfter: '2025-04-26T15:30:00.000Z',
      daysOut: 20,
    });
  });

  it('has no clock before delivery, for forward RoundTrips, or for partner-supplied units', () => {
    expect(returnClock(ours, [], atDay(100)).state).toBe('not-delivered');
    expect(returnClock({ ...ours, direction: 'forward' }, steps(), atDay(100)).state).toBe('not-applicable');
    expect(returnClock({ ...ours, unit: { providedBy: 'partner', kind: 'usb-drive' } }, steps(), atDay(100)).state).toBe('not-applicable');
  });

  it('stops at the return and remembers how late it was', () => {
    const back = steps([{ step: 'returned', by: 'x', at: atDay(30).toISOString() }]);
    expect(returnClock(ours, back, atDay(100))).toMatchObject({ state: 'returned', daysOut: 30, stateAtClose: 'late' });
    const kept = steps([{ step: 'kept', by: 'x', at: atDay(3).toISOString() }]);
    expect(returnClock(ours, kept, atDay(100))).toMatchObject({ state: 'kept', stateAtClose: 'out' });
  });
});
