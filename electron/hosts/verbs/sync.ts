// `roundtrip sync --ticket ID --drive DEV... [--resume] [--source P --offsite P] [--no-eject] [--json]`
// or `--nas HOST --nas-identity F --nas-known-hosts F --nas-pool POOL` for a NAS unit (ZFS over ssh).
// One sync job through the engine (jobs.start kind "sync"): it picks the ZFS, NAS or file pipeline
// from the ticket's format and the target. NTFS and EXT4 tickets also take --passphrase-stdin,
// --plan (plan.fileSync: the placement, nothing written) and --no-verify. The appliance's local
// backups pause during the sync through the bench's commands (R9) unless --no-pause-local-backups.
// A new sync needs the technician's choice of protection (issue 21): --seal (ZFS units and image
// exports on drives: sealed files; the unit passphrase is printed once on stderr) or --unencrypted (recorded in
// the ticket). Resuming a sealed sync in a new process takes the passphrase at --unit-passphrase-stdin.
import { AppError } from '../../api/errors.ts';
import { passphraseFromInput, passphrasesFromStdin, refusePassphraseArgument } from '../passphrase-stdin.ts';
import type { FileSyncPreview } from '../../jobs/files/from-ticket.ts';
import type { FileSyncResult } from '../../jobs/files/sync.ts';
import type { ZfsSyncResult } from '../../jobs/zfs/sync.ts';
import type { ZfsNasSyncResult } from '../../jobs/zfs/nas-sync.ts';
import type { SealedSyncResult } from '../../jobs/sealed/sealed-sync.ts';
import { call, runJob } from '../engine-client.ts';
import { SITE_USAGE, sitesFrom } from './site-flags.ts';
import { hasNasFlags, hostFrom, NAS_UNIT_FLAGS } from './nas.ts';
import { progressPrinter } from '../progress-printer.ts';
import { flagBool, flagList, flagString, type Verb, type VerbResult } from '../verb.ts';

type SyncOutcome = ({ pipeline: 'zfs' } & ZfsSyncResult) | ({ pipeline: 'nas' } & ZfsNasSyncResult) | ({ pipeline: 'files' } & FileSyncResult) | ({ pipeline: 'sealed' } & SealedSyncResult);

export const verb: Verb = {
  name: 'sync',
  summary: 'copy a ticket\'s points onto a unit (erases the drives), verify, write the manifest, eject',
  usage:
    `roundtrip sync --ticket ID --drive DEV [--drive DEV...] (--seal | --unencrypted) [--resume [--unit-passphrase-stdin]] ${SITE_USAGE} [--no-eject] [--no-pause-local-backups] [--by NAME] [--json]\n` +
    '       NTFS/EXT4 tickets also: [--plan] [--passphrase-stdin] [--no-verify]\n' +
    '       ZFS into a NAS unit: roundtrip sync --ticket ID --nas HOST [--nas-port N] [--nas-user root] --nas-identity FILE --nas-known-hosts FILE --nas-pool POOL [--resume]',
  async run(args) {
    const ticketId = flagString(args, 'ticket');
    const drives = [...flagList(args, 'drive'), ...args.positional];
    if (!ticketId) throw new AppError('BAD_INPUT', 'Name the ticket to sync with --ticket ID.');
    const sites = sitesFrom(args);
    if (flagBool(args, 'plan')) {
      const p = (await call('plan.fileSync', { ticketId, drives, sites })) as unknown as FileSyncPreview;
      const human = [
        `Ticket ${ticketId}: ${p.placement.length} point(s) as ${p.content === 'image' ? `${p.imageFormat} images` : 'browsable folders'} on ${p.filesystem.toUpperCase()}, about ${(p.totalBytes / 1e9).toFixed(2)} GB. Nothing was written.`,
        ...p.placement.map((x) => `  ${`${x.system}@${x.point}`.padEnd(26)} → drive ${x.drive} (${x.device})`),
        ...p.notes.map((n) => `  note: ${n}`),
      ].join('\n');
      return { json: p, human };
    }
    const nas = hasNasFlags(args, NAS_UNIT_FLAGS) ? hostFrom(args, NAS_UNIT_FLAGS) : undefined;
    refusePassphraseArgument(args.flags);
    if (flagBool(args, 'seal') && flagBool(args, 'unencrypted')) throw new AppError('BAD_INPUT', 'Choose one protection: --seal or --unencrypted.');
    if (flagBool(args, 'passphrase-stdin') && flagBool(args, 'unit-passphrase-stdin')) throw new AppError('BAD_INPUT', 'Standard input carries one kind of passphrase: --passphrase-stdin (encrypted agents) or --unit-passphrase-stdin (a sealed unit).');
    const protection = flagBool(args, 'seal') ? 'sealed' : flagBool(args, 'unencrypted') ? 'unencrypted' : undefined;
    const passphrases = flagBool(args, 'passphrase-stdin') ? passphrasesFromStdin(await args.readStdin()) : undefined;
    if (flagBool(args, 'unit-passphrase-stdin') && !flagBool(args, 'resume')) throw new AppError('BAD_INPUT', 'A unit passphrase is only given to resume a sealed sync (--resume): a new one makes its own.');
    const unitPassphrase = flagBool(args, 'unit-passphrase-stdin') ? passphraseFromInput(await args.readStdin()) : undefined;
    let jobId = '';
    let shown = false;
    let asking: Promise<void> = Promise.resolve();
    const ran = runJob<SyncOutcome>(
      {
        kind: 'sync',
        params: {
          ticketId,
          drives,
          ...(nas ? { nas } : {}),
          ...(flagString(args, 'nas-pool') !== undefined ? { nasPool: flagString(args, 'nas-pool') } : {}),
          resume: flagBool(args, 'resume'),
          eject: !flagBool(args, 'no-eject'),
          verify: !flagBool(args, 'no-verify'),
          pauseLocalBackups: !flagBool(args, 'no-pause-local-backups'),
          ...(passphrases ? { passphrases } : {}),
          ...(protection ? { protection } : {}),
          ...(unitPassphrase ? { unitPassphrase } : {}),
          sites,
          actor: flagString(args, 'by') ?? 'cli',
        },
      },
      {
        onProgress: progressPrinter(true),
        onStart: (job) => (jobId = job.id),
        // The engine holds the passphrase once the unit's key record holds it: asked after each
        // line of a sealed sync's log until it is there, then shown once, on stderr only.
        onLog: () => {
          if (shown || protection !== 'sealed') return;
          asking = asking.then(async () => {
            if (shown) return;
            const v = await call('units.sealedPassphrase', { jobId }).catch(() => null);
            if (!v?.passphrase) return;
            shown = true;
            process.stderr.write(`\nUnit passphrase (shown once; put it on the support ticket, never on the unit): ${v.passphrase}\n\n`);
          });
        },
      },
    );
    const { pipeline, ...r } = await ran.finally(() => asking);
    // The JSON document is the pipeline's result, as before the engine said which pipeline ran.
    return humanOf(ticketId, pipeline, r as never);
  },
};

