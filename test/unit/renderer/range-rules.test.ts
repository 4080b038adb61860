// The range picker's rules: what a click or a key does to the range, the focus and the anchor;
// where the lock may move; which points retention deletes before arrival. On the engine's own rows.
import { describe, expect, it } from 'vitest';
import {
  activate,
  buildModel,
  cancel,
  choose,
  click,
  deletedInRange,
  initialState,
  isLockTarget,
  navigate,
  rangeNames,
  runFrom,
  startMove,
  type PickerModel,
  type PickerState,
} from '../../../renderer/components/range-picker/range-rules.ts';
import { badgesOf, noteText, retentionWarning, rowName, summary } from '../../../renderer/components/range-picker/point-words.ts';
import { nameAt, pickerSystem } from './picker-fixtures.ts';

// Ten hourly points, the oldest four offsite: the lock is point 3, points 4–9 can be synced.
// Shown newest first: display 0 is point 9, display 5 point 4, display 6 the lock.
const plain = pickerSystem(10, [0, 1, 2, 3]);
// Points 0 and 2 offsite, the lock moved to 0: point 2 is common, so it cannot be synced and
// splits the syncable points into 1 and 3–9. Display 7 is point 2, display 8 point 1, display 9 the lock.
const split = pickerSystem(10, [0, 2], 0);

function start(sys = plain): { model: PickerModel; s: PickerState } {
  const model = buildModel(sys.rows, sys.lock);
  return { model, s: initialState(model, sys.first, sys.last) };
}
const names = (model: PickerModel, s: PickerState) => (s.range ? rangeNames(model, s.range) : null);

describe('range rules: the model', () => {
  it('shows the newest point first and finds the lock', () => {
    const { model } = start();
    expect(model.rows[0].point.name).toBe(nameAt(plain, 9));
    expect(model.rows[9].point.name).toBe(nameAt(plain, 0));
    expect(model.lock).toBe(6);
    expect(model.rows[6].point.name).toBe(plain.lock);
  });

  it('starts on the engine range (everything newer than the lock), focus on its newest point, anchor on its oldest', () => {
    const { model, s } = start();
    expect(names(model, s)).toEqual({ first: nameAt(plain, 4), last: nameAt(plain, 9) });
    expect(s.focus).toBe(0);
    expect(s.anchor).toBe(5);
    expect(s.moving).toBe(false);
  });
});

