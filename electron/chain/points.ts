// Small helpers on point lists: ordering, lookup, and the words used in sentences about them.
// Everything here is O(n) or O(log n) because plans walk millions of points.
import { AppError } from '../api/errors.ts';
import type { Direction, Point } from './types.ts';

export const DAY_SECONDS = 86_400;

function before(a: Point, b: Point): number {
  return a.time - b.time || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The points in time order. Returns the same array when it is already sorted (the common case: zfs lists in creation order). */
export function sortedPoints(points: readonly Point[]): readonly Point[] {
  for (let i = 1; i < points.length; i++) {
    if (before(points[i - 1], points[i]) > 0) return points.slice().sort(before);
  }
  return points;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Refuse a GUID carried as a JS number: above 2^53 two different snapshots can round to the same
 * number, and matching by GUID would then call them the same point.
 */
export function assertGuids(points: readonly Point[], where: string): boolean {
  let all = points.length > 0;
  for (let i = 0; i < points.length; i++) {
    const g = points[i].guid;
    if (g === undefined) {
      all = false;
      continue;
    }
    // A cheap check on millions of points: a string of 1-20 characters starting and ending with a digit.
    if (typeof g !== 'string' || g.length === 0 || g.length > 20 || !isDigit(g.charCodeAt(0)) || !isDigit(g.charCodeAt(g.length - 1))) {
      throw new AppError('BAD_INPUT', `Point ${points[i].name} of ${where} carries a GUID that is not a decimal string.`, {
        hint: 'Pass snapshot GUIDs as decimal strings (zfs get -Hp guid), never as numbers.',
        data: { point: points[i].name, guid: String(g) },
      });
    }
  }
  return all;
}

/** Index of the first point with time >= t (points sorted). */
export function lowerBound(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first point with time > t (points sorted). */
export function upperBound(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Find a point by its name, or by its epoch seconds when given a number or a string of digits. */
export function findPoint(points: readonly Point[], ref: string | number): number {
  const name = String(ref);
  const digits = /^\d+$/.test(name);
  // Names are usually the epoch seconds, so a binary search on time finds the point without a map.
  if (digits) {
    const t = Number(name);
    for (let i = lowerBound(points, t); i < points.length && points[i].time === t; i++) if (points[i].name === name) return i;
  }
  for (let i = 0; i < points.length; i++) if (points[i].name === name) return i;
  if (digits) {
    const i = lowerBound(points, Number(name));
    if (i < points.length && points[i].time === Number(name)) return i;
  }
  return -1;
}

/** "2023-11-14 22:13 UTC": how a point or a date appears in a sentence for a technician. */
export function when(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds)) return String(epochSeconds);
  const iso = new Date(epochSeconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function day(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

export function pointLabel(p: Point): string {
  return `${p.name} (${when(p.time)})`;
}

/** The words for each side, so sentences read right in both directions. */
export function sides(direction: Direction): { source: string; receiver: string } {
  return direction === 'forward'
    ? { source: 'the local appliance', receiver: 'offsite' }
    : { source: 'offsite', receiver: 'the appliance' };
}

/** A list of names for a sentence: the first few, then "and N more". */
export function someNames(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
