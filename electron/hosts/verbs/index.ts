// Every CLI verb, by name. Add a verb by adding its file and one line here.
import type { Verb } from '../verb.ts';

export async function loadVerbs(): Promise<Verb[]> {
  const mods = await Promise.all([
    import('./lab.ts'),
    import('./zfs-probe.ts'),
    import('./drives.ts'),
    import('./format.ts'),
    import('./eject.ts'),
    import('./nas.ts'),
    import('./ticket.ts'),
    import('./audit.ts'),
    import('./serve.ts'),
  ]);
  return mods.map((m) => m.verb);
}