describe('range rules: clicks', () => {
  it('a click on a syncable point makes it the whole range', () => {
    const { model, s } = start();
    const step = click(model, s, 2, false);
    expect(step.rangeChanged).toBe(true);
    expect(names(model, step.state)).toEqual({ first: nameAt(plain, 7), last: nameAt(plain, 7) });
    expect(step.state.anchor).toBe(2);
  });

  it('a click on a point that cannot be synced leaves the range and says why', () => {
    const { model, s } = start();
    const step = click(model, s, 8, false);
    expect(step.rangeChanged).toBe(false);
    expect(step.state.range).toEqual(s.range);
    expect(step.state.focus).toBe(8);
    expect(noteText(model, step.note!)).toMatch(/cannot be synced: both sides already hold it/);
    // Offsite thinned by its retention: points 1 and 2 are only local, but older than the lock.
    const thinned = start(pickerSystem(10, [0, 3]));
    const older = click(thinned.model, thinned.s, 7, false);
    expect(older.state.range).toEqual(thinned.s.range);
    expect(noteText(thinned.model, older.note!)).toMatch(/cannot be synced: it is older than the lock/);
  });

  it('shift-click extends from the anchor to the clicked point, either way', () => {
    const { model, s } = start();
    const one = click(model, s, 3, false).state;
    const up = click(model, one, 1, true);
    expect(names(model, up.state)).toEqual({ first: nameAt(plain, 6), last: nameAt(plain, 8) });
    const down = click(model, up.state, 5, true);
    expect(names(model, down.state)).toEqual({ first: nameAt(plain, 4), last: nameAt(plain, 6) });
    expect(down.state.anchor).toBe(3);
  });

  it('shift-click past the lock stops the range before the lock and says so', () => {
    const { model, s } = start();
    const one = click(model, s, 2, false).state;
    const step = click(model, one, 9, true);
    expect(names(model, step.state)).toEqual({ first: nameAt(plain, 4), last: nameAt(plain, 7) });
    expect(step.note).toEqual({ kind: 'stopped', at: 6 });
    expect(noteText(model, step.note!)).toMatch(/stops before .*it is the lock/);
  });

  it('shift-click across a common point stops before it: the range never holds a point that cannot be synced', () => {
    const { model, s } = start(split);
    const one = click(model, s, 8, false).state; // point 1
    const step = click(model, one, 0, true);
    expect(names(model, step.state)).toEqual({ first: nameAt(split, 1), last: nameAt(split, 1) });
    expect(noteText(model, step.note!)).toMatch(/both sides already hold it/);
    for (let i = step.state.range!.top; i <= step.state.range!.bottom; i++) expect(model.rows[i].point.syncable).toBe(true);
  });

  it('from an anchor that cannot be synced, the range is the first syncable run met toward the target', () => {
    const { model, s } = start(split);
    const onLock = click(model, s, 9, false).state;
    expect(runFrom(model, 9, 0)).toEqual({ range: { top: 8, bottom: 8 }, stoppedAt: 7 });
    const step = click(model, onLock, 0, true);
    expect(names(model, step.state)).toEqual({ first: nameAt(split, 1), last: nameAt(split, 1) });
  });
});

describe('range rules: keys', () => {
  it('arrows move the focus and the anchor, not the range', () => {
    const { model, s } = start();
    const step = navigate(model, s, 'down', false, 5);
    expect(step.state.focus).toBe(1);
    expect(step.state.anchor).toBe(1);
    expect(step.rangeChanged).toBe(false);
    expect(navigate(model, s, 'up', false, 5).state.focus).toBe(0);
  });

  it('shift+arrows extend the range from the anchor', () => {
    const { model, s } = start();
    const one = choose(model, navigate(model, s, 'down', false, 5).state).state; // point 8 alone
    const a = navigate(model, one, 'down', true, 5);
    const b = navigate(model, a.state, 'down', true, 5);
    expect(names(model, b.state)).toEqual({ first: nameAt(plain, 6), last: nameAt(plain, 8) });
    const c = navigate(model, b.state, 'up', true, 5);
    expect(names(model, c.state)).toEqual({ first: nameAt(plain, 7), last: nameAt(plain, 8) });
  });

  it('Home and End go to the newest and the oldest point; End then shift+Home selects every syncable point', () => {
    const { model, s } = start();
    const one = click(model, s, 2, false).state;
    const end = navigate(model, one, 'end', false, 5).state;
    expect(end.focus).toBe(9);
    const all = navigate(model, end, 'home', true, 5);
    expect(all.state.focus).toBe(0);
    expect(names(model, all.state)).toEqual({ first: nameAt(plain, 4), last: nameAt(plain, 9) });
  });

  it('PageUp and PageDown move by a page and stop at the ends', () => {
    const { model, s } = start();
    expect(navigate(model, s, 'pageDown', false, 4).state.focus).toBe(4);
    expect(navigate(model, s, 'pageDown', false, 40).state.focus).toBe(9);
    expect(navigate(model, s, 'pageUp', false, 4).state.focus).toBe(0);
  });

  it('Space on a syncable point makes it the range', () => {
    const { model, s } = start();
    const step = choose(model, navigate(model, s, 'down', false, 5).state);
    expect(names(model, step.state)).toEqual({ first: nameAt(plain, 8), last: nameAt(plain, 8) });
  });
});

