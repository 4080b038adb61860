// From a technician's selection to what actually travels, per format (R1):
//  - ZFS: a base the receiver has (or a full send) and an incremental chain from it (chain.ts);
//  - NTFS, EXT4 and image exports: every selected point is its own full copy, no base needed.
import { AppError } from '../api/errors.ts';
import { zfsChain } from './chain.ts';
import { chooseLock } from './lock.ts';
import { orient, type Oriented } from './match.ts';
import { selectRange } from './selection.ts';
import type { Direction, Format, FullReason, MatchedBy, Point, PointRef, Selection, Send, SystemInventory, SystemKind } from './types.ts';

export const FORMATS: readonly Format[] = ['zfs', 'ntfs', 'ext4', 'image'];

export interface ResolvedSelection {
  system: string;
  kind: SystemKind;
  direction: Direction;
  format: Format;
  matchedBy: MatchedBy;
  /** The lock in effect (default or moved), or null when the sides have no common point. */
  lock: Point | null;
  /** ZFS: the point the chain starts from (the lock), or null for a full send. Other formats: always null. */
  base: Point | null;
  /** Every point that arrives on the unit, oldest first. */
  points: Point[];
  /** ZFS sends in order (empty for other formats). */
  sends: Send[];
  /** True when the data starts with a full copy (no common point), or every point is one (not ZFS). */
  full: boolean;
  fullReason: FullReason | null;
  /** The sending side's points, oldest first; `first`..`last` index the arriving slice in it. */
  source: readonly Point[];
  first: number;
  last: number;
  notes: string[];
  warnings: string[];
}

export function assertFormat(format: unknown): asserts format is Format {
  if (!FORMATS.includes(format as Format)) {
    throw new AppError('BAD_INPUT', `Unknown file format "${String(format)}".`, { hint: 'Use zfs, ntfs, ext4 or image.' });
  }
}

export function resolveSelection(
  inv: SystemInventory,
  selection: Selection,
  format: Format,
  lockOverride?: PointRef | null,
  opts: { direction?: Direction } = {},
): ResolvedSelection {
  return resolveOriented(orient(inv, opts.direction ?? 'forward'), selection, format, lockOverride);
}

/** The same, for callers that already oriented the inventory (the point picker, the plan). */
export function resolveOriented(o: Oriented, selection: Selection, format: Format, lockOverride?: PointRef | null): ResolvedSelection {
  assertFormat(format);
  if (format === 'image' && o.kind === 'share') {
    // A share is a tree of files: there is no volume to make an image of (the sync refuses it too).
    throw new AppError('CHAIN_BAD_SELECTION', `${o.system} is a share: it holds files, not disk images, so it cannot be exported as images.`, {
      hint: 'Put the share on a browsable NTFS or EXT4 unit (a separate ticket), or leave it out of this one.',
    });
  }
  const lock = chooseLock(o, lockOverride);
  const range = selectRange(o, selection, lock);
  const common = {
    system: o.system,
    kind: o.kind,
    direction: o.direction,
    format,
    matchedBy: o.matchedBy,
    lock: lock >= 0 ? o.source[lock] : null,
    source: o.source,
  };
  if (format === 'zfs') {
    const c = zfsChain(o, lock, range);
    return {
      ...common,
      base: c.base >= 0 ? o.source[c.base] : null,
      points: o.source.slice(c.first, c.last + 1),
      sends: c.sends,
      full: c.base < 0,
      fullReason: c.fullReason,
      first: c.first,
      last: c.last,
      notes: [...o.notes, ...c.notes],
      warnings: c.warnings,
    };
  }
  const count = range.hi - range.lo + 1;
  return {
    ...common,
    base: null,
    points: o.source.slice(range.lo, range.hi + 1),
    sends: [],
    full: true,
    fullReason: 'format',
    first: range.lo,
    last: range.hi,
    notes: [...o.notes, `${count} point(s), each a separate full copy in ${format === 'image' ? 'image export' : format.toUpperCase()} format.`],
    // R1/R18: only ZFS datasets merge into an existing copy; a forward RoundTrip exists to be merged offsite.
    warnings:
      o.direction === 'forward'
        ? [`Only ZFS can be merged into the offsite copy; ${o.system} as ${format === 'image' ? 'an image export' : format.toUpperCase()} can be read but not merged.`]
        : [],
  };
}
