// `roundtrip drives [--all] [--unmount] [--confirm-internal] [--confirm-data] [--json]`: every
// attached drive with what is on it and whether RoundTrip Bench may erase it, and why.
import { formatBytes } from '../../chain/units.ts';
import { describeContents, modelName } from '../../drives/describe.ts';
import { call } from '../engine-client.ts';
import type { DriveListing } from '../../drives/enumerate.ts';
import type { JudgedDrive } from '../../drives/types.ts';
import { flagBool, type Verb } from '../verb.ts';

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s.padEnd(n);
}

export function drivesTable(drives: JudgedDrive[]): string {
  const head = `${pad('DEVICE', 14)}${pad('SIZE', 10)}${pad('BUS', 8)}${pad('MODEL', 24)}${pad('SERIAL', 18)}VERDICT`;
  const lines = [head];
  for (const d of drives) {
    const v = d.verdict;
    const verdict = !v.eligible ? 'REFUSED' : v.ready ? 'eligible' : 'eligible after confirmation';
    const model = d.lab ? `lab drive "${d.lab.label}"` : modelName(d) || '-';
    lines.push(`${pad(d.device, 14)}${pad(formatBytes(d.sizeBytes), 10)}${pad(d.lab ? 'lab' : d.bus, 8)}${pad(model, 24)}${pad(d.serial ?? '-', 18)}${verdict}`);
    for (const c of describeContents(d)) lines.push(`    holds: ${c}`);
    for (const r of v.refusals) lines.push(`    ${r.code}: ${r.message}`);
    for (const w of v.warnings) lines.push(`    ${w.confirmed ? 'noted' : 'confirm'} ${w.code}: ${w.message}`);
  }
  return lines.join('\n');
}

export const verb: Verb = {
  name: 'drives',
  summary: 'list attached drives and lab drives, with what is on them and whether they may be erased',
  usage: 'roundtrip drives [--all] [--unmount] [--confirm-internal] [--confirm-data] [--json]',
  async run(args) {
    const listing = (await call('drives.list', {
      includeLoops: flagBool(args, 'all'),
      unmount: flagBool(args, 'unmount'),
      confirmInternal: flagBool(args, 'confirm-internal'),
      confirmData: flagBool(args, 'confirm-data'),
    })) as unknown as DriveListing;
    const anyEligible = listing.drives.some((d) => d.verdict.eligible);
    const human = [
      listing.drives.length ? drivesTable(listing.drives) : 'No drives found.',
      ...(anyEligible ? [] : ['', 'Please attach a RoundTrip drive (USB, at least 250 GB).']),
      ...listing.notes.map((n) => `note: ${n}`),
    ].join('\n');
    return { json: listing, human };
  },
};
