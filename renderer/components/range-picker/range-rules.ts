// The range picker's rules (R11), apart from React so they are tested as plain functions: which
// points a click or a key puts in the range, where the focus and the anchor go, which points the
// lock may move to, which points retention deletes before arrival. Pure.
//
// The timeline is shown newest first: the points a technician sends are the newest ones, just
// above the lock, so on a system with 10,000 points they are in view without scrolling, as in the
// backup consoles technicians know. The engine lists points oldest first; every index here is a
// display index (0 = newest).
//
// The range is always one unbroken run of syncable points: a chain carries every point between
// its ends, so a point that cannot be synced (already on the receiver, or older than the lock)
// ends the run. Extending (shift-click, shift + a key) takes the first unbroken run of syncable
// points met going from the anchor toward the target; when a point that cannot be synced lies
// between them the range stops just before it and the picker says so.
import type { z } from 'zod';
import type { PointStateSchema } from '../../../electron/api/schemas/plan.ts';

export type PointState = z.infer<typeof PointStateSchema>;

/** From plan.forTicket's retention preview: the points deleted before the unit arrives, per side. */
export interface RetentionDeletes {
  local: readonly string[];
  offsite: readonly string[];
}

export interface PickerRow {
  point: PointState;
  /** Both local and offsite: the lock may start the chain here. */
  common: boolean;
  lock: boolean;
  deletedLocal: boolean;
  deletedOffsite: boolean;
}

export interface PickerModel {
  /** Newest first. */
  rows: PickerRow[];
  /** Point name → display index. */
  indexOf: ReadonlyMap<string, number>;
  /** Display index of the lock, or -1 when nothing is common. */
  lock: number;
}

/** Display indices, top ≤ bottom: top is the newest point of the range (its last), bottom the oldest (its first). */
export interface Range {
  top: number;
  bottom: number;
}

export interface PickerState {
  focus: number;
  /** Where an extension starts from: the last point clicked or moved to without shift. */
  anchor: number;
  range: Range | null;
  /** "Move the lock" is on: the common points are marked, Enter or a double-click on one moves it. */
  moving: boolean;
}

export type Note =
  | { kind: 'not-syncable'; at: number }
  | { kind: 'stopped'; at: number }
  | { kind: 'none-syncable' }
  | { kind: 'moving' }
  | { kind: 'move-cancelled' }
  | { kind: 'not-common'; at: number }
  | { kind: 'no-lock' };

export interface Step {
  state: PickerState;
  /** The range changed: tell the ticket. */
  rangeChanged: boolean;
  /** Move the lock to this point. */
  moveLockTo?: string;
  note?: Note;
}

export type NavKey = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

export function buildModel(points: readonly PointState[], lock: string | null, retention?: RetentionDeletes | null): PickerModel {
  const local = new Set(retention?.local ?? []);
  const offsite = new Set(retention?.offsite ?? []);
  const n = points.length;
  const rows: PickerRow[] = new Array(n);
  const indexOf = new Map<string, number>();
  let lockAt = -1;
  for (let i = 0; i < n; i++) {
    const point = points[n - 1 - i];
    const isLock = lock !== null ? point.name === lock : point.lock;
    if (isLock) lockAt = i;
    rows[i] = { point, common: point.local && point.offsite, lock: isLock, deletedLocal: local.has(point.name), deletedOffsite: offsite.has(point.name) };
    indexOf.set(point.name, i);
  }
  return { rows, indexOf, lock: lockAt };
}

/** The range between two named points (either order), or null when either is unknown. */
export function rangeOf(model: PickerModel, first: string | null, last: string | null): Range | null {
  if (first === null || last === null) return null;
  const a = model.indexOf.get(first);
  const b = model.indexOf.get(last);
  if (a === undefined || b === undefined) return null;
  return { top: Math.min(a, b), bottom: Math.max(a, b) };
}

/** The range as the ticket's selection wants it: first is the oldest point, last the newest. */
export function rangeNames(model: PickerModel, range: Range): { first: string; last: string } {
  return { first: model.rows[range.bottom].point.name, last: model.rows[range.top].point.name };
}

export function inRange(range: Range | null, i: number): boolean {
  return range !== null && i >= range.top && i <= range.bottom;
}

export function rangeSize(range: Range | null): number {
  return range ? range.bottom - range.top + 1 : 0;
}

/** A point the lock may move to: on both sides, and not the lock already. */
export function isLockTarget(model: PickerModel, i: number): boolean {
  const row = model.rows[i];
  return row !== undefined && row.common && !row.lock;
}

export function isDeletedBeforeArrival(row: PickerRow): boolean {
  return row.deletedLocal || row.deletedOffsite;
}

/** Selected points that retention deletes before the unit arrives (R20), newest first. */
export function deletedInRange(model: PickerModel, range: Range | null): number[] {
  const out: number[] = [];
  if (!range) return out;
  for (let i = range.top; i <= range.bottom; i++) if (isDeletedBeforeArrival(model.rows[i])) out.push(i);
  return out;
}

/**
 * Where the state starts for the engine's answer: its range, the focus on the range's newest point
 * (or the lock, or the newest point), the anchor on the range's oldest point so shift + a key grows
 * the range from the lock's side.
 */
export function initialState(model: PickerModel, first: string | null, last: string | null, keepFocus?: string): PickerState {
  const range = rangeOf(model, first, last);
  const kept = keepFocus === undefined ? undefined : model.indexOf.get(keepFocus);
  const focus = kept ?? (range ? range.top : Math.max(0, model.lock));
  return { focus, anchor: range ? range.bottom : focus, range, moving: false };
}

