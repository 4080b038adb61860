// @vitest-environment happy-dom
// The range picker as a technician uses it, with a mouse and with the keyboard, read through its
// roles and accessible names: first and last by click, shift-click and keys; the lock moved only to
// common points; retention flags in words; 10,000 points rendered as a window.
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RangePicker, type RangePickerSystem } from '../../../renderer/components/range-picker/index.ts';
import { nameAt, pickerSystem } from './picker-fixtures.ts';

// happy-dom lays nothing out: the timeline's height comes from its `height` prop (its inline
// style), which is all the virtualizer needs to know how many rows fit.
const realClientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return Number.parseFloat(this.style.height) || 0;
    },
  });
});
afterAll(() => {
  if (realClientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', realClientHeight);
});
afterEach(cleanup);

// Ten hourly points, the oldest four offsite: the lock is point 3, points 4–9 can be synced.
const plain = pickerSystem(10, [0, 1, 2, 3]);
// happy-dom lays every element out as a block, so its accessible names gain a space around each
// inline part ("UTC ( 1700000000 ) , lock"); a browser joins them as the row's text reads.
const spoken = (name: string) => name.replace(/\(\s+/g, '(').replace(/\s+([),])/g, '$1');
const named = (re: RegExp) => (name: string) => re.test(spoken(name));
const option = (sys: RangePickerSystem, age: number) => screen.getByRole('option', { name: named(new RegExp(`\\(${nameAt(sys, age)}\\)`)) });
const selectedAges = (sys: RangePickerSystem) =>
  sys.rows.map((_, age) => age).filter((age) => option(sys, age).getAttribute('aria-selected') === 'true');

function setup(sys: RangePickerSystem = plain, retention?: { local: string[]; offsite: string[] }) {
  const onRangeChange = vi.fn();
  const onMoveLock = vi.fn();
  const user = userEvent.setup();
  render(<RangePicker system={sys} retention={retention} onRangeChange={onRangeChange} onMoveLock={onMoveLock} height={600} />);
  return { user, onRangeChange, onMoveLock, list: screen.getByRole('listbox') };
}

describe('RangePicker: first and last', () => {
  it('starts on the engine range and says it above the timeline', () => {
    setup();
    expect(selectedAges(plain)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(screen.getByText(/^6 points selected: first .*\(\d+\), last .*; lock .*\./)).toBeTruthy();
    expect(screen.getByRole('listbox').getAttribute('aria-multiselectable')).toBe('true');
  });

  it('a click on a point makes it the range; shift-click extends it; the ticket hears of each', async () => {
    const { user, onRangeChange } = setup();
    await user.click(option(plain, 7));
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(plain, 7), last: nameAt(plain, 7) });
    expect(selectedAges(plain)).toEqual([7]);
    await user.keyboard('{Shift>}');
    await user.click(option(plain, 5));
    await user.keyboard('{/Shift}');
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(plain, 5), last: nameAt(plain, 7) });
    expect(selectedAges(plain)).toEqual([5, 6, 7]);
    expect(screen.getByText(/^3 points selected/)).toBeTruthy();
  });

  it('shift-click across the lock stops the range before it and says why', async () => {
    const { user, onRangeChange } = setup();
    await user.click(option(plain, 6));
    await user.keyboard('{Shift>}');
    await user.click(option(plain, 1));
    await user.keyboard('{/Shift}');
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(plain, 4), last: nameAt(plain, 6) });
    expect(selectedAges(plain)).toEqual([4, 5, 6]);
    expect(screen.getByRole('status').textContent).toMatch(/The range stops before .*it is the lock/);
  });

  it('a click on a point that cannot be synced leaves the range and says why', async () => {
    const { user, onRangeChange } = setup();
    await user.click(option(plain, 1));
    expect(onRangeChange).not.toHaveBeenCalled();
    expect(selectedAges(plain)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(screen.getByRole('status').textContent).toMatch(/cannot be synced: both sides already hold it/);
  });

  it('arrows move the focus, shift+arrows extend, Home and End go to the ends', async () => {
    const { user, onRangeChange, list } = setup();
    const focused = () => document.getElementById(list.getAttribute('aria-activedescendant')!)!;
    await user.click(option(plain, 8));
    expect(document.activeElement).toBe(list);
    await user.keyboard('{ArrowDown}');
    expect(focused()).toBe(option(plain, 7));
    expect(selectedAges(plain)).toEqual([8]);
    await user.keyboard('{Shift>}{ArrowDown}{ArrowDown}{/Shift}');
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(plain, 5), last: nameAt(plain, 7) });
    await user.keyboard('{Shift>}{Home}{/Shift}');
    expect(focused()).toBe(option(plain, 9));
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(plain, 7), last: nameAt(plain, 9) });
    await user.keyboard('{End}');
    expect(focused()).toBe(option(plain, 0));
    await user.keyboard('{Home} ');
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(plain, 9), last: nameAt(plain, 9) });
  });
});

