// `roundtrip eject DEV... [--json]`: export the unit's pool or unmount, flush, and say whether each
// drive can be unplugged.
import { AppError } from '../../api/errors.ts';
import { eject } from '../../drives/eject.ts';
import { flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'eject',
  summary: 'export or unmount drives, flush them, and say whether they can be unplugged',
  usage: 'roundtrip eject DEV... [--json]',
  async run(args) {
    if (!args.positional.length) throw new AppError('BAD_INPUT', 'Name the drives to eject, e.g. "roundtrip eject /dev/sdb".');
    const results = await eject(args.positional, { actor: flagString(args, 'actor') });
    const human = results
      .map((r) => [r.message, ...(r.exportedPools.length ? [`  exported pool ${r.exportedPools.join(', ')}`] : []), ...(r.unmounted.length ? [`  unmounted ${r.unmounted.join(', ')}`] : [])].join('\n'))
      .join('\n');
    return { json: { drives: results }, human, exitCode: results.every((r) => r.safeToUnplug) ? 0 : 1 };
  },
};
