// `roundtrip eject DEV... [--json]`: export the unit's pool or unmount, flush, and say whether each
// drive can be unplugged.
import { AppError } from '../../api/errors.ts';
import type { EjectResult } from '../../drives/eject.ts';
import { call } from '../engine-client.ts';
import { flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'eject',
  summary: 'export or unmount drives, flush them, and say whether they can be unplugged',
  usage: 'roundtrip eject DEV... [--json]',
  async run(args) {
    if (!args.positional.length) throw new AppError('BAD_INPUT', 'Name the drives to eject, e.g. "roundtrip eject /dev/sdb".');
    const actor = flagString(args, 'actor');
    const results = ((await call('drives.eject', { devices: args.positional, ...(actor ? { actor } : {}) })) as unknown as { drives: EjectResult[] }).drives;
    const human = results
      .map((r) => [r.message, ...(r.exportedPools.length ? [`  exported pool ${r.exportedPools.join(', ')}`] : []), ...(r.unmounted.length ? [`  unmounted ${r.unmounted.join(', ')}`] : [])].join('\n'))
      .join('\n');
    return { json: { drives: results }, human, exitCode: results.every((r) => r.safeToUnplug) ? 0 : 1 };
  },
};
