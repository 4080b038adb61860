// `roundtrip zfs-probe`: what this machine's ZFS can do.
import { call } from '../engine-client.ts';
import type { Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'zfs-probe',
  summary: 'show what this machine\'s ZFS can do (resume tokens, dry-run sizes, holds, encryption...)',
  usage: 'roundtrip zfs-probe [--json]',
  async run() {
    const caps = await call('zfs.probe', {});
    const human = Object.entries(caps)
      .map(([k, v]) => `${k.padEnd(18)} ${typeof v === 'boolean' ? (v ? 'yes' : 'no') : v}`)
      .join('\n');
    return { json: caps, human };
  },
};
