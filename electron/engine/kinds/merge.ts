// A merge-back job (R18): verify a returned unit, then merge its systems into the appliance's or
// the offsite copy's datasets without discarding newer points unless asked per system. The unit is
// on drives here or a dataset on a NAS (merge/unit-source.ts).
import { MERGE_STEPS, runMerge } from '../../merge/merge.ts';
import { unitHoldKey, unitRefOf } from '../../merge/unit-source.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';

export const kind: JobKindDef<'merge'> = {
  kind: 'merge',
  steps: MERGE_STEPS,
  title: (p) => `Merge ${p.device ?? `${p.nasDataset} on ${p.nas?.host}`} into ${p.into}`,
  // A NAS unit is held by its host and dataset: one merge at a time reads it.
  holds: (p) => ({ drives: [unitHoldKey(unitRefOf(p))], tickets: [] }),
  // A merge run again receives only what is not there yet.
  resume: 'restart',
  ticketOf: (_p, r) => (r as { ticketId?: string } | undefined)?.ticketId,
  async run(p, ctx) {
    const r = await runMerge(
      { device: p.device, nas: p.nas, nasDataset: p.nasDataset, into: p.into, allowRollback: p.allowRollback ?? [], systems: p.systems ?? [], actor: p.actor ?? 'engine', passphrase: p.passphrase, unitPassphrase: p.unitPassphrase },
      { signal: ctx.signal, onProgress: ctx.onProgress },
    );
    for (const s of r.systems) ctx.log(`${s.system}: ${s.outcome}: ${s.message}`);
    return r;
  },
};
