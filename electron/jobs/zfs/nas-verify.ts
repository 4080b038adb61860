// Verify a NAS unit over ssh, as verify.ts does a USB unit: the manifest is read from the NAS alone
// (file next to the unit, checked against itself and the dataset's recorded checksum); every point
// must be on the NAS with the manifest's GUID, and its content digest — `zfs send` on the NAS,
// streamed here through StreamDigest — must equal the one computed on the source when it was sent
// (and, when the source is on this machine, the one computed on the source again now).
import { toAppError } from '../../api/errors.ts';
import { sendOverSsh, type NasHost } from '../../drives/nas.ts';
import { datasetExists, listSnapshots } from '../../system/zfs/index.ts';
import { nasSnapshots, readNasManifest } from './nas-sync.ts';
import { digestSendStream, pointDigest, recordsOf } from './point-digest.ts';
import type { VerifyCheck, VerifyReport } from './verify.ts';

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
        fail(`point ${p.name} of ${s.system} is missing from the NAS unit`);
        continue;
      }
      c.checks.push('guid');
      if (u.guid !== p.guid) fail(`point ${p.name} of ${s.system} on the NAS has GUID ${u.guid}, the manifest says ${p.guid}`);
      try {
        const d = await digestSendStream(await sendOverSsh({ nas, snapshot: `${unitPath}@${p.name}`, from: p.from, signal: opts.signal }), recordsOf(p));
        c.checks.push('unit-digest');
        if (d.digest !== p.contentDigest) fail(`the content of point ${p.name} of ${s.system} on the NAS differs from what was sent`);
      } catch (e) {
        const err = toAppError(e);
        if (err.code === 'NAS_UNREACHABLE' || err.code === 'CANCELLED') throw err;
        fail(`point ${p.name} of ${s.system} cannot be read back from the NAS (${err.message})`);
      }
      const src = onSource?.get(p.name);
      if (src) {
        sourceCompared = true;
        c.checks.push('source-guid');
        if (src.guid !== u.guid) fail(`point ${p.name} of ${s.system} has GUID ${src.guid} on the source but ${u.guid} on the NAS`);
        const d = await pointDigest(`${srcDs}@${p.name}`, p, opts.signal);
        c.checks.push('source-digest');
        if (d.digest !== p.contentDigest) fail(`the content of point ${p.name} of ${s.system} differs between the source and the NAS`);
      }
    }
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
