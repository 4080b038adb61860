// `roundtrip merge DEV --into POOL/PATH [--allow-rollback SYSTEM...] [--system NAME...] [--passphrase-stdin] [--by NAME] [--json]`
// `roundtrip merge --nas HOST ... --nas-dataset POOL/rt_ID --into POOL/PATH [...]`: a NAS unit over ssh.
import { AppError } from '../../api/errors.ts';
import type { MergeResult, SystemMergeResult } from '../../merge/merge.ts';
import { call, runJob } from '../engine-client.ts';
import { passphraseFromInput, refusePassphraseArgument } from '../passphrase-stdin.ts';
import { progressPrinter } from '../progress-printer.ts';
import { flagBool, flagList, flagString, type Verb } from '../verb.ts';
import { hasNasFlags, hostFrom, NAS_UNIT_FLAGS } from './nas.ts';

const MARK: Record<SystemMergeResult['outcome'], string> = { merged: 'merged', new: 'new', 'up-to-date': 'up to date', refused: 'REFUSED', failed: 'FAILED' };

export const verb: Verb = {
  name: 'merge',
  summary: 'verify a returned unit and merge its systems into an appliance or the offsite copy',
  usage:
    'roundtrip merge DEV --into POOL/PATH [--allow-rollback SYSTEM]... [--system NAME]... [--dry-run] [--unit-passphrase-stdin] [--passphrase-stdin] [--by NAME] [--json]\n' +
    '       a sealed unit: --unit-passphrase-stdin reads its passphrase (the first line when --passphrase-stdin also reads an agent\'s)\n' +
    '       roundtrip merge --nas HOST [--nas-port N] [--nas-user root] --nas-identity FILE --nas-known-hosts FILE --nas-dataset POOL/rt_TICKET --into POOL/PATH [...same options]',
  async run(args) {
    refusePassphraseArgument(args.flags);
    const device = args.positional[0];
    const into = flagString(args, 'into');
    const nasGiven = hasNasFlags(args, NAS_UNIT_FLAGS) || flagString(args, 'nas-dataset') !== undefined;
    if (nasGiven && device) throw new AppError('BAD_INPUT', 'Name the unit either by its drive or by its NAS (--nas ... --nas-dataset), not both.');
    if (!device && !nasGiven) throw new AppError('BAD_INPUT', 'Name the unit\'s drive (roundtrip merge /dev/sdX --into POOL/PATH) or its NAS (--nas HOST ... --nas-dataset POOL/rt_TICKET).');
    let unit: { device: string } | { nas: ReturnType<typeof hostFrom>; nasDataset: string };
    if (nasGiven) {
      const nasDataset = flagString(args, 'nas-dataset');
      if (!nasDataset) throw new AppError('BAD_INPUT', 'Name the unit on the NAS with --nas-dataset POOL/rt_TICKET.');
      unit = { nas: hostFrom(args, NAS_UNIT_FLAGS), nasDataset };
    } else unit = { device };
    if (!into) throw new AppError('BAD_INPUT', 'Name where the systems go with --into POOL/PATH (the appliance\'s or the offsite dataset root).');
    // A sealed unit's passphrase, and an encrypted agent's: one line each on stdin, the unit's first.
    const stdin = flagBool(args, 'unit-passphrase-stdin') || flagBool(args, 'passphrase-stdin') ? (await args.readStdin()).split(/\r?\n/) : [];
    const unitPassphrase = flagBool(args, 'unit-passphrase-stdin') ? passphraseFromInput(stdin.shift() ?? '') : undefined;
    const sealed = unitPassphrase ? { unitPassphrase } : {};
    if (flagBool(args, 'dry-run')) {
      const plan = ((await call('merge.preview', { ...unit, ...sealed, into, allowRollback: flagList(args, 'allow-rollback'), systems: flagList(args, 'system') })) as unknown as { systems: SystemMergeResult[] }).systems;
      const human = [`What merging this unit into ${into} would do (nothing was changed):`, ...plan.flatMap((s) => [`  ${s.system.padEnd(14)} ${MARK[s.outcome].padEnd(10)} ${s.message}`, ...(s.hint ? [`  ${''.padEnd(25)} ${s.hint}`] : [])])];
      return { json: { dryRun: true, destination: into, systems: plan }, human: human.join('\n'), exitCode: plan.every((s) => s.outcome !== 'refused') ? 0 : 1 };
    }
    const passphrase = flagBool(args, 'passphrase-stdin') ? passphraseFromInput(stdin.join('\n')) : undefined;
    const r = await runJob<MergeResult>(
      { kind: 'merge', params: { ...unit, ...sealed, into, allowRollback: flagList(args, 'allow-rollback'), systems: flagList(args, 'system'), actor: flagString(args, 'by') ?? 'cli', ...(passphrase ? { passphrase } : {}) } },
      { onProgress: progressPrinter(!args.json) },
    );
    const lines = [
      `Unit ${r.unitId} (ticket ${r.ticketId}) verified (${r.verified.pointsChecked} point(s)) and merged into ${r.destination}:`,
      ...r.systems.flatMap((s) => [
        `  ${s.system.padEnd(14)} ${MARK[s.outcome].padEnd(10)} ${s.message}`,
        ...(s.hint ? [`  ${''.padEnd(14)} ${''.padEnd(10)} ${s.hint}`] : []),
        ...(s.agentState === 'locked' ? [`  ${''.padEnd(25)} encrypted: enter its passphrase before it is paired again: roundtrip unlock ${s.dataset} --passphrase-stdin`] : []),
      ]),
      r.ticket.advanced ? `Ticket ${r.ticketId} marked merged back.${r.ticket.note ? ` ${r.ticket.note}` : ''}` : r.ticket.note ?? '',
    ];
    return { json: r, human: lines.filter(Boolean).join('\n'), exitCode: r.ok ? 0 : 1 };
  },
};
