// The range picker's words: one label per state, the same text beside each icon and in each row's
// accessible name, so what a sighted technician reads is what a screen reader says; and the
// summary and notes. Pure.
import { when } from '../../../electron/chain/points.ts';
import { deletedInRange, isLockTarget, rangeSize, type Note, type PickerModel, type PickerRow, type PickerState } from './range-rules.ts';

export type Badge = 'in-range' | 'first' | 'last' | 'lock' | 'lock-target' | 'syncable' | 'offsite' | 'deleted';

export const BADGE_TEXT: Record<Badge, string> = {
  'in-range': 'in range',
  first: 'first point to sync',
  last: 'last point to sync',
  lock: 'lock',
  'lock-target': 'lock can move here',
  syncable: 'can be synced',
  offsite: 'already offsite',
  deleted: 'deleted by retention before arrival',
};

/** A point as sentences name it: its time and its name. */
export function pointWords(row: PickerRow): string {
  return `${when(row.point.time)} (${row.point.name})`;
}

/** Where retention deletes it, for the deleted badge. */
export function deletedWhere(row: PickerRow): string {
  if (row.deletedLocal && row.deletedOffsite) return 'on the appliance and offsite';
  return row.deletedLocal ? 'on the appliance' : 'offsite';
}

/** The badges a row shows, in reading order. */
export function badgesOf(model: PickerModel, s: PickerState, i: number): Badge[] {
  const row = model.rows[i];
  const out: Badge[] = [];
  const range = s.range;
  if (range && i >= range.top && i <= range.bottom) out.push('in-range');
  if (range && i === range.top) out.push('last');
  if (range && i === range.bottom) out.push('first');
  if (row.lock) out.push('lock');
  if (s.moving && isLockTarget(model, i)) out.push('lock-target');
  if (row.point.syncable) out.push('syncable');
  if (row.point.offsite) out.push('offsite');
  if (row.deletedLocal || row.deletedOffsite) out.push('deleted');
  return out;
}

/** The row's accessible name: its time, its name, and its states in words. */
export function rowName(model: PickerModel, s: PickerState, i: number): string {
  const row = model.rows[i];
  const words = badgesOf(model, s, i).map((b) => (b === 'deleted' ? `${BADGE_TEXT.deleted} ${deletedWhere(row)}` : BADGE_TEXT[b]));
  if (!row.point.syncable && !row.lock) words.push('cannot be synced');
  return [pointWords(row), ...words].join(', ');
}

/** The line above the timeline: how many points, which ends, and the lock. */
export function summary(model: PickerModel, s: PickerState): string {
  const n = rangeSize(s.range);
  const lock = model.lock >= 0 ? `lock ${pointWords(model.rows[model.lock])}` : 'no lock: nothing is common, so the first point is sent in full';
  if (!s.range) return `No points selected; ${lock}.`;
  const first = pointWords(model.rows[s.range.bottom]);
  const last = pointWords(model.rows[s.range.top]);
  const what = n === 1 ? `1 point selected: ${first}` : `${n.toLocaleString('en-US')} points selected: first ${first}, last ${last}`;
  return `${what}; ${lock}.`;
}

/** A warning when retention deletes selected points before the unit arrives, else null. */
export function retentionWarning(model: PickerModel, s: PickerState): string | null {
  const gone = deletedInRange(model, s.range);
  const lockGone = model.lock >= 0 && (model.rows[model.lock].deletedLocal || model.rows[model.lock].deletedOffsite);
  const parts: string[] = [];
  if (gone.length === 1) parts.push(`1 selected point (${pointWords(model.rows[gone[0]])}) is deleted by retention before arrival`);
  else if (gone.length > 1) parts.push(`${gone.length} selected points are deleted by retention before arrival`);
  if (lockGone) parts.push('the lock is deleted by retention before arrival, so the chain could not be applied');
  return parts.length ? `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()) : null;
}

function whyNotSyncable(row: PickerRow): string {
  if (row.lock) return 'it is the lock, which both sides already hold';
  return row.common ? 'both sides already hold it' : 'it is older than the lock, so no chain from the lock can carry it';
}

/** A note after a click or key, for the status line (read out politely). */
export function noteText(model: PickerModel, note: Note): string {
  const at = (i: number) => pointWords(model.rows[i]);
  switch (note.kind) {
    case 'not-syncable':
      return `${at(note.at)} cannot be synced: ${whyNotSyncable(model.rows[note.at])}. The range is unchanged.`;
    case 'stopped':
      return `The range stops before ${at(note.at)}: ${whyNotSyncable(model.rows[note.at])}, and a range holds only points that can be synced.`;
    case 'none-syncable':
      return 'No point there can be synced. The range is unchanged.';
    case 'moving': {
      const targets = model.rows.reduce((k, _, i) => k + (isLockTarget(model, i) ? 1 : 0), 0);
      if (targets === 0) return 'The lock cannot move: no other point is both on the appliance and offsite. Press Escape to go back.';
      return `Moving the lock: ${targets === 1 ? '1 point is' : `${targets} points are`} marked "lock can move here". Press Enter or double-click one to move the lock there, or Escape to keep it.`;
    }
    case 'move-cancelled':
      return 'The lock stays where it was.';
    case 'not-common':
      return `The lock cannot move to ${at(note.at)}: the lock must be a point both on the appliance and offsite.`;
    case 'no-lock':
      return 'There is no lock to move: nothing is common, so the first point is sent in full.';
  }
}
