// A format job: erase drives and make them one RoundTrip unit (R5 stripe for ZFS, one filesystem
// per drive for NTFS/EXT4). The drive policy refuses unsafe drives in the engine, whatever the request.
import { formatDrives, type FormatDoneResult } from '../../drives/format.ts';
import { ticketKey } from '../jobs/ticket-key.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';
import { stepSnapshot } from '../jobs/step-progress.ts';

export const kind: JobKindDef<'format'> = {
  kind: 'format',
  steps: ['unmount', 'destroy-pool', 'wipe', 'partition', 'metadata-fs', 'data-fs', 'pool', 'metadata', 'flush'],
  title: (p) => `Format ${p.devices.join(', ')} as ${p.layout.toUpperCase()} "${p.label}"`,
  holds: (p) => ({ drives: [...p.devices], tickets: p.ticketId ? [ticketKey(p.ticketId)] : [] }),
  // Formatting again erases again: an interrupted format is started anew, never continued.
  resume: 'restart',
  async run(p, ctx) {
    const started = Date.now();
    ctx.log(`Erasing ${p.devices.join(', ')}.`);
    const r = (await formatDrives(
      { ...p, yes: true },
      { signal: ctx.signal, onProgress: (fp) => ctx.onProgress(stepSnapshot(ctx.jobId, started, fp.step, fp.device, fp.done, fp.total)) },
    )) as FormatDoneResult;
    ctx.log(`Formatted ${r.drives.length} drive(s) as unit ${r.unitId}.`);
    return r;
  },
};
