// What merging one system of a unit into a destination dataset would do, decided from the two point
// lists alone (no tools): new system, increments on top of the newest common point, nothing to do,
// or a refusal. Points are matched by GUID only: a point with the same name but another GUID on the
// destination is a different snapshot (a re-created dataset) and never counts as common.
// Pure (no node:*), so the UI can show the same answer before anything runs.

export interface PlanPoint {
  name: string;
  guid: string;
  /** Epoch seconds, for sentences; optional. */
  time?: number;
}

/** `U`: the unit's point type (the manifest's, with its chain), kept so the receive step gets it back. */
export type SystemMergePlan<U extends PlanPoint = PlanPoint> =
  | { kind: 'new'; receive: U[] }
  | { kind: 'up-to-date'; common: U }
  | { kind: 'incremental'; common: U; receive: U[]; rollback: PlanPoint[] }
  | { kind: 'refuse-newer'; common: U; receive: U[]; newer: PlanPoint[] }
  | { kind: 'refuse-no-common'; destinationPoints: number }
  /** The unit holds the system but it cannot be read here (a sealed unit's drive is not attached). */
  | { kind: 'refuse-absent'; why: string };

/**
 * @param unit the unit's points of the system, oldest first (the manifest's order)
 * @param destination the destination dataset's points, oldest first, or null when it does not exist
 * @param allowRollback the technician asked to discard this system's destination points newer than the common point
 */
export function planSystemMerge<U extends PlanPoint>(unit: U[], destination: PlanPoint[] | null, allowRollback: boolean): SystemMergePlan<U> {
  if (destination === null) return { kind: 'new', receive: [...unit] };
  const onDest = new Map(destination.map((p, i) => [p.guid, i]));
  let u = -1;
  for (let i = unit.length - 1; i >= 0; i--) {
    if (onDest.has(unit[i].guid)) {
      u = i;
      break;
    }
  }
  if (u < 0) return { kind: 'refuse-no-common', destinationPoints: destination.length };
  const common = unit[u];
  const d = onDest.get(common.guid)!;
  // Newest common point: nothing after it on the destination is on the unit, so all of it would go.
  const newer = destination.slice(d + 1);
  const receive = unit.slice(u + 1);
  // Nothing of the unit is missing: the destination's newer points are simply kept.
  if (receive.length === 0) return { kind: 'up-to-date', common };
  if (newer.length && !allowRollback) return { kind: 'refuse-newer', common, receive, newer };
  return { kind: 'incremental', common, receive, rollback: newer };
}

export function pointWords(p: PlanPoint): string {
  const t = p.time ?? (/^\d{9,11}$/.test(p.name) ? Number(p.name) : undefined);
  return t === undefined ? p.name : `${p.name} (${new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

/** The sentence a technician reads when a system is refused because of newer destination points. */
export function newerPointsSentence(system: string, destination: string, common: PlanPoint, newer: PlanPoint[]): string {
  const list = newer.map(pointWords);
  const shown = list.length > 6 ? [...list.slice(0, 6), `and ${list.length - 6} more`] : list;
  return (
    `${system}: ${destination} has ${newer.length} point(s) newer than the last point it shares with the unit (${pointWords(common)}); ` +
    `merging would delete ${shown.join(', ')}.`
  );
}
