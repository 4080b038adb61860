// `roundtrip verify DEV [--source POOL|--no-source] [--passphrase-stdin] [--json]`: prove the unit
// holds what its manifest says, as a verify job. ZFS units, NTFS/EXT4 units (folders or images)
// and NAS units alike.
import { AppError } from '../../api/errors.ts';
import type { FileVerifyReport } from '../../jobs/files/verify.ts';
import type { VerifyReport } from '../../jobs/zfs/verify.ts';
import type { NasVerifyReport } from '../../jobs/zfs/nas-verify.ts';
import { runJob } from '../engine-client.ts';
import { passphraseFromInput, passphrasesFromStdin, refusePassphraseArgument } from '../passphrase-stdin.ts';
import type { SealedVerifyReport } from '../../jobs/sealed/sealed-verify.ts';
import { hasNasFlags, hostFrom, NAS_UNIT_FLAGS } from './nas.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

type Outcome = ({ unit: 'nas' } & NasVerifyReport) | ({ unit: 'files' } & FileVerifyReport) | ({ unit: 'zfs' } & VerifyReport) | ({ unit: 'sealed' } & SealedVerifyReport);

export const verb: Verb = {
  name: 'verify',
  summary: 'check every point on a unit against its manifest (and the source when it is here)',
  usage:
    'roundtrip verify DEV [--source POOL | --no-source] [--passphrase-stdin | --unit-passphrase-stdin] [--json]\n' +
    '       roundtrip verify --nas HOST [--nas-port N] [--nas-user root] --nas-identity FILE --nas-known-hosts FILE --nas-dataset POOL/rt_TICKET [--source POOL | --no-source] [--json]',
  async run(args) {
    const dev = args.positional[0];
    const src = flagString(args, 'source');
    const source = flagBool(args, 'no-source') ? { source: null } : src !== undefined ? { source: src } : {};
    const nasGiven = hasNasFlags(args, NAS_UNIT_FLAGS) || flagString(args, 'nas-dataset') !== undefined;
    if (nasGiven) {
      // A NAS unit: its manifest and points are read over ssh.
      const nas = hostFrom(args, NAS_UNIT_FLAGS);
      const dataset = flagString(args, 'nas-dataset');
      if (!dataset) throw new AppError('BAD_INPUT', 'Name the unit on the NAS with --nas-dataset POOL/rt_TICKET.');
      const { unit: _u, ...r } = (await runJob<Outcome>({ kind: 'verify', params: { nas, nasDataset: dataset, ...source } })) as { unit: 'nas' } & NasVerifyReport;
      const human = r.ok
        ? `NAS unit ${r.dataset} of ticket ${r.ticketId} verified: ${r.pointsChecked} point(s) match${r.sourceCompared ? ' the manifest and the source' : ' the manifest'}.`
        : [`NAS unit ${r.dataset} of ticket ${r.ticketId} FAILED verification: ${r.mismatches.length} of ${r.pointsChecked} point(s) do not match.`, ...r.mismatches.map((m) => `  ${m.system} @ ${m.point}: ${m.problem}`)].join('\n');
      return { json: r, human, exitCode: r.ok ? 0 : 1 };
    }
    if (!dev) throw new AppError('BAD_INPUT', 'Name the unit\'s drive: roundtrip verify /dev/sdX');
    refusePassphraseArgument(args.flags);
    if (flagBool(args, 'passphrase-stdin') && flagBool(args, 'unit-passphrase-stdin')) throw new AppError('BAD_INPUT', 'Standard input carries one kind of passphrase: --passphrase-stdin (encrypted agents) or --unit-passphrase-stdin (a sealed unit).');
    const passphrases = flagBool(args, 'passphrase-stdin') ? passphrasesFromStdin(await args.readStdin()) : undefined;
    const unitPassphrase = flagBool(args, 'unit-passphrase-stdin') ? passphraseFromInput(await args.readStdin()) : undefined;
    const out = await runJob<Outcome>({ kind: 'verify', params: { device: dev, ...source, ...(passphrases ? { passphrases } : {}), ...(unitPassphrase ? { unitPassphrase } : {}) } });
    if (out.unit === 'sealed') {
      const { unit: _u, ...r } = out;
      const how = r.authenticated ? 'every stream file opened and authenticated' : 'every stream file present at its size (give --unit-passphrase-stdin to open and authenticate them)';
      const human = r.ok
        ? `Drive ${r.driveIndex} of sealed unit of ticket ${r.ticketId} verified: ${r.pointsChecked} point(s), ${how}.`
        : [`Drive ${r.driveIndex} of sealed unit of ticket ${r.ticketId} FAILED verification: ${r.mismatches.length} of ${r.pointsChecked} point(s).`, ...r.mismatches.map((m) => `  ${m.system} @ ${m.point}: ${m.problem}`)].join('\n');
      return { json: r, human, exitCode: r.ok ? 0 : 1 };
    }
    if (out.unit === 'files') {
      const { unit: _u, ...r } = out;
      const what = r.content === 'image' ? `${r.imagesChecked} image(s)` : `${r.filesChecked} file(s)`;
      const human = r.ok
        ? [
            `Drive ${r.driveIndex} of ${r.driveCount} of ticket ${r.ticketId} verified: ${r.pointsChecked} point(s), ${what} match${r.sourceCompared ? ' the manifest and the source' : ' the manifest'}.`,
            ...(r.unreadableOnSource ? [`  ${r.unreadableOnSource} file(s) were unreadable on the source when copied (listed in the manifest).`] : []),
            ...(r.elsewhere.length ? [`  ${r.elsewhere.length} point(s) are on other drives of the unit: ${[...new Set(r.elsewhere.map((e) => e.drive))].map((d) => `drive ${d}`).join(', ')}.`] : []),
          ].join('\n')
        : [`Drive ${r.driveIndex} of ticket ${r.ticketId} FAILED verification: ${r.mismatches.length} problem(s).`, ...r.mismatches.slice(0, 50).map((x) => `  ${x.system} @ ${x.point}: ${x.problem}`)].join('\n');
      return { json: r, human, exitCode: r.ok ? 0 : 1 };
    }
    const { unit: _u, ...r } = out as { unit: 'zfs' } & VerifyReport;
    const human = r.ok
      ? `Unit of ticket ${r.ticketId} verified: ${r.pointsChecked} point(s) match${r.sourceCompared ? ' the manifest and the source' : ' the manifest'}.`
      : [`Unit of ticket ${r.ticketId} FAILED verification: ${r.mismatches.length} of ${r.pointsChecked} point(s) do not match.`, ...r.mismatches.map((m) => `  ${m.system} @ ${m.point}: ${m.problem}`)].join('\n');
    return { json: r, human, exitCode: r.ok ? 0 : 1 };
  },
};
