// `roundtrip verify DEV [--source POOL|--no-source] [--passphrase-stdin] [--json]`: prove the unit
// holds what its manifest says. ZFS units and NTFS/EXT4 units (folders or images) alike.
import { AppError } from '../../api/errors.ts';
import { parsePassphraseInput } from '../../jobs/files/passphrases.ts';
import { verifyFileUnit } from '../../jobs/files/verify.ts';
import { openUnit } from '../../jobs/unit.ts';
import { verifyZfsUnit } from '../../jobs/zfs/verify.ts';
import { verifyNasUnit } from '../../jobs/zfs/nas-verify.ts';
import { hasNasFlags, hostFrom, NAS_UNIT_FLAGS } from './nas.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'verify',
  summary: 'check every point on a unit against its manifest (and the source when it is here)',
  usage:
    'roundtrip verify DEV [--source POOL | --no-source] [--passphrase-stdin] [--json]\n' +
    '       roundtrip verify --nas HOST [--nas-port N] [--nas-user root] --nas-identity FILE --nas-known-hosts FILE --nas-dataset POOL/rt_TICKET [--source POOL | --no-source] [--json]',
  async run(args) {
    const dev = args.positional[0];
    const sourceRoot = flagBool(args, 'no-source') ? null : flagString(args, 'source');
    if (hasNasFlags(args, NAS_UNIT_FLAGS) || flagString(args, 'nas-dataset') !== undefined) {
      // A NAS unit: its manifest and points are read over ssh.
      const nas = hostFrom(args, NAS_UNIT_FLAGS);
      const dataset = flagString(args, 'nas-dataset');
      if (!dataset) throw new AppError('BAD_INPUT', 'Name the unit on the NAS with --nas-dataset POOL/rt_TICKET.');
      const r = await verifyNasUnit(nas, dataset, { sourceRoot });
      const human = r.ok
        ? `NAS unit ${r.dataset} of ticket ${r.ticketId} verified: ${r.pointsChecked} point(s) match${r.sourceCompared ? ' the manifest and the source' : ' the manifest'}.`
        : [`NAS unit ${r.dataset} of ticket ${r.ticketId} FAILED verification: ${r.mismatches.length} of ${r.pointsChecked} point(s) do not match.`, ...r.mismatches.map((m) => `  ${m.system} @ ${m.point}: ${m.problem}`)].join('\n');
      return { json: r, human, exitCode: r.ok ? 0 : 1 };
    }
    if (!dev) throw new AppError('BAD_INPUT', 'Name the unit\'s drive: roundtrip verify /dev/sdX');
    const m = (await openUnit(dev)).manifest;
    if (m && m.layout !== 'zfs') {
      const encrypted = m.systems.filter((s) => s.encrypted).map((s) => s.system);
      const passphrases = flagBool(args, 'passphrase-stdin') ? parsePassphraseInput(await args.readStdin(), encrypted) : undefined;
      const r = await verifyFileUnit(dev, { sourceRoot, passphrases });
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
    const r = await verifyZfsUnit(dev, { sourceRoot });
    const human = r.ok
      ? `Unit of ticket ${r.ticketId} verified: ${r.pointsChecked} point(s) match${r.sourceCompared ? ' the manifest and the source' : ' the manifest'}.`
      : [`Unit of ticket ${r.ticketId} FAILED verification: ${r.mismatches.length} of ${r.pointsChecked} point(s) do not match.`, ...r.mismatches.map((m) => `  ${m.system} @ ${m.point}: ${m.problem}`)].join('\n');
    return { json: r, human, exitCode: r.ok ? 0 : 1 };
  },
};
