// The R11 range picker for one protected system: a windowed timeline of its points (newest first,
// range-rules.ts says why) where the technician chooses the first and last point to sync and may
// move the lock. It depends on its props only: the rows and ends from plan.points, the retention
// preview from plan.forTicket; it tells the ticket with onRangeChange and onMoveLock.
//
// Keyboard focus stays on the listbox and aria-activedescendant names the focused row, so focus
// survives rows being recycled while scrolling; the focused row is always rendered, even before
// the scroll to it lands.
import { defaultRangeExtractor, useVirtualizer, type Range as VirtualRange } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactElement } from 'react';
import { noteText, retentionWarning, summary } from './point-words.ts';
import { PointRow } from './PointRow.tsx';
import {
  activate,
  buildModel,
  cancel,
  choose,
  click,
  initialState,
  inRange,
  navigate,
  rangeNames,
  rangeOf,
  startMove,
  type NavKey,
  type PickerModel,
  type PickerState,
  type PointState,
  type RetentionDeletes,
  type Step,
} from './range-rules.ts';
import './range-picker.css';

/** Each row's height in px: two lines (time and name, then the state labels). */
export const ROW_HEIGHT = 56;

export interface RangePickerSystem {
  system: string;
  rows: readonly PointState[];
  lock: string | null;
  defaultLock?: string | null;
  first: string | null;
  last: string | null;
}

export interface RangePickerProps {
  /** One system of the plan.points answer. */
  system: RangePickerSystem;
  /** That system's retention preview from plan.forTicket (systems[i].retention), when there is one. */
  retention?: RetentionDeletes | null;
  /** The technician chose a range: the names of its oldest (first) and newest (last) point. */
  onRangeChange(range: { first: string; last: string }): void;
  /** The technician moved the lock to this common point: ask plan.points again with `locks`. */
  onMoveLock(point: string): void;
  /** The timeline's height in px. */
  height?: number;
}

const KEYS: Record<string, NavKey> = { ArrowUp: 'up', ArrowDown: 'down', PageUp: 'pageUp', PageDown: 'pageDown', Home: 'home', End: 'end' };

interface Held {
  model: PickerModel;
  first: string | null;
  last: string | null;
  state: PickerState;
}

/**
 * The picker's state for new props: the engine's range when its ends changed (it answered the
 * technician's choice or a moved lock), else the technician's own range carried over by name.
 */
function follow(prev: Held, model: PickerModel, first: string | null, last: string | null): Held {
  const focusName = prev.model.rows[prev.state.focus]?.point.name;
  if (first !== prev.first || last !== prev.last) return { model, first, last, state: initialState(model, first, last, focusName) };
  // Same ends, new rows (the retention preview came, or the parent rebuilt them): keep the range,
  // focus and anchor by name, and a move of the lock under way while the lock stays.
  const r = prev.state.range;
  const names = r ? rangeNames(prev.model, r) : null;
  const state = initialState(model, names?.first ?? null, names?.last ?? null, focusName);
  const anchor = model.indexOf.get(prev.model.rows[prev.state.anchor]?.point.name ?? '');
  const sameLock = model.lock >= 0 && prev.model.rows[prev.model.lock]?.point.name === model.rows[model.lock].point.name;
  return { model, first, last, state: { ...state, range: names ? rangeOf(model, names.first, names.last) : null, anchor: anchor ?? state.anchor, moving: prev.state.moving && sameLock } };
}

