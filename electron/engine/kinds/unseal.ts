// Unseal a sealed unit's disk images into a folder (docs/sealed-units.md, "Sealed images"): the
// partner's way to the images of an `images-sealed` unit. The unit passphrase lives in this job's
// memory only; a run after an interruption keeps the images already whole in the folder.
import { unsealImages, UNSEAL_STEPS } from '../../jobs/sealed/unseal.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';

export const kind: JobKindDef<'unseal'> = {
  kind: 'unseal',
  steps: UNSEAL_STEPS,
  title: (p) => `Unseal the images of ${p.device}`,
  holds: (p) => ({ drives: [p.device], tickets: [] }),
  resume: 'restart',
  async run(p, ctx) {
    const r = await unsealImages({ device: p.device, to: p.to, unitPassphrase: p.unitPassphrase, jobId: ctx.jobId }, { signal: ctx.signal, onProgress: ctx.onProgress, log: ctx.log });
    ctx.log(`${r.images.length} image(s) of ticket ${r.ticketId} unsealed into ${r.to}${Object.keys(r.absent).length ? `; not attached: ${Object.keys(r.absent).join(', ')}` : ''}.`);
    return r;
  },
};
