// `roundtrip verify-kept DEV [--system NAME] [--point P] [--volume V] [--source POOL | --no-source] [--report BASE] [--json]` (R19)
// A verify-kept job; with --report the report's HTML and PDF are fetched from the engine
// (reports.kept) and written to BASE.html and BASE.pdf.
import { writeFileSync } from 'node:fs';
import { AppError } from '../../api/errors.ts';
import { STATUS_WORD, type KeptReport } from '../../merge/kept-types.ts';
import { call, runJob } from '../engine-client.ts';
import { progressPrinter } from '../progress-printer.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'verify-kept',
  summary: 'verify a unit the partner keeps: contents, file restore, VHD/VMDK export, health; HTML + PDF report',
  usage: 'roundtrip verify-kept DEV [--system NAME] [--point P] [--volume V] [--source POOL | --no-source] [--report FILE] [--by NAME] [--json]',
  async run(args) {
    const device = args.positional[0];
    if (!device) throw new AppError('BAD_INPUT', 'Name the unit\'s drive: roundtrip verify-kept /dev/sdX');
    const opt = (name: string) => {
      const v = flagString(args, name);
      return v === undefined ? {} : { [name]: v };
    };
    const source = flagBool(args, 'no-source') ? { source: null } : opt('source');
    let jobId = '';
    const r = await runJob<KeptReport>(
      { kind: 'verify-kept', params: { device, ...opt('system'), ...opt('point'), ...opt('volume'), ...source, actor: flagString(args, 'by') ?? 'cli' } },
      { onStart: (job) => (jobId = job.id), onProgress: progressPrinter(!args.json) },
    );
    const base = flagString(args, 'report')?.replace(/\.(html|pdf)$/i, '');
    if (base && jobId) {
      const files = { html: `${base}.html`, pdf: `${base}.pdf` };
      for (const format of ['html', 'pdf'] as const) writeFileSync(files[format], Buffer.from((await call('reports.kept', { jobId, format })).base64, 'base64'));
      r.files = files;
    }
    const human = [
      `Kept unit of ticket ${r.unit.ticketId}: ${r.ok ? 'every check passed' : 'VERIFICATION FAILED'}.`,
      ...r.checks.map((c) => `  ${STATUS_WORD[c.status].padEnd(13)} ${c.title}: ${c.summary}`),
      `Report: ${r.files?.html} and ${r.files?.pdf}`,
    ].join('\n');
    return { json: r, human, exitCode: r.ok ? 0 : 1 };
  },
};
