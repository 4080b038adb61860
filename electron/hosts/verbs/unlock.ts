// `roundtrip unlock POOL/PATH/SYSTEM --passphrase-stdin [--ticket ID] [--by NAME] [--json]`: an encrypted agent's passphrase (R18).
import { AppError } from '../../api/errors.ts';
import { passphraseFromInput, refusePassphraseArgument } from '../passphrase-stdin.ts';
import type { UnlockResult } from '../../merge/unlock.ts';
import { runJob } from '../engine-client.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'unlock',
  summary: 'enter an encrypted agent\'s passphrase after a merge, so it can be paired again',
  usage: 'roundtrip unlock POOL/PATH/SYSTEM --passphrase-stdin [--ticket ID] [--by NAME] [--json]',
  async run(args) {
    refusePassphraseArgument(args.flags);
    const dataset = args.positional[0];
    if (!dataset) throw new AppError('BAD_INPUT', 'Name the agent\'s dataset: roundtrip unlock POOL/PATH/SYSTEM --passphrase-stdin');
    if (!flagBool(args, 'passphrase-stdin')) {
      throw new AppError('BAD_INPUT', 'The passphrase is read from standard input: add --passphrase-stdin and type it or pipe it in.');
    }
    const passphrase = passphraseFromInput(await args.readStdin());
    const ticketId = flagString(args, 'ticket');
    const r = await runJob<UnlockResult>({ kind: 'unlock', params: { dataset, passphrase, actor: flagString(args, 'by') ?? 'cli', ...(ticketId ? { ticketId } : {}) } });
    const human = [
      `${dataset} unlocked (${r.method}); it can be paired again and its backups resume.`,
      ...r.volumes.map((v) => `  volume ${v.name} (${v.fs}) reads: ${v.entries.slice(0, 6).join(', ')}${v.entries.length > 6 ? ', …' : ''}`),
    ].join('\n');
    return { json: r, human };
  },
};
