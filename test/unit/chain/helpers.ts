// Builders for chain tests: points named by their epoch seconds, GUIDs above 2^53 as strings.
import { AppError } from '../../../electron/api/errors.ts';
import type { Point, SystemInventory } from '../../../electron/chain/types.ts';

export const T0 = 1_700_000_000; // 2023-11-14 22:13:20 UTC
export const HOUR = 3600;
export const DAY = 86_400;

/** A GUID as ZFS prints it: 64-bit, well above 2^53, unique per point time (and per dataset "seed"). */
export function guidFor(time: number, seed = 1): string {
  return (10n ** 18n * BigInt(seed) + BigInt(time)).toString();
}

export function point(time: number, opts: { guid?: boolean; seed?: number; referencedBytes?: number } = {}): Point {
  const p: Point = { name: String(time), time };
  if (opts.guid !== false) p.guid = guidFor(time, opts.seed);
  if (opts.referencedBytes !== undefined) p.referencedBytes = opts.referencedBytes;
  return p;
}

export function points(times: number[], opts: { guid?: boolean; seed?: number } = {}): Point[] {
  return times.map((t) => point(t, opts));
}

/** `count` points from `start`, one every `step` seconds. */
export function series(count: number, start = T0, step = HOUR, opts: { guid?: boolean; seed?: number } = {}): Point[] {
  return Array.from({ length: count }, (_, i) => point(start + i * step, opts));
}

export function inventory(local: Point[], offsite: Point[], system = 'agent-1', kind: 'agent' | 'share' = 'agent'): SystemInventory {
  return { system, kind, local, offsite };
}

/** The AppError `f` throws (anything else fails the test). */
export function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
