// R2 sizing per format, from sizes the caller measures (jobs/plan-for-ticket.ts; this module
// never reads a pool):
//  - ZFS: the streams that travel. A full send costs the point's full stream; `zfs send -I a b`
//    costs exactly the sum of the per-point incremental streams between a and b (it is their
//    concatenation); a single `zfs send -i a b` across skipped points is estimated by that same
//    sum, an upper bound (blocks rewritten between a and b count once in the real stream), unless
//    the caller measured that span and passes it in `spans`.
//  - NTFS/EXT4 browsable: every selected point in full, from the used bytes of its filesystems.
//  - Image export: every selected point's images, in the chosen image format.
// Plus the layout's data-side overhead (layout.ts). Missing sizes are refused, naming the points,
// rather than guessed, except where a documented fallback exists (a full stream or a
// filesystem's used bytes fall back to the snapshot's referenced bytes, marked as estimated).
import { AppError } from '../api/errors.ts';
import {
  BROWSABLE_OVERHEAD_FRACTION,
  BROWSABLE_OVERHEAD_PER_POINT_BYTES,
  IMAGE_OVERHEAD_PER_POINT_BYTES,
} from './layout.ts';
import { someNames } from './points.ts';
import type { ResolvedSelection } from './resolve.ts';
import type { Format, Point } from './types.ts';

/** What the caller measured for one point. All byte counts. */
export interface PointSizes {
  /** `zfs send -i previous this`, from the previous point of the same side in time order. */
  incrementalBytes?: number;
  /** `zfs send this` (full stream). */
  fullBytes?: number;
  /** Used bytes of the point's filesystems (every volume of an agent; the files of a share). */
  fsUsedBytes?: number;
  /** The point's image files in the ticket's image format. */
  imageBytes?: number;
  /**
   * NTFS/EXT4/image: set when `fsUsedBytes` / `imageBytes` is an estimate rather than a measurement,
   * saying why (e.g. an encrypted agent whose passphrase was not given). The size is then marked
   * estimated and the sentence is added to the system's notes once.
   */
  estimateNote?: string;
}

/** Sizes of one system's points by point name. */
export type SizeTable = ReadonlyMap<string, PointSizes> | Readonly<Record<string, PointSizes>>;

/** A measured stream between two points (from null = full send), to replace an estimate. */
export interface SpanSize {
  from: string | null;
  to: string;
  bytes: number;
}

