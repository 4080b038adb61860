// A plan in words, for the CLI's human output and the confirmation screen: one line per system,
// then the totals a technician checks before starting (R17: cost estimate and final check).
import type { Plan } from './plan.ts';
import { formatDuration } from './time.ts';
import { formatBytes } from './units.ts';

export function planSummary(plan: Plan): string {
  const lines: string[] = [];
  const format = plan.format === 'image' ? `image export (${plan.imageFormat?.toUpperCase()} on ${plan.targetFs.toUpperCase()})` : plan.format.toUpperCase();
  lines.push(`${plan.direction === 'forward' ? 'RoundTrip' : 'Reverse RoundTrip'} in ${format}, ${plan.systems.length} system(s):`);
  for (const s of plan.systems) {
    const how =
      s.points.length === 0
        ? 'nothing to send'
        : plan.format !== 'zfs'
          ? `${s.points.length} point(s), each a full copy`
          : s.base
            ? `${s.points.length} point(s) from lock ${s.base}`
            : `${s.points.length} point(s), first sent in full (no common point)`;
    lines.push(`  ${s.system}: ${how}, ${formatBytes(s.bytes)}${s.estimated ? ' (estimated)' : ''}`);
    const r = s.retention;
    if (r && (r.local.length || r.offsite.length)) {
      // R20: what retention deletes before the unit arrives, and whether it touches this ticket.
      lines.push(`    retention before arrival: ${r.local.length} local and ${r.offsite.length} offsite point(s) deleted${r.lockDeleted ? '; THE LOCK IS AMONG THEM' : ''}${r.selectedDeleted.length ? `; selected: ${r.selectedDeleted.join(', ')}` : ''}`);
    }
  }
  lines.push(`Total: ${formatBytes(plan.totalBytes)} written (${formatBytes(plan.dataBytes)} of data${plan.overheadBytes ? ` + ${formatBytes(plan.overheadBytes)} layout` : ''}).`);
  const media =
    plan.media === 'nas'
      ? 'a NAS unit'
      : plan.drivesNeeded === null
        ? 'USB drive(s) (not counted: no eligible drive listed)'
        : `${plan.drivesNeeded} USB drive(s)${plan.drives?.chosen.length ? `: ${plan.drives.chosen.join(', ')}` : ''}`;
  lines.push(`Media: ${media}. ${plan.mediaReason}`);
  lines.push(`Fee: $${plan.fee.usd}. ${plan.fee.explanation}`);
  lines.push(`Time: about ${formatDuration(plan.seconds)} at ${formatBytes(plan.rateBytesPerSec)}/s${plan.rateMeasured ? ' (measured)' : ' (estimate until a rate is measured)'}.`);
  if (plan.passphrasesNeeded.length) lines.push(`Passphrases: the sync asks for the passphrase of ${plan.passphrasesNeeded.join(', ')} (encrypted agent${plan.passphrasesNeeded.length > 1 ? 's' : ''}).`);
  for (const w of plan.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}