function humanOf(ticketId: string, pipeline: SyncOutcome['pipeline'], r: ZfsSyncResult & ZfsNasSyncResult & FileSyncResult & SealedSyncResult): VerbResult {
  if (pipeline === 'sealed') {
    const human = [
      `Ticket ${r.manifest.ticketId}: ${r.pointsSent} point(s) sealed${r.pointsSkipped ? `, ${r.pointsSkipped} already on the unit` : ''}, ${(r.bytes / 1e6).toFixed(1)} MB into ${(r.sealedBytes / 1e6).toFixed(1)} MB of sealed files, unit ${r.unitId}.`,
      ...(r.systems as SealedSyncResult['systems']).map((s) => `  ${s.system.padEnd(14)} ${String(s.points).padStart(4)} point(s) ${(s.bytesSent / 1e6).toFixed(1).padStart(9)} MB  drive ${s.drive}`),
      'Nothing on the unit is readable without the unit passphrase shown when the sync started; it is not stored anywhere.',
      'The unit is unmounted and flushed: it can be unplugged.',
    ].join('\n');
    return { json: r, human };
  }
  if (pipeline === 'nas') {
    const human = [
      `Ticket ${r.manifest.ticketId}: ${r.pointsSent} point(s) sent${r.pointsSkipped ? `, ${r.pointsSkipped} already proven on the unit` : ''}, ${(r.bytes / 1e6).toFixed(1)} MB, NAS unit ${r.dataset} on ${r.nas.hostname ?? r.nas.host}.`,
      ...r.systems.map((s) => `  ${s.system.padEnd(14)} ${String(s.points).padStart(4)} point(s) ${(s.bytesSent / 1e6).toFixed(1).padStart(9)} MB`),
      `Manifest: ${r.manifestPath} on the NAS (checksum ${r.manifest.checksum.slice(0, 12)}…).`,
    ].join('\n');
    return { json: r, human };
  }
  if (pipeline === 'zfs') {
    const human = [
      `Ticket ${r.manifest.ticketId}: ${r.pointsSent} point(s) sent${r.pointsSkipped ? `, ${r.pointsSkipped} already proven on the unit` : ''}, ${(r.bytes / 1e6).toFixed(1)} MB, unit pool ${r.pool}.`,
      ...r.systems.map((s) => `  ${s.system.padEnd(14)} ${String(s.points).padStart(4)} point(s) ${(s.bytesSent / 1e6).toFixed(1).padStart(9)} MB`),
      r.ejected ? 'The unit is exported: it can be unplugged.' : 'The unit is still imported (--no-eject).',
    ].join('\n');
    return { json: r, human };
  }
  const what = r.content === 'image' ? `${r.images} ${r.sealed ? 'sealed ' : ''}${r.imageFormat} image(s)` : `${r.files} file(s)`;
  const human = [
    `Ticket ${ticketId}: ${r.pointsCopied} point(s) written${r.pointsSkipped ? `, ${r.pointsSkipped} already finished` : ''}: ${what}, ${(r.bytes / 1e6).toFixed(1)} MB on ${r.drives.length} ${r.filesystem.toUpperCase()} drive(s).`,
    ...r.drives.map((d) => `  drive ${d.index} ${d.device} (${d.label ?? '-'}): ${d.points} point(s)`),
    ...(r.unreadable ? [`  ${r.unreadable} file(s) could not be read on the source: listed in the manifest with their error.`] : []),
    ...(r.skipped ? [`  ${r.skipped} special file(s) or names the unit cannot hold: listed in the manifest.`] : []),
    ...(r.renamed ? [`  ${r.renamed} name(s) changed for NTFS: listed in the manifest with the original.`] : []),
    r.verify || r.sealed?.verify ? `Verified: every drive reads back as its manifest says${r.sealed ? ' (every sealed file authenticated)' : ''}.` : 'Not verified (--no-verify).',
    ...(r.sealed ? ["Nothing on the unit is readable without the unit passphrase shown when the sync started; the partner unseals the images with roundtrip unseal."] : []),
    r.ejected ? 'The drives are unmounted and flushed: they can be unplugged.' : 'The drives were left as they are (--no-eject).',
  ].join('\n');
  return { json: r, human };
}
