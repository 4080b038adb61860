// Kept-unit check 1: contents — every point on the unit against its manifest (GUID and the content
// digest computed when it was sent), and against the source when the source is on this bench.
import { toAppError } from '../api/errors.ts';
import { verifyZfsUnit } from '../jobs/zfs/verify.ts';
import type { KeptCheck } from './kept-types.ts';

export async function checkContents(device: string, opts: { sourceRoot?: string | null; signal?: AbortSignal }): Promise<KeptCheck> {
  const check: KeptCheck = { id: 'contents', title: 'Contents: every point against the manifest', status: 'passed', summary: '', evidence: [] };
  try {
    const v = await verifyZfsUnit(device, { sourceRoot: opts.sourceRoot, signal: opts.signal });
    const systems = [...new Set(v.checks.map((c) => c.system))];
    for (const s of systems) {
      const mine = v.checks.filter((c) => c.system === s);
      const bad = mine.filter((c) => !c.ok);
      check.evidence.push(
        bad.length
          ? `${s}: ${bad.length} of ${mine.length} point(s) do not match: ${bad.map((c) => c.problem).join('; ')}`
          : `${s}: ${mine.length} point(s) ${mine[0]?.point ?? ''} … ${mine.at(-1)?.point ?? ''}; ${[...new Set(mine.flatMap((c) => c.checks))].join(', ')} match`,
      );
    }
    if (v.ok) {
      check.summary = `All ${v.pointsChecked} point(s) of ${systems.length} system(s) match the manifest${v.sourceCompared ? ' and the source' : ''}.`;
    } else {
      check.status = 'failed';
      check.summary = `${v.mismatches.length} of ${v.pointsChecked} point(s) do not match the manifest: ${v.mismatches.slice(0, 3).map((m) => `${m.system} @ ${m.point}`).join(', ')}${v.mismatches.length > 3 ? ', …' : ''}.`;
    }
  } catch (e) {
    check.status = 'failed';
    check.summary = `The unit's contents could not be checked: ${toAppError(e).message}`;
  }
  return check;
}
