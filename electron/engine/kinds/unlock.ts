// Unlock an encrypted agent after a merge (R18): its passphrase opens the agent key, so it can be
// paired again and its backups resume. The passphrase lives in this job's memory only.
import { unlockAgent } from '../../merge/unlock.ts';
import { ticketKey } from '../jobs/ticket-key.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';

export const kind: JobKindDef<'unlock'> = {
  kind: 'unlock',
  steps: ['check-passphrase', 'unlock', 'read-volumes'],
  title: (p) => `Unlock ${p.dataset}`,
  holds: (p) => ({ drives: [], tickets: p.ticketId ? [ticketKey(p.ticketId)] : [] }),
  resume: 'restart',
  ticketOf: (p) => (p.ticketId ? ticketKey(p.ticketId) : undefined),
  async run(p, ctx) {
    const r = await unlockAgent(p.dataset, p.passphrase, { actor: p.actor ?? 'engine', ticketId: p.ticketId });
    ctx.log(`${p.dataset} unlocked (${r.method}).`);
    return r;
  },
};
