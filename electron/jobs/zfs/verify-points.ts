// The per-point checks every ZFS verify makes, wherever the unit is (a pool on this bench, or a NAS
// over ssh): the point is on the unit with the manifest's GUID; sent again from the unit it gives the
// manifest's digest (stream-digest.ts); and, when the source is here, the source's point has the
// same GUID and gives the same digest now.
import { toAppError } from '../../api/errors.ts';
import { datasetExists, listSnapshots } from '../../system/zfs/index.ts';
import type { ManifestPoint, ManifestSystem } from '../manifest.ts';
import { pointDigest } from './point-digest.ts';

export interface VerifyCheck {
  system: string;
  point: string;
  ok: boolean;
  /** What was compared: guid, unit-digest, source-guid, source-digest. */
  checks: string[];
  problem?: string;
  /** A sealed unit of images: which image of the point (a point has one per volume). */
  file?: string;
}

export interface UnitSide {
  /** How a technician names it in a sentence: "the unit", "the NAS". */
  label: string;
  /** The system's points on the unit by name (empty when its dataset is missing). */
  snapshots: Map<string, { guid: string }>;
  /** The point sent again from the unit, hashed against the manifest's records. */
  digest(p: ManifestPoint): Promise<{ digest: string }>;
  /** Errors that stop the whole verify instead of failing one point (the NAS gone, a cancel). */
  fatal?(code: string): boolean;
}

/** The source's points of `system` under `sourceRoot`, or null when they are not on this bench. */
export async function sourceSnapshots(sourceRoot: string | null, system: string): Promise<{ dataset: string; snapshots: Map<string, { guid: string }> } | null> {
  const ds = sourceRoot ? `${sourceRoot}/${system}` : null;
  if (!ds || !(await datasetExists(ds))) return null;
  return { dataset: ds, snapshots: new Map((await listSnapshots(ds)).map((x) => [x.snap, x])) };
}

export async function verifySystemPoints(
  s: ManifestSystem,
  unit: UnitSide,
  source: { dataset: string; snapshots: Map<string, { guid: string }> } | null,
  signal?: AbortSignal,
): Promise<{ checks: VerifyCheck[]; sourceCompared: boolean }> {
  const checks: VerifyCheck[] = [];
  let sourceCompared = false;
  const on = unit.label;
  for (const p of s.points) {
    const c: VerifyCheck = { system: s.system, point: p.name, ok: true, checks: [] };
    checks.push(c);
    const fail = (problem: string) => {
      c.ok = false;
      c.problem ??= problem;
    };
    const u = unit.snapshots.get(p.name);
    if (!u) {
      fail(`point ${p.name} of ${s.system} is missing from ${on}`);
      continue;
    }
    c.checks.push('guid');
    if (u.guid !== p.guid) fail(`point ${p.name} of ${s.system} on ${on} has GUID ${u.guid}, the manifest says ${p.guid}`);
    try {
      const d = await unit.digest(p);
      c.checks.push('unit-digest');
      if (d.digest !== p.contentDigest) fail(`the content of point ${p.name} of ${s.system} on ${on} differs from what was sent`);
    } catch (e) {
      const err = toAppError(e);
      if (unit.fatal?.(err.code)) throw err;
      fail(`point ${p.name} of ${s.system} cannot be read back from ${on} (${err.message})`);
    }
    const src = source?.snapshots.get(p.name);
    if (src) {
      sourceCompared = true;
      c.checks.push('source-guid');
      if (src.guid !== u.guid) fail(`point ${p.name} of ${s.system} has GUID ${src.guid} on the source but ${u.guid} on ${on}`);
      const d = await pointDigest(`${source!.dataset}@${p.name}`, p, signal);
      c.checks.push('source-digest');
      if (d.digest !== p.contentDigest) fail(`the content of point ${p.name} of ${s.system} differs between the source and ${on}`);
    }
  }
  return { checks, sourceCompared };
}