export function RangePicker({ system, retention, onRangeChange, onMoveLock, height = 480 }: RangePickerProps): ReactElement {
  const model = useMemo(() => buildModel(system.rows, system.lock, retention), [system.rows, system.lock, retention]);
  const [held, setHeld] = useState<Held>(() => ({ model, first: system.first, last: system.last, state: initialState(model, system.first, system.last) }));
  let current = held;
  if (held.model !== model || held.first !== system.first || held.last !== system.last) {
    current = follow(held, model, system.first, system.last);
    setHeld(current);
  }
  const { state } = current;
  const [note, setNote] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  const id = useId();
  const optionId = (i: number) => `${id}-point-${i}`;
  const n = model.rows.length;

  const focus = state.focus;
  const rangeExtractor = useCallback(
    (r: VirtualRange) => {
      const shown = defaultRangeExtractor(r);
      if (focus < n && !shown.includes(focus)) shown.push(focus);
      return shown.sort((a, b) => a - b);
    },
    [focus, n],
  );
  const virtualizer = useVirtualizer({ count: n, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 6, rangeExtractor });

  useEffect(() => {
    if (focus < n) virtualizer.scrollToIndex(focus, { align: 'auto' });
  }, [focus, n, virtualizer]);

  const apply = (step: Step) => {
    setHeld({ ...current, state: step.state });
    setNote(step.note ? noteText(model, step.note) : '');
    if (step.rangeChanged && step.state.range) onRangeChange(rangeNames(model, step.state.range));
    if (step.moveLockTo !== undefined) onMoveLock(step.moveLockTo);
    // The common points the lock may go to are older than it, below it: show the lock mid-view.
    if (step.note?.kind === 'moving') virtualizer.scrollToIndex(step.state.focus, { align: 'center' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const nav = KEYS[e.key];
    if (nav) {
      e.preventDefault();
      apply(navigate(model, state, nav, e.shiftKey, Math.max(1, Math.floor(height / ROW_HEIGHT) - 1)));
    } else if (e.key === ' ') {
      e.preventDefault();
      apply(choose(model, state));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      apply(activate(model, state, state.focus));
    } else if (e.key === 'Escape' && state.moving) {
      e.preventDefault();
      apply(cancel(state));
    }
  };

  const focusList = () => scrollRef.current?.focus({ preventScroll: true });
  const onRowClick = (i: number, e: MouseEvent) => {
    focusList();
    apply(click(model, state, i, e.shiftKey));
  };
  const onRowDoubleClick = (i: number) => {
    focusList();
    apply(activate(model, state, i));
  };
  const onMoveButton = () => {
    apply(state.moving ? cancel(state) : startMove(model, state));
    focusList();
  };

  const warning = retentionWarning(model, state);
  const moved = system.defaultLock && system.lock && system.defaultLock !== system.lock;
  const summaryId = `${id}-summary`;

  return (
    <section className="rt-range" aria-label={`Points of ${system.system}`}>
      <p className="rt-range-summary" id={summaryId}>
        {summary(model, state)}
        {moved ? <span className="rt-range-moved"> The lock was moved from the newest common point ({system.defaultLock}).</span> : null}
      </p>
      {warning ? (
        <p className="rt-range-warning">
          <span aria-hidden="true">⚠ </span>
          {warning}
        </p>
      ) : null}
      <div className="rt-range-toolbar">
        <button type="button" className="rt-range-button" onClick={onMoveButton} disabled={model.lock < 0}>
          {state.moving ? 'Keep the lock where it is' : 'Move the lock…'}
        </button>
        <span className="rt-range-help">Click a point to sync only it; Shift+click or Shift+arrows to extend. Double-click the lock, or press Enter on it, to move it.</span>
      </div>
      <div
        ref={scrollRef}
        className={`rt-range-list${state.moving ? ' rt-range-list--moving' : ''}`}
        style={{ height }}
        role="listbox"
        tabIndex={0}
        aria-multiselectable="true"
        aria-label={`Points of ${system.system}, newest first`}
        aria-describedby={summaryId}
        aria-activedescendant={n > 0 ? optionId(focus) : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="presentation" className="rt-range-track" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => (
            <PointRow
              key={v.key}
              id={optionId(v.index)}
              model={model}
              state={state}
              index={v.index}
              top={v.start}
              height={ROW_HEIGHT}
              selected={inRange(state.range, v.index)}
              focused={v.index === focus}
              onClick={onRowClick}
              onDoubleClick={onRowDoubleClick}
            />
          ))}
        </div>
      </div>
      <p className="rt-range-status" role="status" aria-live="polite">
        {note}
      </p>
    </section>
  );
}
