// Kept-unit verification (R19): contents, a file restore, VHD and VMDK exports, the unit's health,
// and a report (HTML and PDF) the partner keeps.
import { verifyKeptUnit } from '../../merge/verify-kept.ts';
import type { KeptCheck } from '../../merge/kept-types.ts';
import { appPath } from '../../system/paths.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';

export const kind: JobKindDef<'verify-kept'> = {
  kind: 'verify-kept',
  // The steps the verification's meter reports, in order; the report is written after the last.
  steps: ['contents', 'file-restore', 'image-export', 'pool-health', 'smart'],
  title: (p) => `Verify kept unit ${p.device}`,
  holds: (p) => ({ drives: [p.device], tickets: [] }),
  resume: 'restart',
  async run(p, ctx) {
    const done: KeptCheck[] = [];
    const r = await verifyKeptUnit(
      {
        device: p.device,
        system: p.system,
        point: p.point,
        volume: p.volume,
        sourceRoot: p.source,
        // The report goes with the job, so reports.kept finds it by the job's id.
        reportBase: appPath('reports', ctx.jobId, 'kept-unit-report'),
        actor: p.actor ?? 'engine',
      },
      {
        signal: ctx.signal,
        onProgress: ctx.onProgress,
        onCheck: (c) => {
          done.push(c);
          ctx.log(`${c.title}: ${c.status}: ${c.summary}`);
          ctx.annotate({ keptChecks: [...done] });
        },
      },
    );
    return r;
  },
};