/** The picker over the chain's own answers: moving the lock asks again with the new lock, as the lead's screen does with plan.points `locks`. */
function LiveLock({ onMoveLock }: { onMoveLock(point: string): void }) {
  const [lockAt, setLockAt] = useState<number | undefined>(undefined);
  const sys = pickerSystem(10, [0, 1, 2, 3], lockAt);
  return (
    <RangePicker
      system={sys}
      onRangeChange={() => {}}
      onMoveLock={(p) => {
        onMoveLock(p);
        setLockAt(sys.rows.findIndex((r) => r.name === p));
      }}
      height={600}
    />
  );
}

describe('RangePicker: moving the lock', () => {
  const marked = () => screen.queryAllByRole('option', { name: named(/lock can move here/) });

  it('a double-click on the lock marks the common points; a double-click on one moves the lock there', async () => {
    const onMoveLock = vi.fn();
    const user = userEvent.setup();
    render(<LiveLock onMoveLock={onMoveLock} />);
    expect(marked()).toEqual([]);
    await user.dblClick(option(plain, 3));
    expect(marked()).toEqual([option(plain, 2), option(plain, 1), option(plain, 0)]);
    expect(within(option(plain, 1)).getByText('lock can move here')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/Moving the lock: 3 points are marked/);
    // A point only local is not a place for the lock.
    await user.dblClick(option(plain, 5));
    expect(onMoveLock).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toMatch(/cannot move to/);
    await user.dblClick(option(plain, 1));
    expect(onMoveLock).toHaveBeenCalledWith(nameAt(plain, 1));
    expect(marked()).toEqual([]);
    // The engine's new answer: the lock on point 1 and everything newer that is not offsite.
    expect(option(plain, 1).textContent).toMatch(/, lock,/);
    const summary = document.getElementById(screen.getByRole('listbox').getAttribute('aria-describedby')!)!;
    expect(summary.textContent).toMatch(new RegExp(`lock .*\\(${nameAt(plain, 1)}\\)\\. The lock was moved from the newest common point \\(${nameAt(plain, 3)}\\)`));
  });

  it('Enter on the lock starts the move, Enter on a common point moves it; Escape cancels', async () => {
    const { user, onMoveLock, list } = setup();
    await user.click(option(plain, 3));
    await user.keyboard('{Enter}');
    expect(marked()).toHaveLength(3);
    await user.keyboard('{Escape}');
    expect(marked()).toEqual([]);
    expect(screen.getByRole('status').textContent).toBe('The lock stays where it was.');
    expect(onMoveLock).not.toHaveBeenCalled();
    await user.keyboard('{Enter}{ArrowDown}{ArrowDown}{Enter}');
    expect(onMoveLock).toHaveBeenCalledWith(nameAt(plain, 1));
    expect(document.getElementById(list.getAttribute('aria-activedescendant')!)).toBe(option(plain, 1));
  });

  it('the button starts and ends the move too', async () => {
    const { user, onMoveLock } = setup();
    await user.click(screen.getByRole('button', { name: 'Move the lock…' }));
    expect(marked()).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Keep the lock where it is' }));
    expect(marked()).toEqual([]);
    expect(onMoveLock).not.toHaveBeenCalled();
  });
});