export interface SizeResult {
  /** The data itself: the figure the fee is charged on (R6). */
  dataBytes: number;
  /** The layout's data-side overhead. */
  overheadBytes: number;
  /** dataBytes + overheadBytes: what is written. */
  bytes: number;
  /** True when any figure is an estimate rather than a measurement. */
  estimated: boolean;
  /** Non-ZFS: bytes written per arriving point (data + its overhead), for spreading points over drives. */
  perPoint: number[] | null;
  notes: string[];
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A lookup for one table, chosen once (plans look up millions of points). For a plain object,
 * a direct property read is several times faster than hasOwnProperty on tables with 10,000
 * numeric-looking keys; inherited members of Object.prototype are functions, so requiring an
 * object rules them out, and "__proto__" (which reads as an object) is checked the slow way.
 */
export function sizeLookup(table: SizeTable | undefined): (name: string) => PointSizes | undefined {
  if (!table) return () => undefined;
  if (table instanceof Map) return (name) => table.get(name);
  const record = table as Record<string, PointSizes>;
  return (name) => {
    if (name === '__proto__') return hasOwn.call(record, name) ? record[name] : undefined;
    const v = record[name];
    return typeof v === 'object' && v !== null ? v : undefined;
  };
}

export function sizesOf(table: SizeTable | undefined, name: string): PointSizes | undefined {
  return sizeLookup(table)(name);
}

function bytes(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function referenced(p: Point): number | undefined {
  return bytes(p.referencedBytes);
}

export function sizeForFormat(format: Format, resolved: ResolvedSelection, sizes: SizeTable | undefined, opts: { spans?: readonly SpanSize[]; carryBase?: boolean } = {}): SizeResult {
  const missing: string[] = [];
  const notes: string[] = [];
  let estimated = false;
  let fallbacks = 0;
  let data = 0;
  let overhead = 0;
  let perPoint: number[] | null = null;
  const src = resolved.source;
  const sizeOf = sizeLookup(sizes);

  if (format === 'zfs') {
    const spans = new Map<string, number>();
    for (const s of opts.spans ?? []) {
      const b = bytes(s.bytes);
      if (b !== undefined) spans.set(`${s.from ?? ''}>${s.to}`, b);
    }
    let upperBound = false;
    if (opts.carryBase && resolved.base) {
      const name = resolved.base.name;
      let full = spans.get(`>${name}`) ?? bytes(sizeOf(name)?.fullBytes);
      if (full === undefined && (full = referenced(resolved.base)) !== undefined) fallbacks++;
      if (full === undefined) missing.push(name);
      else overhead += full;
      notes.push(`The unit carries the lock point ${name} in full, so the receiving pool can take the increments on top of it.`);
    }
    for (const send of resolved.sends) {
      const measured = spans.get(`${send.from ?? ''}>${send.to}`);
      if (measured !== undefined) {
        data += measured;
        continue;
      }
      if (send.from === null) {
        const p = src[send.toIndex];
        let full = bytes(sizeOf(p.name)?.fullBytes);
        if (full === undefined && (full = referenced(p)) !== undefined) fallbacks++;
        if (full === undefined) missing.push(p.name);
        else data += full;
        continue;
      }
      for (let i = send.fromIndex + 1; i <= send.toIndex; i++) {
        const inc = bytes(sizeOf(src[i].name)?.incrementalBytes);
        if (inc === undefined) missing.push(src[i].name);
        else data += inc;
      }
      if (!send.intermediates && send.toIndex > send.fromIndex + 1) upperBound = true;
    }
    if (upperBound) {
      estimated = true;
      notes.push('The incremental across skipped points is estimated as the sum of the streams it spans (an upper bound); measuring that span makes it exact.');
    }
    if (fallbacks > 0) notes.push('The full stream is estimated from the point\'s referenced size.');
  } else {
    perPoint = new Array(resolved.last - resolved.first + 1);
    for (let i = resolved.first, k = 0; i <= resolved.last; i++, k++) {
      const p = src[i];
      const s = sizeOf(p.name);
      let b: number | undefined;
      let extra: number;
      if (typeof s?.estimateNote === 'string' && s.estimateNote) {
        estimated = true;
        if (!notes.includes(s.estimateNote)) notes.push(s.estimateNote);
      }
      if (format === 'image') {
        b = bytes(s?.imageBytes);
        extra = IMAGE_OVERHEAD_PER_POINT_BYTES;
      } else {
        b = bytes(s?.fsUsedBytes);
        if (b === undefined && (b = referenced(p)) !== undefined) fallbacks++;
        extra = Math.ceil((b ?? 0) * BROWSABLE_OVERHEAD_FRACTION) + BROWSABLE_OVERHEAD_PER_POINT_BYTES;
      }
      if (b === undefined) {
        missing.push(p.name);
        perPoint[k] = 0;
        continue;
      }
      data += b;
      overhead += extra;
      perPoint[k] = b + extra;
    }
    if (fallbacks > 0) notes.push(`${fallbacks} point(s) are sized from their referenced size because their filesystems' used bytes were not measured.`);
  }

  if (missing.length > 0) {
    const what = format === 'zfs' ? 'stream sizes' : format === 'image' ? 'image sizes' : "filesystems' used bytes";
    throw new AppError('BAD_INPUT', `The ${what} of ${missing.length} point(s) of ${resolved.system} are not known (${someNames(missing)}); measure them before planning.`, {
      data: { system: resolved.system, format, missing: missing.slice(0, 50) },
    });
  }
  if (fallbacks > 0) estimated = true;
  return { dataBytes: data, overheadBytes: overhead, bytes: data + overhead, estimated, perPoint, notes };
}
