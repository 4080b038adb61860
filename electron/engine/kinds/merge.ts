// A merge-back job (R18): verify a returned unit, then merge its systems into the appliance's or
// the offsite copy's datasets without discarding newer points unless asked per system.
import { MERGE_STEPS, runMerge } from '../../merge/merge.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';

export const kind: JobKindDef<'merge'> = {
  kind: 'merge',
  steps: MERGE_STEPS,
  title: (p) => `Merge ${p.device} into ${p.into}`,
  holds: (p) => ({ drives: [p.device], tickets: [] }),
  // A merge run again receives only what is not there yet.
  resume: 'restart',
  ticketOf: (_p, r) => (r as { ticketId?: string } | undefined)?.ticketId,
  async run(p, ctx) {
    const r = await runMerge(
      { device: p.device, into: p.into, allowRollback: p.allowRollback ?? [], systems: p.systems ?? [], actor: p.actor ?? 'engine', passphrase: p.passphrase },
      { signal: ctx.signal, onProgress: ctx.onProgress },
    );
    for (const s of r.systems) ctx.log(`${s.system}: ${s.outcome}: ${s.message}`);
    return r;
  },
};