describe('range rules: moving the lock', () => {
  it('the lock may move only to the other common points', () => {
    const { model } = start();
    const targets = model.rows.flatMap((_, i) => (isLockTarget(model, i) ? [model.rows[i].point.name] : []));
    expect(targets).toEqual([nameAt(plain, 2), nameAt(plain, 1), nameAt(plain, 0)]);
  });

  it('Enter on the lock starts the move; on a common point it moves the lock there', () => {
    const { model, s } = start();
    const moving = activate(model, s, 6);
    expect(moving.state.moving).toBe(true);
    expect(badgesOf(model, moving.state, 8)).toContain('lock-target');
    expect(badgesOf(model, moving.state, 3)).not.toContain('lock-target');
    const moved = activate(model, moving.state, 8);
    expect(moved.moveLockTo).toBe(nameAt(plain, 1));
    expect(moved.state.moving).toBe(false);
  });

  it('while moving, a point that is not common is refused and the move goes on', () => {
    const { model, s } = start();
    const moving = activate(model, s, 6).state;
    const refused = activate(model, moving, 3);
    expect(refused.moveLockTo).toBeUndefined();
    expect(refused.state.moving).toBe(true);
    expect(noteText(model, refused.note!)).toMatch(/cannot move to .*both on the appliance and offsite/);
  });

  it('Escape, or Enter on the lock again, keeps the lock where it was; clicks while moving leave the range alone', () => {
    const { model, s } = start();
    const moving = activate(model, s, 6).state;
    expect(cancel(moving).state.moving).toBe(false);
    expect(activate(model, moving, 6).state.moving).toBe(false);
    const clicked = click(model, moving, 2, false);
    expect(clicked.rangeChanged).toBe(false);
    expect(clicked.state.range).toEqual(s.range);
    expect(navigate(model, moving, 'down', true, 5).rangeChanged).toBe(false);
  });

  it('with nothing common there is no lock to move', () => {
    const none = pickerSystem(5, []);
    const { model, s } = start(none);
    expect(model.lock).toBe(-1);
    expect(startMove(model, s).state.moving).toBe(false);
    expect(summary(model, s)).toMatch(/^5 points selected: .*no lock/);
  });
});

describe('range rules: retention and words', () => {
  it('flags the points retention deletes before arrival, and warns when selected ones are among them', () => {
    const model = buildModel(plain.rows, plain.lock, { local: [nameAt(plain, 5)], offsite: [nameAt(plain, 0)] });
    const s = initialState(model, plain.first, plain.last);
    expect(deletedInRange(model, s.range)).toEqual([4]);
    expect(rowName(model, s, 4)).toMatch(/deleted by retention before arrival on the appliance/);
    expect(rowName(model, s, 9)).toMatch(/deleted by retention before arrival offsite/);
    expect(rowName(model, s, 3)).not.toMatch(/retention/);
    expect(retentionWarning(model, s)).toMatch(/^1 selected point .* is deleted by retention before arrival\.$/);
    expect(retentionWarning(model, { ...s, range: { top: 0, bottom: 1 } })).toBeNull();
  });

  it('warns when retention deletes the lock', () => {
    const model = buildModel(plain.rows, plain.lock, { local: [], offsite: [plain.lock!] });
    expect(retentionWarning(model, initialState(model, plain.first, plain.last))).toMatch(/the lock is deleted by retention/i);
  });

  it('names each state in words in the accessible name and the summary', () => {
    const { model, s } = start();
    expect(rowName(model, s, 0)).toMatch(/in range, last point to sync, can be synced$/);
    expect(rowName(model, s, 5)).toMatch(/in range, first point to sync, can be synced$/);
    expect(rowName(model, s, 6)).toMatch(/, lock, already offsite$/);
    expect(rowName(model, s, 7)).toMatch(/already offsite, cannot be synced$/);
    expect(summary(model, s)).toMatch(/^6 points selected: first .*\(\d+\), last .*; lock .*\.$/);
  });
});
