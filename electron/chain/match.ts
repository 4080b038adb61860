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

  const index = new Map<string, number>();
  for (let i = 0; i < receiver.length; i++) index.set(byGuid ? (receiver[i].guid as string) : receiver[i].name, i);

  const counterpart = new Int32Array(source.length);
  let newestCommon = -1;
  let commonCount = 0;
  for (let i = 0; i < source.length; i++) {
    const j = index.get(byGuid ? (source[i].guid as string) : source[i].name);
    if (j === undefined) {
      counterpart[i] = -1;
    } else {
      counterpart[i] = j;
      newestCommon = i;
      commonCount++;
    }
  }

  if (byGuid) {
    // Same name, different GUID: not the same snapshot. Say so, because the picker shows names.
    const names = new Map<string, string>();
    for (const p of receiver) names.set(p.name, p.guid as string);
    let clash = 0;
    for (let i = 0; i < source.length; i++) {
      if (counterpart[i] !== -1) continue;
      const g = names.get(source[i].name);
      if (g !== undefined && g !== source[i].guid) clash++;
    }
    if (clash > 0) notes.push(`${clash} point(s) have the same name on both sides but a different snapshot GUID; they are not treated as common.`);
  } else if (source.length > 0 && receiver.length > 0) {
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
