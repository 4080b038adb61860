// Which points both sides hold. A point is "common" when the receiving side has the very same
// snapshot: matched by GUID when every point on both sides carries one (both sides are ZFS),
// otherwise by name (an offsite audit list has no GUIDs). Matching by GUID catches the case a
// name match would miss: a dataset re-created under the same snapshot names is not the same chain.
import { AppError } from '../api/errors.ts';
import { assertGuids, sortedPoints } from './points.ts';
import type { Direction, MatchedBy, Point, SystemInventory, SystemKind } from './types.ts';

/** One system seen from the sending side: what is sent, what the receiver already has. */
export interface Oriented {
  system: string;
  kind: SystemKind;
  direction: Direction;
  /** The sending side's points, oldest first (local for forward, offsite for reverse). */
  source: readonly Point[];
  /** The receiving side's points, oldest first. */
  receiver: readonly Point[];
  /** Per source index: the index of the same point on the receiver, or -1. */
  counterpart: Int32Array;
  matchedBy: MatchedBy;
  /** Source index of the newest common point (the default lock), or -1 when there is none. */
  newestCommon: number;
  commonCount: number;
  notes: string[];
}

export function orient(inv: SystemInventory, direction: Direction = 'forward'): Oriented {
  if (!inv || typeof inv.system !== 'string' || !Array.isArray(inv.local) || !Array.isArray(inv.offsite)) {
    throw new AppError('BAD_INPUT', 'A system inventory needs a system name and its local and offsite point lists.');
  }
  const local = sortedPoints(inv.local);
  const offsite = sortedPoints(inv.offsite);
  const localGuids = assertGuids(local, `${inv.system} (local)`);
  const offsiteGuids = assertGuids(offsite, `${inv.system} (offsite)`);
  const source = direction === 'forward' ? local : offsite;
  const receiver = direction === 'forward' ? offsite : local;
  const byGuid = localGuids && offsiteGuids;
  const notes: string[] = [];

  // Both lists are in time order and the same snapshot has the same time on both sides, so a
  // merge walk finds almost every match without hashing millions of GUIDs; only receiver points
  // the walk left unmatched (if any) go into a map for the rest.
  const key = byGuid ? (p: Point) => p.guid as string : (p: Point) => p.name;
  const n = source.length;
  const m = receiver.length;
  const counterpart = new Int32Array(n).fill(-1);
  const taken = new Uint8Array(m);
  const clashes = byGuid ? new Uint8Array(n) : null;
  let matched = 0;
  for (let i = 0, j = 0; i < n && j < m; i++) {
    const t = source[i].time;
    while (j < m && receiver[j].time < t) j++;
    for (let k = j; k < m && receiver[k].time === t; k++) {
      if (taken[k]) continue;
      if (key(receiver[k]) === key(source[i])) {
        counterpart[i] = k;
        taken[k] = 1;
        matched++;
        break;
      }
      if (clashes && receiver[k].name === source[i].name) clashes[i] = 1;
    }
  }
  if (matched < m && matched < n) {
    const rest = new Map<string, number>();
    for (let k = 0; k < m; k++) if (!taken[k]) rest.set(key(receiver[k]), k);
    for (let i = 0; i < n && rest.size > 0; i++) {
      if (counterpart[i] !== -1) continue;
      const k = rest.get(key(source[i]));
      if (k !== undefined) {
        counterpart[i] = k;
        rest.delete(key(source[i]));
      }
    }
  }
  let newestCommon = -1;
  let commonCount = 0;
  let clash = 0;
  for (let i = 0; i < n; i++) {
    if (counterpart[i] !== -1) {
      newestCommon = i;
      commonCount++;
    } else if (clashes && clashes[i]) clash++;
  }

  if (clash > 0) {
    // Same name, different GUID: not the same snapshot. Say so, because the picker shows names.
    notes.push(`${clash} point(s) have the same name on both sides but a different snapshot GUID; they are not treated as common.`);
  } else if (!byGuid && source.length > 0 && receiver.length > 0) {
    notes.push('Points are matched by name, because one side does not carry snapshot GUIDs.');
  }

  return {
    system: inv.system,
    kind: inv.kind,
    direction,
    source,
    receiver,
    counterpart,
    matchedBy: byGuid ? 'guid' : 'name',
    newestCommon,
    commonCount,
    notes,
  };
}

/** The source indices of every common point, oldest first. */
export function commonIndices(o: Oriented): number[] {
  const out: number[] = [];
  for (let i = 0; i < o.counterpart.length; i++) if (o.counterpart[i] !== -1) out.push(i);
  return out;
}
