// Every CLI verb, by name, loaded only when it runs (so `roundtrip lab status` does not pay for
// importing the sync pipeline). Add a verb by adding its file and one line here.
import type { Verb } from '../verb.ts';

export const VERBS: Record<string, () => Promise<{ verb: Verb }>> = {
  lab: () => import('./lab.ts'),
  'zfs-probe': () => import('./zfs-probe.ts'),
  drives: () => import('./drives.ts'),
  format: () => import('./format.ts'),
  eject: () => import('./eject.ts'),
  nas: () => import('./nas.ts'),
  ticket: () => import('./ticket.ts'),
  audit: () => import('./audit.ts'),
  serve: () => import('./serve.ts'),
  engine: () => import('./engine.ts'),
  sync: () => import('./sync.ts'),
  verify: () => import('./verify.ts'),
  inspect: () => import('./inspect.ts'),
  units: () => import('./units.ts'),
  merge: () => import('./merge.ts'),
  unlock: () => import('./unlock.ts'),
  unseal: () => import('./unseal.ts'),
  'verify-kept': () => import('./verify-kept.ts'),
  plan: () => import('./plan.ts'),
  guard: () => import('./guard.ts'),
};

export async function loadVerb(name: string): Promise<Verb | undefined> {
  const load = Object.hasOwn(VERBS, name) ? VERBS[name] : undefined;
  return load ? (await load()).verb : undefined;
}

export async function loadVerbs(): Promise<Verb[]> {
  return Promise.all(Object.values(VERBS).map(async (l) => (await l()).verb));
}
