// `roundtrip verify-kept DEV [--system NAME] [--point P] [--volume V] [--source POOL | --no-source] [--report BASE] [--json]` (R19)
import { AppError } from '../../api/errors.ts';
import { STATUS_WORD } from '../../merge/kept-types.ts';
import { verifyKeptUnit } from '../../merge/verify-kept.ts';
import { cancelOnSignals, progressPrinter } from '../progress-printer.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'verify-kept',
  summary: 'verify a unit the partner keeps: contents, file restore, VHD/VMDK export, health; HTML + PDF report',
  usage: 'roundtrip verify-kept DEV [--system NAME] [--point P] [--volume V] [--source POOL | --no-source] [--report FILE] [--by NAME] [--json]',
  async run(args) {
    const device = args.positional[0];
    if (!device) throw new AppError('BAD_INPUT', 'Name the unit\'s drive: roundtrip verify-kept /dev/sdX');
    const ac = cancelOnSignals();
    const r = await verifyKeptUnit(
      {
        device,
        system: flagString(args, 'system'),
        point: flagString(args, 'point'),
        volume: flagString(args, 'volume'),
        sourceRoot: flagBool(args, 'no-source') ? null : flagString(args, 'source'),
        reportBase: flagString(args, 'report'),
        actor: flagString(args, 'by') ?? 'cli',
      },
      { signal: ac.signal, onProgress: progressPrinter(!args.json) },
    );
    const human = [
      `Kept unit of ticket ${r.unit.ticketId}: ${r.ok ? 'every check passed' : 'VERIFICATION FAILED'}.`,
      ...r.checks.map((c) => `  ${STATUS_WORD[c.status].padEnd(13)} ${c.title}: ${c.summary}`),
      `Report: ${r.files?.html} and ${r.files?.pdf}`,
    ].join('\n');
    return { json: r, human, exitCode: r.ok ? 0 : 1 };
  },
};
