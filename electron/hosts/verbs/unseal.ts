// `roundtrip unseal DEV --to DIR --unit-passphrase-stdin [--by NAME] [--json]`: a sealed unit's
// disk images unsealed into a folder (docs/sealed-units.md, "Sealed images"). The unit passphrase
// is read from standard input only, never from an argument.
import { AppError } from '../../api/errors.ts';
import type { UnsealResult } from '../../jobs/sealed/unseal.ts';
import { runJob } from '../engine-client.ts';
import { passphraseFromInput, refusePassphraseArgument } from '../passphrase-stdin.ts';
import { progressPrinter } from '../progress-printer.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'unseal',
  summary: "unseal a sealed unit's disk images into a folder (the unit passphrase from the support ticket)",
  usage: 'roundtrip unseal DEV --to DIR --unit-passphrase-stdin [--by NAME] [--json]',
  async run(args) {
    refusePassphraseArgument(args.flags);
    const device = args.positional[0];
    const to = flagString(args, 'to');
    if (!device) throw new AppError('BAD_INPUT', "Name the sealed unit's drive: roundtrip unseal /dev/sdX --to DIR --unit-passphrase-stdin.");
    if (!to) throw new AppError('BAD_INPUT', 'Name the folder the images go into with --to DIR (it must exist and have room for them).');
    if (!flagBool(args, 'unit-passphrase-stdin')) {
      throw new AppError('UNIT_PASSPHRASE_NEEDED', `${device} is read only with its unit passphrase: give it on standard input with --unit-passphrase-stdin.`, { hint: 'The passphrase is in the support ticket; nothing was read from the unit.' });
    }
    const unitPassphrase = passphraseFromInput((await args.readStdin()).split(/\r?\n/)[0] ?? '');
    const r = await runJob<UnsealResult>({ kind: 'unseal', params: { device, to, unitPassphrase, actor: flagString(args, 'by') ?? 'cli' } }, { onProgress: progressPrinter(!args.json) });
    const absent = Object.entries(r.absent);
    const lines = [
      `${r.images.length} image(s) of ticket ${r.ticketId} unsealed into ${r.to}, each with the SHA-256 checked on the bench:`,
      ...r.images.map((i) => `  ${i.file}  ${i.bytes} bytes${i.kept ? ' (already there, kept)' : ''}`),
      `The unit's manifest is at ${r.manifestFile}.`,
      ...absent.map(([system, why]) => `  ${system}: not unsealed: ${why}.`),
    ];
    return { json: r, human: lines.join('\n'), exitCode: absent.length ? 1 : 0 };
  },
};
