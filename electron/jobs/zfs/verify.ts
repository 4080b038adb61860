// Verify a ZFS unit: every point in its manifest is on the unit with the source's GUID, and the
// point's content digest computed from the unit equals the digest computed on the source when it
// was sent (and, when the source is reachable here, computed on the source again now).
import { AppError, toAppError } from '../../api/errors.ts';
import { datasetExists, exportPool, listSnapshots, type SnapshotInfo } from '../../system/zfs/index.ts';
import type { Manifest } from '../manifest.ts';
import { ensureUnitPool, openUnit } from '../unit.ts';
import { pointDigest } from './point-digest.ts';

export interface VerifyCheck {
  system: string;
  point: string;
  ok: boolean;
  /** What was compared: guid, unit-digest, source-digest. */
  checks: string[];
  problem?: string;
}

export interface VerifyReport {
  ok: boolean;
  device: string;
  ticketId: string;
  pool: string;
  pointsChecked: number;
  sourceCompared: boolean;
  mismatches: VerifyCheck[];
  checks: VerifyCheck[];
}

export async function verifyZfsUnit(device: string, opts: { sourceRoot?: string | null; signal?: AbortSignal } = {}): Promise<VerifyReport> {
  const unit = await openUnit(device);
  if (!unit.manifest) throw new AppError('MANIFEST_INVALID', `${device} holds no manifest: no sync finished on this unit, so there is nothing to verify.`);
  const m: Manifest = unit.manifest;
  if (m.layout !== 'zfs' || !m.pool) throw new AppError('BAD_INPUT', `${device} is a ${m.layout} unit; verify it with the file verifier.`);
  const imported = await ensureUnitPool(m.pool.name);
  const checks: VerifyCheck[] = [];
  // The source is compared only when asked for (or recorded as this machine's) and present.
  const sourceRoot = opts.sourceRoot === undefined ? (m.source.host === 'local' ? m.source.root : null) : opts.sourceRoot;
  let sourceCompared = false;
  try {
    for (const s of m.systems) {
      const onUnit = (await datasetExists(s.unitPath)) ? new Map((await listSnapshots(s.unitPath)).map((x) => [x.snap, x])) : new Map<string, SnapshotInfo>();
      const srcDs = sourceRoot ? `${sourceRoot}/${s.system}` : null;
      const onSource = srcDs && (await datasetExists(srcDs)) ? new Map((await listSnapshots(srcDs)).map((x) => [x.snap, x])) : null;
      for (const p of s.points) {
        const c: VerifyCheck = { system: s.system, point: p.name, ok: true, checks: [] };
        checks.push(c);
        const fail = (problem: string) => {
          c.ok = false;
          c.problem ??= problem;
        };
        const u = onUnit.get(p.name);
        if (!u) {
          fail(`point ${p.name} of ${s.system} is missing from the unit`);
          continue;
        }
        c.checks.push('guid');
        if (u.guid !== p.guid) fail(`point ${p.name} of ${s.system} on the unit has GUID ${u.guid}, the manifest says ${p.guid}`);
        try {
          const d = await pointDigest(`${s.unitPath}@${p.name}`, p, opts.signal);
          c.checks.push('unit-digest');
          if (d.digest !== p.contentDigest) fail(`the content of point ${p.name} of ${s.system} on the unit differs from what was sent`);
        } catch (e) {
          fail(`point ${p.name} of ${s.system} cannot be read back from the unit (${toAppError(e).message})`);
        }
        if (onSource) {
          const src = onSource.get(p.name);
          if (src) {
            sourceCompared = true;
            c.checks.push('source-guid');
            if (src.guid !== u.guid) fail(`point ${p.name} of ${s.system} has GUID ${src.guid} on the source but ${u.guid} on the unit`);
            const d = await pointDigest(`${srcDs}@${p.name}`, p, opts.signal);
            c.checks.push('source-digest');
            if (d.digest !== p.contentDigest) fail(`the content of point ${p.name} of ${s.system} differs between the source and the unit`);
          }
        }
      }
    }
  } finally {
    if (imported) await exportPool(m.pool.name).catch(() => {});
  }
  const mismatches = checks.filter((c) => !c.ok);
  return { ok: mismatches.length === 0, device, ticketId: m.ticketId, pool: m.pool.name, pointsChecked: checks.length, sourceCompared, mismatches, checks };
}
