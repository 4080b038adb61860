// `roundtrip verify DEV [--source POOL|--no-source] [--json]`: prove the unit holds what its manifest says.
import { AppError } from '../../api/errors.ts';
import { verifyZfsUnit } from '../../jobs/zfs/verify.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'verify',
  summary: 'check every point on a unit against its manifest (and the source when it is here)',
  usage: 'roundtrip verify DEV [--source POOL | --no-source] [--json]',
  async run(args) {
    const dev = args.positional[0];
    if (!dev) throw new AppError('BAD_INPUT', 'Name the unit\'s drive: roundtrip verify /dev/sdX');
    const r = await verifyZfsUnit(dev, { sourceRoot: flagBool(args, 'no-source') ? null : flagString(args, 'source') });
    const human = r.ok
      ? `Unit of ticket ${r.ticketId} verified: ${r.pointsChecked} point(s) match${r.sourceCompared ? ' the manifest and the source' : ' the manifest'}.`
      : [`Unit of ticket ${r.ticketId} FAILED verification: ${r.mismatches.length} of ${r.pointsChecked} point(s) do not match.`, ...r.mismatches.map((m) => `  ${m.system} @ ${m.point}: ${m.problem}`)].join('\n');
    return { json: r, human, exitCode: r.ok ? 0 : 1 };
  },
};
