// A sealed unit as a merge's source (unit-source.ts, docs/sealed-units.md): the systems whose
// stream files are on this drive, proven by opening every file to its end (each record
// authenticated, each stream's SHA-256 the one recorded when it was sent) before anything is
// received; a point's stream is its file opened on the way into `zfs receive`, so a record that
// fails its tag stops the receive before its data reaches ZFS. A stream cannot be re-based: the
// file holds the point as sent from its predecessor.
import { AppError } from '../api/errors.ts';
import { authenticateSealed, openSealedUnit, sealedEntriesOf } from '../jobs/sealed/sealed-unit.ts';
import { logLine } from '../system/log.ts';
import type { UnitOnDrive } from '../jobs/unit.ts';
import type { UnitSource } from './unit-source-type.ts';

export async function openSealedSource(device: string, unitPassphrase: string | undefined, jobId?: string, read?: UnitOnDrive): Promise<UnitSource> {
  const session = await openSealedUnit(device, unitPassphrase, jobId, read);
  if (Object.keys(session.absent).length) logLine('merge', { op: 'sealed unit drives', device, attached: session.drives, absent: Object.keys(session.absent) });
  return {
    kind: 'drive',
    label: session.drives.map((d) => d.device).join(' + '),
    manifest: session.manifest,
    absent: session.absent,
    localPool: null,
    disks: session.drives.map((d) => d.device),
    unitPath: (s) => `${s.system} on sealed unit ${session.manifest.unitId}`,
    async verify(signal) {
      const results = await authenticateSealed(session, signal);
      // A refused file stops the merge with the file's own code (tampered, cut, foreign): nothing is received.
      const refused = results.find((r) => r.error);
      if (refused?.error) {
        const e = refused.error;
        throw new AppError(e.code, `${refused.system}@${refused.point} on the unit: ${e.message}`, { hint: 'Nothing was merged: the unit was checked before anything was received. Do not merge this unit; have it synced again.', step: 'verify-unit', data: e.data });
      }
      const checks = results.map((r) => ({ system: r.system, point: r.point, ok: r.ok, checks: ['sealed-records', 'unit-digest'], ...(r.problem ? { problem: r.problem } : {}) }));
      return { ok: checks.every((c) => c.ok), device: session.drives.map((d) => d.device).join(' + '), ticketId: session.manifest.ticketId, pool: '', pointsChecked: checks.length, sourceCompared: false, mismatches: checks.filter((c) => !c.ok), checks };
    },
    async send(s, point, from, signal) {
      const p = s.points.find((x) => x.name === point);
      if (!p) throw new AppError('NOT_FOUND', `Point ${point} of ${s.system} is not on this unit.`);
      if ((p.from ?? null) !== from) {
        throw new AppError('MERGE_NO_COMMON_POINT', `Point ${point} of ${s.system} is sealed on the unit as a stream from ${p.from ?? 'nothing (a full stream)'}; it cannot be received from ${from ?? 'nothing'}.`, {
          hint: 'A sealed stream cannot be re-based: the destination needs the point it was sent from.',
        });
      }
      const [file] = sealedEntriesOf(s.system, p);
      if (!file) throw new AppError('MANIFEST_INVALID', `The sealed manifest names no stream file for point ${point} of ${s.system}.`);
      const { stdout, done } = session.open(file, signal);
      return { stdout, done: done.then(() => undefined) };
    },
    async keyRecord(s) {
      throw new AppError('NOT_FOUND', `On a sealed unit ${s.system}'s key record is inside its sealed streams: merge it first, then enter its passphrase on the destination (roundtrip unlock).`);
    },
    close: () => session.close(),
  };
}
