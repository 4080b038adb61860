// R20 retention preview: between now and the day the unit is merged, retention keeps running on
// both sides. Simulate one run per day on each side and mark what it deletes. Two deletions break
// the plan: the lock (the chain's base: the sending side needs it to build the chain, the receiving
// side to apply it) and any selected point still on the sending side (it may go before the sync
// copies it). The sync places guards (jobs/zfs/guards.ts); guarded points are passed in `holds`
// and survive.
import { orient } from './match.ts';
import { day, pointLabel, sides, someNames } from './points.ts';
import { resolveOriented } from './resolve.ts';
import { dailyRuns, LOCAL_RETENTION_DEFAULT, OFFSITE_RETENTION_DEFAULT, simulateRetention, type RetentionPolicy } from './retention.ts';
import type { Direction, Format, Point, PointRef, Selection, SystemInventory } from './types.ts';

export interface DeletedPoint {
  name: string;
  time: number;
  /** When the run that deletes it happens (epoch seconds). */
  at: number;
  lock: boolean;
  selected: boolean;
}

export interface RetentionPreview {
  system: string;
  local: DeletedPoint[];
  offsite: DeletedPoint[];
  runs: number;
  /** Sides on which retention deletes the lock before arrival. */
  lockDeleted: Array<{ side: 'local' | 'offsite'; at: number }>;
  selectedDeleted: Array<{ side: 'local' | 'offsite'; name: string; at: number }>;
  warnings: string[];
}

export interface RetentionPreviewOptions {
  direction?: Direction;
  format?: Format;
  lockOverride?: PointRef | null;
  /** Points under a guard (by name), kept on both sides. */
  holds?: Iterable<string>;
  /**
   * Local points waiting for offsite sync. Default: every local point that is not offsite, since
   * the article says retention keeps every point queued for replication.
   */
  pendingOffsite?: Iterable<string>;
  utcOffsetSeconds?: number;
}

export function retentionPreview(
  inv: SystemInventory,
  selection: Selection,
  policies: { local?: RetentionPolicy; offsite?: RetentionPolicy },
  now: number,
  arrival: number,
  opts: RetentionPreviewOptions = {},
): RetentionPreview {
  const direction = opts.direction ?? 'forward';
  const o = orient(inv, direction);
  const r = resolveOriented(o, selection, opts.format ?? 'zfs', opts.lockOverride);
  const runs = dailyRuns(now, arrival);
  const holds = new Set(opts.holds ?? []);

  // Which local points are offsite: the forward view answers it whatever the ticket's direction.
  const fwd = direction === 'forward' ? o : orient(inv, 'forward');
  const pending = new Set<string>(opts.pendingOffsite ?? []);
  if (opts.pendingOffsite === undefined) for (let i = 0; i < fwd.source.length; i++) if (fwd.counterpart[i] === -1) pending.add(fwd.source[i].name);
  for (const h of holds) pending.add(h);

  const localSim = simulateRetention(inv.local, policies.local ?? LOCAL_RETENTION_DEFAULT, runs, { protectedNames: pending, utcOffsetSeconds: opts.utcOffsetSeconds });
  const offsiteSim = simulateRetention(inv.offsite, policies.offsite ?? OFFSITE_RETENTION_DEFAULT, runs, { protectedNames: holds, utcOffsetSeconds: opts.utcOffsetSeconds });

  // The lock's name on each side (equal unless matched by GUID under different names).
  const sourceSide: 'local' | 'offsite' = direction === 'forward' ? 'local' : 'offsite';
  const receiverSide: 'local' | 'offsite' = direction === 'forward' ? 'offsite' : 'local';
  const lockNames: Record<'local' | 'offsite', string | null> = { local: null, offsite: null };
  const lockIndex = r.lock ? o.source.indexOf(r.lock) : -1;
  if (lockIndex >= 0) {
    lockNames[sourceSide] = o.source[lockIndex].name;
    lockNames[receiverSide] = o.receiver[o.counterpart[lockIndex]].name;
  }
  const selectedNames = new Set<string>();
  for (const p of r.points) selectedNames.add(p.name);

  const mark = (side: 'local' | 'offsite', list: Array<{ point: Point; at: number }>): DeletedPoint[] =>
    list.map(({ point, at }) => ({
      name: point.name,
      time: point.time,
      at,
      lock: point.name === lockNames[side],
      selected: side === sourceSide && selectedNames.has(point.name),
    }));
  const local = mark('local', localSim.deleted);
  const offsite = mark('offsite', offsiteSim.deleted);

  const words = sides(direction);
  const sideWords = (side: 'local' | 'offsite') => (side === 'local' ? 'Local' : 'Offsite');
  const warnings: string[] = [];
  const lockDeleted: RetentionPreview['lockDeleted'] = [];
  const selectedDeleted: RetentionPreview['selectedDeleted'] = [];
  for (const [side, list] of [['local', local], ['offsite', offsite]] as const) {
    for (const d of list) {
      if (d.lock) {
        lockDeleted.push({ side, at: d.at });
        warnings.push(
          `${sideWords(side)} retention will delete the lock ${pointLabel(d)} of ${inv.system} on ${day(d.at)}, before the unit arrives on ${day(arrival)}; the chain starts from it. Place a guard on the lock or move it to a point retention keeps.`,
        );
      }
      if (d.selected) selectedDeleted.push({ side, name: d.name, at: d.at });
    }
  }
  if (selectedDeleted.length > 0) {
    const firstAt = Math.min(...selectedDeleted.map((s) => s.at));
    warnings.push(
      `${sideWords(sourceSide)} retention will delete ${selectedDeleted.length} selected point(s) of ${inv.system} (${someNames(selectedDeleted.map((s) => s.name))}) from ${words.source}, the first on ${day(firstAt)}; sync before then or place a guard on them.`,
    );
  }
  return { system: inv.system, local, offsite, runs: runs.length, lockDeleted, selectedDeleted, warnings };
}
