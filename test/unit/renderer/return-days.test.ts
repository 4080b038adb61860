// The return clock's days as the Return clock screen words them, from the engine's own clock
// (returnClock) at the R7 boundaries: day 14 still on time, 28 still "due", 56 still "late".
import { describe, it, expect } from 'vitest';
import { returnClock } from '../../../electron/tickets/model/return-clock.ts';
import type { StepRecord } from '../../../electron/tickets/model/lifecycle.ts';
import { returnDays } from '../../../renderer/screens/returns/return-days.ts';

const DAY = 86_400_000;
const delivered = new Date('2025-03-01T12:00:00Z');
const request = { direction: 'reverse', unit: { providedBy: 'datacenter', kind: 'usb-drive' } } as const;
const steps = (extra: StepRecord[] = []): StepRecord[] => [{ step: 'delivered', by: 't', at: delivered.toISOString() }, ...extra];
const at = (days: number) => new Date(delivered.getTime() + days * DAY);
const words = (days: number, extra?: StepRecord[]) => returnDays(returnClock(request as never, steps(extra), at(days)), at(days));

describe('return clock days', () => {
  it('counts down to the return date while out, and day 14 is still on time', () => {
    expect(words(3)).toBe('11 days left to the return date');
    expect(words(14)).toBe('0 days left to the return date');
  });
  it('counts days past the return date and to the next boundary', () => {
    expect(words(15)).toBe('1 day past the return date; late in 13 days');
    expect(words(30)).toBe('16 days over the return date; overdue in 26 days');
    expect(words(60)).toBe('46 days over the return date');
  });
  it('says how long a closed unit was out', () => {
    expect(words(40, [{ step: 'returned', by: 't', at: at(20).toISOString() }])).toBe('returned after 20 days out');
  });
});
