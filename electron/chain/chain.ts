// How a ZFS selection travels: a base the receiver has (the lock), then sends in time order.
// `zfs receive` applies an incremental only on top of the snapshot it was computed from, so:
//  - the chain starts at the lock, a point the receiver holds, or with a full send when the two
//    sides have nothing in common (and the plan says so);
//  - every later send is based on the point the previous send delivered;
//  - nothing older than the lock can be sent: it would need a lock older than itself.
// Selected points at or before the lock that the receiver already holds are simply not sent.
import type { Oriented } from './match.ts';
import { pointLabel, sides, someNames } from './points.ts';
import { badSelection, type SelectedRange } from './selection.ts';
import type { FullReason, Send } from './types.ts';

export interface ZfsChain {
  /** Source index of the base (the lock), or -1 for a full send. */
  base: number;
  /** The arriving slice of source points, inclusive. */
  first: number;
  last: number;
  sends: Send[];
  fullReason: FullReason | null;
  notes: string[];
  warnings: string[];
}

export function zfsChain(o: Oriented, lock: number, range: SelectedRange): ZfsChain {
  const words = sides(o.direction);
  const notes: string[] = [];
  const warnings: string[] = [];
  const { hi } = range;
  let first = range.lo;

  if (lock >= 0) {
    // Points up to the lock that the receiver already has need not travel.
    while (first <= hi && first <= lock && o.counterpart[first] !== -1) first++;
    if (first <= hi && first <= lock) {
      const p = o.source[first];
      let older = first - 1;
      while (older >= 0 && o.counterpart[older] === -1) older--;
      throw badSelection(
        older >= 0
          ? `Point ${pointLabel(p)} of ${o.system} is older than the lock ${pointLabel(o.source[lock])}; ZFS can only send points newer than the lock.`
          : `Point ${pointLabel(p)} of ${o.system} is older than every point ${words.receiver} has, so sending it would need a lock that does not exist.`,
        o.system,
        older >= 0 ? 'before-lock' : 'needs-missing-lock',
        {
          hint:
            older >= 0
              ? `Move the lock to ${pointLabel(o.source[older])} or an older common point, or start the selection after the lock.`
              : 'Start the selection after the lock, or export the older points as NTFS, EXT4 or images, where every point is a full copy.',
          data: { point: p.name, lock: o.source[lock].name, ...(older >= 0 ? { olderCommon: o.source[older].name } : {}) },
        },
      );
    }
    if (first > hi) {
      throw badSelection(`Everything selected for ${o.system} is already on ${words.receiver}; there is nothing to send.`, o.system, 'nothing-to-send', {
        data: { lock: o.source[lock].name },
      });
    }
    if (first > range.lo) notes.push(`${first - range.lo} selected point(s) are already on ${words.receiver} and are not sent.`);
  }

  const sends: Send[] = [];
  let prev = lock;
  const name = (i: number) => o.source[i].name;
  if (prev < 0) {
    sends.push({ from: null, to: name(first), intermediates: false, fromIndex: -1, toIndex: first });
    prev = first;
    notes.push(`Sent in full from ${pointLabel(o.source[first])}: ${o.system} has no point in common with ${words.receiver}.`);
    if (o.receiver.length > 0) {
      warnings.push(
        `${words.receiver} holds ${o.receiver.length} point(s) of ${o.system} but none in common with ${words.source}; this full copy cannot be merged into the existing one and will arrive as a separate copy.`,
      );
    }
  } else if (first > prev + 1) {
    sends.push({ from: name(prev), to: name(first), intermediates: false, fromIndex: prev, toIndex: first });
    notes.push(`${first - prev - 1} point(s) between the lock and ${pointLabel(o.source[first])} stay behind; that point is sent as one incremental from the lock.`);
    prev = first;
  }
  if (hi > prev) sends.push({ from: name(prev), to: name(hi), intermediates: hi > prev + 1, fromIndex: prev, toIndex: hi });

  if (lock >= 0) {
    // Common points inside the chain exist only when the lock was moved back: they travel again.
    let again = 0;
    for (let i = first; i <= hi; i++) if (o.counterpart[i] !== -1) again++;
    if (again > 0) notes.push(`${again} point(s) in the chain are already on ${words.receiver}; they are sent again because the chain starts at an older lock.`);
    // The receiver must be at the lock to apply the chain; newer points it holds and the chain does not carry would be lost.
    const lost = receiverNewerNotCarried(o, lock, first, hi);
    if (lost.length > 0) {
      warnings.push(
        `${words.receiver} holds ${lost.length} point(s) of ${o.system} newer than the lock (${someNames(lost)}) that this chain does not carry; merging it means rolling back to the lock, and those points would be lost.`,
      );
    }
  }

  return { base: lock, first, last: hi, sends, fullReason: lock < 0 ? 'no-common-point' : null, notes, warnings };
}

/** Receiver points newer than the lock that are not among the arriving points. */
function receiverNewerNotCarried(o: Oriented, lock: number, first: number, last: number): string[] {
  const baseOnReceiver = o.counterpart[lock];
  if (baseOnReceiver === o.receiver.length - 1) return [];
  const carried = new Set<number>();
  for (let i = first; i <= last; i++) if (o.counterpart[i] !== -1) carried.add(o.counterpart[i]);
  const baseTime = o.receiver[baseOnReceiver].time;
  const out: string[] = [];
  for (let j = baseOnReceiver + 1; j < o.receiver.length; j++) {
    if (o.receiver[j].time > baseTime && !carried.has(j)) out.push(o.receiver[j].name);
  }
  return out;
}
