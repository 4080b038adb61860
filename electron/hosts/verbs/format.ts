// `roundtrip format DEV... --layout zfs|ntfs|ext4 --label LABEL [--ticket ID] [--yes] [--unmount]
// [--confirm-internal] [--confirm-data] [--json]`: without --yes, prints what would be erased and
// writes nothing.
import { AppError } from '../../api/errors.ts';
import type { FormatDoneResult, FormatPreviewResult } from '../../drives/format.ts';
import { call, runJob } from '../engine-client.ts';
import type { Layout } from '../../drives/types.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

function previewText(p: FormatPreviewResult): string {
  const lines = [p.summary];
  for (const w of p.unconfirmed) {
    const flag = w.confirmWith === 'confirmInternal' ? '--confirm-internal' : w.confirmWith === 'confirmData' ? '--confirm-data' : '--unmount';
    lines.push(`  needs ${flag}: ${w.message}`);
  }
  lines.push('', 'Nothing was written. Run again with --yes to erase and format.');
  return lines.join('\n');
}

function doneText(r: FormatDoneResult): string {
  const lines = [`Formatted ${r.drives.length} drive(s) as ${r.layout.toUpperCase()} "${r.label}" (unit ${r.unitId}) in ${(r.tookMs / 1000).toFixed(1)} s.`];
  if (r.pool) lines.push(`  pool ${r.pool.name}${r.pool.guid ? ` (guid ${r.pool.guid})` : ''} striped over ${r.drives.map((d) => d.dataPartition).join(', ')}`);
  for (const d of r.drives) lines.push(`  ${d.device}: metadata ${d.metaPartition}, data ${d.dataPartition} (${d.dataFs}${d.fsLabel ? ` "${d.fsLabel}"` : ''})`);
  return lines.join('\n');
}

export const verb: Verb = {
  name: 'format',
  summary: 'erase drives and format them as one RoundTrip unit (ZFS stripe, or NTFS/ext4 per drive)',
  usage: 'roundtrip format DEV... --layout zfs|ntfs|ext4 --label LABEL [--ticket ID] [--yes] [--unmount] [--confirm-internal] [--confirm-data] [--json]',
  async run(args) {
    const layout = flagString(args, 'layout');
    const label = flagString(args, 'label');
    if (!args.positional.length) throw new AppError('BAD_INPUT', 'Name the drives to format, e.g. "roundtrip format /dev/sdb --layout zfs --label T123".');
    if (!layout || !['zfs', 'ntfs', 'ext4'].includes(layout)) throw new AppError('BAD_INPUT', 'Choose the layout with --layout zfs, --layout ntfs or --layout ext4.');
    if (!label) throw new AppError('BAD_INPUT', 'Give the drive a label with --label (the ticket number and partner, e.g. T12345-ACME).');
    const ticketId = flagString(args, 'ticket');
    const actor = flagString(args, 'actor');
    const params = {
      devices: args.positional,
      layout: layout as Layout,
      label,
      unmount: flagBool(args, 'unmount'),
      confirmInternal: flagBool(args, 'confirm-internal'),
      confirmData: flagBool(args, 'confirm-data'),
      ...(ticketId ? { ticketId } : {}),
      ...(actor ? { actor } : {}),
    };
    // Without --yes: the erase preview (drives.erasePreview), nothing written.
    if (!flagBool(args, 'yes')) {
      const preview = (await call('drives.erasePreview', params)) as unknown as FormatPreviewResult;
      return { json: preview, human: previewText(preview) };
    }
    let last = '';
    const res = await runJob<FormatDoneResult>(
      { kind: 'format', params },
      {
        onProgress: (p) => {
          const line = `format: ${p.step}${p.item ? ` ${p.item}` : ''} (${Math.round(p.percent)}%)`;
          if (!args.json && line !== last) process.stderr.write(`${line}\n`);
          last = line;
        },
      },
    );
    return { json: res, human: doneText(res) };
  },
};
