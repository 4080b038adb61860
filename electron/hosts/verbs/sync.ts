// `roundtrip sync --ticket ID --drive DEV... [--resume] [--source P --offsite P] [--no-eject] [--json]`
// or `--nas HOST --nas-identity F --nas-known-hosts F --nas-pool POOL` for a NAS unit (ZFS over ssh).
// ZFS tickets go to the ZFS pipeline; NTFS and EXT4 tickets (browsable folders or images) to the
// file pipeline, which also takes --passphrase-stdin, --plan and --no-verify.
import { AppError } from '../../api/errors.ts';
import { SITE_USAGE, sitesFrom } from './site-flags.ts';
import { fileSyncRequestFor, previewFileSync } from '../../jobs/files/from-ticket.ts';
import { parsePassphraseInput } from '../../jobs/files/passphrases.ts';
import { runFileSync } from '../../jobs/files/sync.ts';
import { zfsSyncRequestFor } from '../../jobs/zfs/from-ticket.ts';
import { runZfsSync } from '../../jobs/zfs/sync.ts';
import { nasTargetOf, runZfsNasSync } from '../../jobs/zfs/nas-sync.ts';
import { hasNasFlags, hostFrom, NAS_UNIT_FLAGS } from './nas.ts';
import { TicketStore } from '../../tickets/store.ts';
import { cancelOnSignals, progressPrinter } from '../progress-printer.ts';
import { flagBool, flagList, flagString, type Verb, type VerbArgs, type VerbResult } from '../verb.ts';

export const verb: Verb = {
  name: 'sync',
  summary: 'copy a ticket\'s points onto a unit (erases the drives), verify, write the manifest, eject',
  usage:
    `roundtrip sync --ticket ID --drive DEV [--drive DEV...] [--resume] ${SITE_USAGE} [--no-eject] [--by NAME] [--json]\n` +
    '       NTFS/EXT4 tickets also: [--plan] [--passphrase-stdin] [--no-verify]\n' +
    '       ZFS into a NAS unit: roundtrip sync --ticket ID --nas HOST [--nas-port N] [--nas-user root] --nas-identity FILE --nas-known-hosts FILE --nas-pool POOL [--resume]',
  async run(args) {
    const ticketId = flagString(args, 'ticket');
    const drives = [...flagList(args, 'drive'), ...args.positional];
    if (!ticketId) throw new AppError('BAD_INPUT', 'Name the ticket to sync with --ticket ID.');
    const resume = flagBool(args, 'resume');
    const nasGiven = hasNasFlags(args, NAS_UNIT_FLAGS) || flagString(args, 'nas-pool') !== undefined;
    if (!resume && drives.length === 0 && !nasGiven) throw new AppError('BAD_INPUT', 'Name the drive(s) to write with --drive DEV, or the NAS unit with --nas HOST ... --nas-pool POOL.');
    if (nasGiven && drives.length) throw new AppError('BAD_INPUT', 'A sync writes either drives or a NAS unit, not both: give --drive or --nas.');
    const ticket = new TicketStore().get(ticketId);
    const sites = await sitesFrom(args, ticket.request.applianceSerial);
    // A NAS unit (R3): named with --nas, or the interrupted sync being resumed went to one.
    if (nasGiven || (resume && drives.length === 0 && nasTargetOf(ticket.id) !== null)) return nasSync(args, ticket.id, ticket.request, sites, resume);
    if (ticket.request.format.layout !== 'datasets') return fileSync(args, ticket.id, ticket.request, sites, drives, resume);
    const req = await zfsSyncRequestFor(ticket.id, ticket.request, sites, drives, { resume, eject: !flagBool(args, 'no-eject'), actor: flagString(args, 'by') ?? 'cli' });
    const ac = cancelOnSignals();
    const r = await runZfsSync(req, { signal: ac.signal, onProgress: progressPrinter(true) });
    const human = [
      `Ticket ${r.manifest.ticketId}: ${r.pointsSent} point(s) sent${r.pointsSkipped ? `, ${r.pointsSkipped} already proven on the unit` : ''}, ${(r.bytes / 1e6).toFixed(1)} MB, unit pool ${r.pool}.`,
      ...r.systems.map((s) => `  ${s.system.padEnd(14)} ${String(s.points).padStart(4)} point(s) ${(s.bytesSent / 1e6).toFixed(1).padStart(9)} MB`),
      r.ejected ? 'The unit is exported: it can be unplugged.' : 'The unit is still imported (--no-eject).',
    ].join('\n');
    return { json: { ...r }, human };
  },
};