/**
 * The first unbroken run of syncable points met going from `anchor` to `target` (both included),
 * and the point that cut it short before the target, if one did.
 */
export function runFrom(model: PickerModel, anchor: number, target: number): { range: Range | null; stoppedAt: number | null } {
  const step = target >= anchor ? 1 : -1;
  let start = -1;
  let end = -1;
  for (let i = anchor; step > 0 ? i <= target : i >= target; i += step) {
    const ok = model.rows[i].point.syncable;
    if (ok && start < 0) start = i;
    if (ok) end = i;
    if (!ok && start >= 0) return { range: { top: Math.min(start, end), bottom: Math.max(start, end) }, stoppedAt: i };
  }
  if (start < 0) return { range: null, stoppedAt: null };
  return { range: { top: Math.min(start, end), bottom: Math.max(start, end) }, stoppedAt: null };
}

const clamp = (model: PickerModel, i: number) => Math.max(0, Math.min(model.rows.length - 1, i));
const sameRange = (a: Range | null, b: Range | null) => a === b || (a !== null && b !== null && a.top === b.top && a.bottom === b.bottom);

function extend(model: PickerModel, s: PickerState, target: number): Step {
  const { range, stoppedAt } = runFrom(model, s.anchor, target);
  if (!range) return { state: { ...s, focus: target }, rangeChanged: false, note: { kind: 'none-syncable' } };
  const state = { ...s, focus: target, range };
  return { state, rangeChanged: !sameRange(s.range, range), ...(stoppedAt !== null ? { note: { kind: 'stopped' as const, at: stoppedAt } } : {}) };
}

/** The range becomes the one point, when it can be synced; the focus and anchor go to it either way. */
function only(model: PickerModel, s: PickerState, i: number): Step {
  const moved = { ...s, focus: i, anchor: i };
  if (!model.rows[i].point.syncable) return { state: moved, rangeChanged: false, note: { kind: 'not-syncable', at: i } };
  const range = { top: i, bottom: i };
  return { state: { ...moved, range }, rangeChanged: !sameRange(s.range, range) };
}

/**
 * A click: the range becomes the clicked point; with shift, the range runs from the anchor toward
 * it. While the lock is being moved a click only moves the focus, so choosing the lock's new place
 * never changes the range by accident.
 */
export function click(model: PickerModel, s: PickerState, i: number, shift: boolean): Step {
  if (model.rows.length === 0) return { state: s, rangeChanged: false };
  const at = clamp(model, i);
  if (s.moving) return { state: { ...s, focus: at, anchor: at }, rangeChanged: false };
  return shift ? extend(model, s, at) : only(model, s, at);
}

/** Where a navigation key takes the focus from `focus`. */
export function target(model: PickerModel, focus: number, key: NavKey, pageSize: number): number {
  const page = Math.max(1, Math.floor(pageSize));
  const to = { up: focus - 1, down: focus + 1, pageUp: focus - page, pageDown: focus + page, home: 0, end: model.rows.length - 1 }[key];
  return clamp(model, to);
}

/** A navigation key moves the focus (and the anchor with it); with shift it extends the range from the anchor. */
export function navigate(model: PickerModel, s: PickerState, key: NavKey, shift: boolean, pageSize: number): Step {
  if (model.rows.length === 0) return { state: s, rangeChanged: false };
  const to = target(model, s.focus, key, pageSize);
  if (shift && !s.moving) return extend(model, s, to);
  return { state: { ...s, focus: to, anchor: to }, rangeChanged: false };
}

/** Space: the range becomes the focused point. */
export function choose(model: PickerModel, s: PickerState): Step {
  if (model.rows.length === 0 || s.moving) return { state: s, rangeChanged: false };
  return only(model, s, s.focus);
}

/**
 * Enter or a double-click on a point. On the lock it starts "move the lock" (and a second time
 * cancels it); while moving, on a common point it moves the lock there, on any other point it says
 * the lock cannot go there. Otherwise it chooses the point as Space does.
 */
export function activate(model: PickerModel, s: PickerState, i: number): Step {
  if (model.rows.length === 0) return { state: s, rangeChanged: false };
  const at = clamp(model, i);
  const here = { ...s, focus: at, anchor: at };
  if (s.moving) {
    if (model.rows[at].lock) return { state: { ...here, moving: false }, rangeChanged: false, note: { kind: 'move-cancelled' } };
    if (isLockTarget(model, at)) return { state: { ...here, moving: false }, rangeChanged: false, moveLockTo: model.rows[at].point.name };
    return { state: here, rangeChanged: false, note: { kind: 'not-common', at } };
  }
  if (model.rows[at].lock) return { state: { ...here, moving: true }, rangeChanged: false, note: { kind: 'moving' } };
  return only(model, s, at);
}

/** Escape: "move the lock" ends with the lock where it was. */
export function cancel(s: PickerState): Step {
  if (!s.moving) return { state: s, rangeChanged: false };
  return { state: { ...s, moving: false }, rangeChanged: false, note: { kind: 'move-cancelled' } };
}

/** Starts "move the lock" from anywhere (the picker's button), when there is a lock. */
export function startMove(model: PickerModel, s: PickerState): Step {
  if (model.lock < 0) return { state: s, rangeChanged: false, note: { kind: 'no-lock' } };
  return { state: { ...s, moving: true, focus: model.lock, anchor: model.lock }, rangeChanged: false, note: { kind: 'moving' } };
}
