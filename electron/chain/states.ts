// R11 snapshot picker: the icons per point. One row per point of the sending side (the local
// appliance for a RoundTrip, offsite for a revRT), oldest first:
//  offsite / local  where the point exists;
//  syncable         not on the receiver yet and newer than the lock, so a ZFS chain can carry it;
//  first / last     the ends of the range that would be sent;
//  lock             the common point the chain starts from.
// Without a selection the range is "everything newer than the lock" (the wizard's default), or
// everything when there is no lock (then the first point goes in full).
import { orient } from './match.ts';
import { chooseLock } from './lock.ts';
import { resolveOriented } from './resolve.ts';
import type { Direction, Format, MatchedBy, PointRef, Selection, SystemInventory } from './types.ts';

export interface PointState {
  name: string;
  time: number;
  local: boolean;
  offsite: boolean;
  syncable: boolean;
  first: boolean;
  last: boolean;
  lock: boolean;
  /** Arrives on the unit with the current range. */
  inRange: boolean;
}

export interface PointStates {
  system: string;
  direction: Direction;
  matchedBy: MatchedBy;
  /** The lock in effect (moved or default), and the default one (the newest common point). */
  lock: string | null;
  defaultLock: string | null;
  first: string | null;
  last: string | null;
  /** True when nothing is common, so the first point is sent in full. */
  full: boolean;
  rows: PointState[];
  notes: string[];
  warnings: string[];
}

export function pointStates(
  inv: SystemInventory,
  lockOverride?: PointRef | null,
  opts: { direction?: Direction; selection?: Selection; format?: Format } = {},
): PointStates {
  const direction = opts.direction ?? 'forward';
  const o = orient(inv, direction);
  const lock = chooseLock(o, lockOverride);
  const n = o.source.length;

  // The range: the resolved selection, or by default everything newer than the lock.
  let first = -1;
  let last = -1;
  let notes = o.notes;
  let warnings: string[] = [];
  let full = lock < 0;
  if (opts.selection) {
    const r = resolveOriented(o, opts.selection, opts.format ?? 'zfs', lockOverride);
    first = r.first;
    last = r.last;
    notes = r.notes;
    warnings = r.warnings;
    full = r.full;
  } else if (lock < n - 1) {
    first = lock + 1;
    last = n - 1;
  }

  const rows: PointState[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const onReceiver = o.counterpart[i] !== -1;
    rows[i] = {
      name: o.source[i].name,
      time: o.source[i].time,
      local: direction === 'forward' ? true : onReceiver,
      offsite: direction === 'forward' ? onReceiver : true,
      syncable: !onReceiver && i > lock,
      first: i === first,
      last: i === last,
      lock: i === lock,
      inRange: first >= 0 && i >= first && i <= last,
    };
  }
  return {
    system: o.system,
    direction,
    matchedBy: o.matchedBy,
    lock: lock >= 0 ? o.source[lock].name : null,
    defaultLock: o.newestCommon >= 0 ? o.source[o.newestCommon].name : null,
    first: first >= 0 ? o.source[first].name : null,
    last: last >= 0 ? o.source[last].name : null,
    full,
    rows,
    notes,
    warnings,
  };
}