async function nasSync(
  args: VerbArgs,
  ticketId: string,
  request: Parameters<typeof zfsSyncRequestFor>[1],
  sites: Parameters<typeof zfsSyncRequestFor>[2],
  resume: boolean,
): Promise<VerbResult> {
  if (request.format.filesystem !== 'zfs' || request.format.layout !== 'datasets') {
    throw new AppError('BAD_INPUT', `Ticket ${ticketId} asks for ${request.format.filesystem} ${request.format.layout}; NAS units hold ZFS datasets only (R3).`);
  }
  const nas = hasNasFlags(args, NAS_UNIT_FLAGS) ? hostFrom(args, NAS_UNIT_FLAGS) : undefined;
  const nasPool = flagString(args, 'nas-pool');
  if (!resume && !nasPool) throw new AppError('BAD_INPUT', 'Name the NAS pool the unit goes into with --nas-pool POOL ("roundtrip nas list" shows them).');
  const base = await zfsSyncRequestFor(ticketId, request, sites, [], { resume, actor: flagString(args, 'by') ?? 'cli' });
  const { devices: _none, eject: _eject, ...rest } = base;
  const ac = cancelOnSignals();
  const r = await runZfsNasSync({ ...rest, nas, nasPool }, { signal: ac.signal, onProgress: progressPrinter(true) });
  const human = [
    `Ticket ${r.manifest.ticketId}: ${r.pointsSent} point(s) sent${r.pointsSkipped ? `, ${r.pointsSkipped} already proven on the unit` : ''}, ${(r.bytes / 1e6).toFixed(1)} MB, NAS unit ${r.dataset} on ${r.nas.hostname ?? r.nas.host}.`,
    ...r.systems.map((s) => `  ${s.system.padEnd(14)} ${String(s.points).padStart(4)} point(s) ${(s.bytesSent / 1e6).toFixed(1).padStart(9)} MB`),
    `Manifest: ${r.manifestPath} on the NAS (checksum ${r.manifest.checksum.slice(0, 12)}…).`,
  ].join('\n');
  return { json: { ...r }, human };
}

async function fileSync(
  args: VerbArgs,
  ticketId: string,
  request: Parameters<typeof fileSyncRequestFor>[1],
  sites: Parameters<typeof fileSyncRequestFor>[2],
  drives: string[],
  resume: boolean,
): Promise<VerbResult> {
  const req = await fileSyncRequestFor(ticketId, request, sites, drives, { resume, eject: !flagBool(args, 'no-eject'), verify: !flagBool(args, 'no-verify'), actor: flagString(args, 'by') ?? 'cli' });
  if (flagBool(args, 'plan')) {
    const p = await previewFileSync(req);
    const human = [
      `Ticket ${ticketId}: ${p.placement.length} point(s) as ${p.content === 'image' ? `${p.imageFormat} images` : 'browsable folders'} on ${p.filesystem.toUpperCase()}, about ${(p.totalBytes / 1e9).toFixed(2)} GB. Nothing was written.`,
      ...p.placement.map((x) => `  ${`${x.system}@${x.point}`.padEnd(26)} → drive ${x.drive} (${x.device})`),
      ...p.notes.map((n) => `  note: ${n}`),
    ].join('\n');
    return { json: p, human };
  }
  const encrypted = req.systems.filter((s) => s.encrypted).map((s) => s.system);
  if (flagBool(args, 'passphrase-stdin')) req.passphrases = parsePassphraseInput(await args.readStdin(), encrypted);
  const ac = cancelOnSignals();
  const r = await runFileSync(req, { signal: ac.signal, onProgress: progressPrinter(true) });
  const what = r.content === 'image' ? `${r.images} ${r.imageFormat} image(s)` : `${r.files} file(s)`;
  const human = [
    `Ticket ${ticketId}: ${r.pointsCopied} point(s) written${r.pointsSkipped ? `, ${r.pointsSkipped} already finished` : ''}: ${what}, ${(r.bytes / 1e6).toFixed(1)} MB on ${r.drives.length} ${r.filesystem.toUpperCase()} drive(s).`,
    ...r.drives.map((d) => `  drive ${d.index} ${d.device} (${d.label ?? '-'}): ${d.points} point(s)`),
    ...(r.unreadable ? [`  ${r.unreadable} file(s) could not be read on the source: listed in the manifest with their error.`] : []),
    ...(r.skipped ? [`  ${r.skipped} special file(s) or names the unit cannot hold: listed in the manifest.`] : []),
    ...(r.renamed ? [`  ${r.renamed} name(s) changed for NTFS: listed in the manifest with the original.`] : []),
    r.verify ? `Verified: every drive reads back as its manifest says.` : 'Not verified (--no-verify).',
    r.ejected ? 'The drives are unmounted and flushed: they can be unplugged.' : 'The drives were left as they are (--no-eject).',
  ].join('\n');
  return { json: r, human };
}
