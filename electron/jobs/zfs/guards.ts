// Guards on lock points (issue 5, R20): while a unit is on its way, the point its increments start
// from must not be deleted by retention on the sending side. A sync places one guard per system
// (guard-lock step), journaled; once the ticket's unit is merged (or the ticket is dropped), the
// guards are released so retention may take those points again.
//  - Where the probe says holds work (OpenZFS, and zfs-fuse's pool v23): a hold `roundtrip-<ticket>`.
//  - Otherwise: a user property `roundtrip:guard-<ticket>=lock` on the point, which the appliance's
//    retention honours.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toAppError } from '../../api/errors.ts';
import { datasetExists, hold, inheritUserProp, listSnapshots, probeZfs, release, setUserProp } from '../../system/zfs/index.ts';
import { jobDir } from '../journal.ts';

export type GuardRecord = { type: 'guard'; system: string; snapshot: string; method: 'hold' | 'property' };

export function guardTag(ticketId: string): string {
  return `roundtrip-${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

function guardProp(ticketId: string): string {
  return `roundtrip:guard-${ticketId}`;
}

/** guard-lock: each system's lock point on the source gets its guard, journaled. Shared by the USB and NAS pipelines. */
export async function guardLockPoints(
  ticketId: string,
  systems: ReadonlyArray<{ system: string; sourceDataset: string; base: string | null }>,
  record: (r: GuardRecord) => void,
): Promise<Awaited<ReturnType<typeof probeZfs>>> {
  const caps = await probeZfs();
  for (const s of systems) {
    if (!s.base) continue;
    const snap = `${s.sourceDataset}@${s.base}`;
    if (caps.holds) {
      await hold(snap, guardTag(ticketId)).catch((e) => {
        if (e?.code !== 'ZFS_EXISTS') throw e;
      });
    } else {
      await setUserProp(snap, guardProp(ticketId), 'lock');
    }
    record({ type: 'guard', system: s.system, snapshot: snap, method: caps.holds ? 'hold' : 'property' });
  }
  return caps;
}

/** Every guard the ticket's syncs recorded, in this run's journal and in those set aside by new runs (R9). */
export function ticketGuards(syncJobId: string): GuardRecord[] {
  let names: string[];
  try {
    names = readdirSync(jobDir(syncJobId)).filter((n) => /^journal(\.\d+)?\.jsonl$/.test(n));
  } catch {
    return [];
  }
  const seen = new Map<string, GuardRecord>();
  for (const n of names) {
    for (const line of readFileSync(join(jobDir(syncJobId), n), 'utf8').split('\n')) {
      if (!line.includes('"type":"guard"')) continue;
      try {
        const r = JSON.parse(line) as GuardRecord;
        if (r.type === 'guard' && typeof r.snapshot === 'string') seen.set(`${r.method} ${r.snapshot}`, r);
      } catch {
        /* a torn last line of a killed run: nothing was guarded by it */
      }
    }
  }
  return [...seen.values()];
}

export interface GuardRelease {
  /** Points whose guard was removed (or was already gone). */
  released: string[];
  /** Points not on this bench (the sending side is elsewhere, or the point was deleted). */
  absent: string[];
  /** Points whose guard could not be removed, with why. */
  failed: Array<{ snapshot: string; message: string }>;
}

/** Releases every guard the ticket's syncs placed. Safe to run again: a guard already gone counts as released. */
export async function releaseTicketGuards(ticketId: string, syncJobId: string): Promise<GuardRelease> {
  const out: GuardRelease = { released: [], absent: [], failed: [] };
  for (const g of ticketGuards(syncJobId)) {
    const [dataset] = g.snapshot.split('@');
    try {
      if (!(await datasetExists(dataset)) || !(await snapshotExists(g.snapshot))) {
        out.absent.push(g.snapshot);
        continue;
      }
      if (g.method === 'hold') {
        await release(g.snapshot, guardTag(ticketId)).catch((e) => {
          if (e?.code !== 'NOT_FOUND') throw e;
        });
      } else {
        await inheritUserProp(g.snapshot, guardProp(ticketId));
      }
      out.released.push(g.snapshot);
    } catch (e) {
      out.failed.push({ snapshot: g.snapshot, message: toAppError(e).message });
    }
  }
  return out;
}

async function snapshotExists(snapshot: string): Promise<boolean> {
  const [dataset, snap] = snapshot.split('@');
  return (await listSnapshots(dataset)).some((s) => s.snap === snap);
}
