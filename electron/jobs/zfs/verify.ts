// Verify a ZFS unit: every point in its manifest is on the unit with the source's GUID, and the
// point's content digest computed from the unit equals the digest computed on the source when it
// was sent (and, when the source is reachable here, computed on the source again now).
import { AppError } from '../../api/errors.ts';
import { datasetExists, exportPool, listSnapshots, type SnapshotInfo } from '../../system/zfs/index.ts';
import type { Manifest } from '../manifest.ts';
import { ensureUnitPool, openUnit } from '../unit.ts';
import { pointDigest } from './point-digest.ts';
import { sourceSnapshots, verifySystemPoints, type VerifyCheck } from './verify-points.ts';

export type { VerifyCheck } from './verify-points.ts';

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
      const r = await verifySystemPoints(
        s,
        { label: 'the unit', snapshots: onUnit, digest: (p) => pointDigest(`${s.unitPath}@${p.name}`, p, opts.signal) },
        await sourceSnapshots(sourceRoot, s.system),
        opts.signal,
      );
      checks.push(...r.checks);
      sourceCompared ||= r.sourceCompared;
    }
  } finally {
    if (imported) await exportPool(m.pool.name).catch(() => {});
  }
  const mismatches = checks.filter((c) => !c.ok);
  return { ok: mismatches.length === 0, device, ticketId: m.ticketId, pool: m.pool.name, pointsChecked: checks.length, sourceCompared, mismatches, checks };
}
