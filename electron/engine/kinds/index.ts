// Every kind of job, loaded only when one runs (listing jobs does not load the sync pipeline).
import type { JobKind } from '../../api/schemas/jobs.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';

const KINDS: { [K in JobKind]: () => Promise<{ kind: JobKindDef<K> }> } = {
  format: () => import('./format.ts'),
  sync: () => import('./sync.ts'),
  verify: () => import('./verify.ts'),
  merge: () => import('./merge.ts'),
  'verify-kept': () => import('./verify-kept.ts'),
  unlock: () => import('./unlock.ts'),
  unseal: () => import('./unseal.ts'),
};

export async function loadJobKind<K extends JobKind>(kind: K): Promise<JobKindDef<K>> {
  return (await KINDS[kind]()).kind as JobKindDef<K>;
}