describe('RangePicker: states in words', () => {
  it('each row names its states; retention deletions are flagged in text and selected ones warned about', () => {
    setup(plain, { local: [nameAt(plain, 5)], offsite: [nameAt(plain, 0)] });
    expect(option(plain, 9).textContent).toMatch(/in range, last point to sync, can be synced$/);
    expect(option(plain, 4).textContent).toMatch(/in range, first point to sync, can be synced$/);
    expect(option(plain, 3).textContent).toMatch(/lock, already offsite$/);
    expect(option(plain, 2).textContent).toMatch(/already offsite, cannot be synced$/);
    expect(within(option(plain, 5)).getByText('deleted by retention before arrival on the appliance')).toBeTruthy();
    expect(within(option(plain, 0)).getByText('deleted by retention before arrival offsite')).toBeTruthy();
    expect(within(option(plain, 3)).getByText('lock')).toBeTruthy();
    expect(within(option(plain, 2)).getByText('already offsite')).toBeTruthy();
    expect(within(option(plain, 8)).getByText('can be synced')).toBeTruthy();
    expect(screen.getByText(/1 selected point .* is deleted by retention before arrival\./)).toBeTruthy();
  });
  it('keeps the range the technician chose when the retention preview arrives, and follows the engine when its ends change', async () => {
    const user = userEvent.setup();
    const props = { onRangeChange: vi.fn(), onMoveLock: vi.fn(), height: 600 };
    const { rerender } = render(<RangePicker system={plain} {...props} />);
    await user.click(option(plain, 7));
    rerender(<RangePicker system={plain} retention={{ local: [nameAt(plain, 7)], offsite: [] }} {...props} />);
    expect(selectedAges(plain)).toEqual([7]);
    expect(within(option(plain, 7)).getByText('deleted by retention before arrival on the appliance')).toBeTruthy();
    rerender(<RangePicker system={{ ...plain, first: nameAt(plain, 8), last: nameAt(plain, 9) }} {...props} />);
    expect(selectedAges(plain)).toEqual([8, 9]);
  });
});

describe('RangePicker: 10,000 points', () => {
  // 10,000 hourly points, the oldest 4,000 offsite: 6,000 can be synced.
  const big = pickerSystem(10_000, Array.from({ length: 4000 }, (_, i) => i));

  it('renders only a window, and End then shift+Home selects the whole syncable range', async () => {
    const { user, onRangeChange, list } = setup(big);
    const shown = () => screen.getAllByRole('option');
    expect(shown().length).toBeGreaterThan(5);
    expect(shown().length).toBeLessThan(60);
    expect(shown()[0].getAttribute('aria-setsize')).toBe('10000');
    await user.click(shown()[2]);
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(big, 9997), last: nameAt(big, 9997) });
    await user.keyboard('{End}');
    const focused = document.getElementById(list.getAttribute('aria-activedescendant')!);
    expect(focused?.textContent).toContain(`(${nameAt(big, 0)})`);
    await user.keyboard('{Shift>}{Home}{/Shift}');
    expect(onRangeChange).toHaveBeenLastCalledWith({ first: nameAt(big, 4000), last: nameAt(big, 9999) });
    expect(screen.getByText(/^6,000 points selected/)).toBeTruthy();
    expect(shown().length).toBeLessThan(60);
  });
});

describe('RangePicker: axe-core', () => {
  it('finds no ARIA violations in the timeline, also while the lock is being moved', async () => {
    const axe = (await import('axe-core')).default;
    const { user } = setup();
    const check = async () => {
      const r = await axe.run(document.body, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, rules: { 'color-contrast': { enabled: false } } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    expect(await check()).toEqual([]);
    await user.dblClick(option(plain, 3));
    expect(await check()).toEqual([]);
  });
});
