// Verify a NAS unit over ssh, as verify.ts does a USB unit: the manifest is read from the NAS alone
// (file next to the unit, checked against itself and the dataset's recorded checksum); every point
// must be on the NAS with the manifest's GUID, and its content digest — `zfs send` on the NAS,
// streamed here through StreamDigest — must equal the one computed on the source when it was sent
// (and, when the source is on this machine, the one computed on the source again now).
import { toAppError } from '../../api/errors.ts';
import { sendOverSsh, type NasHost } from '../../drives/nas.ts';
import { nasSnapshots, readNasManifest } from './nas-unit.ts';
import { digestSendStream, recordsOf } from './point-digest.ts';
import type { VerifyReport } from './verify.ts';
import { sourceSnapshots, verifySystemPoints, type VerifyCheck } from './verify-points.ts';

export interface NasVerifyReport extends VerifyReport {
  dataset: string;
  manifestPath: string;
}

export async function verifyNasUnit(nas: NasHost, dataset: string, opts: { sourceRoot?: string | null; signal?: AbortSignal } = {}): Promise<NasVerifyReport> {
  const { manifest: m, path } = await readNasManifest(nas, dataset);
  const checks: VerifyCheck[] = [];
  const sourceRoot = opts.sourceRoot === undefined ? (m.source.host === 'local' ? m.source.root : null) : opts.sourceRoot;
  let sourceCompared = false;
  // The manifest names the unit path it was written for; a renamed unit is read where it is now.
  const oldRoot = m.nas?.dataset ?? dataset;
  for (const s of m.systems) {
    const unitPath = s.unitPath.startsWith(`${oldRoot}/`) ? `${dataset}/${s.unitPath.slice(oldRoot.length + 1)}` : s.unitPath;
    const onUnit = new Map((await nasSnapshots(nas, unitPath).catch((e) => {
        if (toAppError(e).code === 'ZFS_NO_DATASET') return [];
        throw e;
      })).map((x) => [x.snap, x]));
    const r = await verifySystemPoints(
      s,
      {
        label: 'the NAS',
        snapshots: onUnit,
        digest: async (p) => digestSendStream(await sendOverSsh({ nas, snapshot: `${unitPath}@${p.name}`, from: p.from, signal: opts.signal }), recordsOf(p)),
        // The NAS gone or a cancel ends the verify; anything else fails that point only.
        fatal: (code) => code === 'NAS_UNREACHABLE' || code === 'CANCELLED',
      },
      await sourceSnapshots(sourceRoot, s.system),
      opts.signal,
    );
    checks.push(...r.checks);
    sourceCompared ||= r.sourceCompared;
  }
  const mismatches = checks.filter((c) => !c.ok);
  return {
    ok: mismatches.length === 0,
    device: `${nas.host}:${nas.port ?? 22}`,
    dataset,
    manifestPath: path,
    ticketId: m.ticketId,
    pool: m.pool?.name ?? dataset.split('/')[0],
    pointsChecked: checks.length,
    sourceCompared,
    mismatches,
    checks,
  };
}
