// The safety policy: may RoundTrip Bench erase this drive? A pure function of the drive and of what
// the engine knows around it, so the listing, the erase preview and every write path (guard.ts)
// reach the same verdict with the same sentences. Refusals cannot be overridden; warnings need the
// technician's explicit confirmation.
import { formatBytes } from '../chain/units.ts';
import { allMountpoints, describeContents, holdsData } from './describe.ts';
import type { Drive, PolicyContext, Refusal, Verdict, Warning } from './types.ts';

/** Mountpoints the machine itself runs on: a disk holding any of them is the system disk. */
const SYSTEM_EXACT = new Set(['/', '/tmp', '[SWAP]']);
const SYSTEM_TREES = ['/boot', '/efi', '/usr', '/var', '/etc', '/opt', '/srv', '/root', '/home', '/nix', '/snap', '/gnu'];

export function isSystemMountpoint(mp: string): boolean {
  if (SYSTEM_EXACT.has(mp)) return true;
  return SYSTEM_TREES.some((t) => mp === t || mp.startsWith(t + '/'));
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function quoted(items: string[]): string {
  return list(items.map((i) => (i === '[SWAP]' ? 'the swap area' : i)));
}

export function judge(drive: Drive, ctx: PolicyContext): Verdict {
  const dev = drive.device;
  const refusals: Refusal[] = [];
  const warnings: Warning[] = [];
  const opts = ctx.options ?? {};
  const mounts = allMountpoints(drive);
  const systemMounts = mounts.filter(isSystemMountpoint);
  const otherMounts = mounts.filter((m) => !isSystemMountpoint(m));
  const systemPools = drive.pools.filter((p) => ctx.systemPools.includes(p.pool)).map((p) => p.pool);

  if (drive.systemByDrivelist || systemMounts.length || systemPools.length) {
    const what = systemMounts.length
      ? `it holds ${quoted(systemMounts)}, which the machine runs on`
      : systemPools.length
        ? `it is part of the pool "${systemPools[0]}" that the machine runs on`
        : 'the operating system reports it as the disk the machine runs on';
    refusals.push({ code: 'DRIVE_SYSTEM', message: `${dev} is the system disk: ${what}. RoundTrip Bench never erases it.` });
  }

  const sourcePools = [...new Set(drive.pools.filter((p) => !p.unit && !systemPools.includes(p.pool) && ctx.sourcePools.includes(p.pool)).map((p) => p.pool))];
  // An imported pool that is neither a unit nor listed is still not ours to erase.
  const unknownPools = [...new Set(drive.pools.filter((p) => !p.unit && !systemPools.includes(p.pool) && !ctx.sourcePools.includes(p.pool)).map((p) => p.pool))];
  for (const pool of [...sourcePools, ...unknownPools]) {
    refusals.push({
      code: 'DRIVE_SOURCE_POOL',
      message: `${dev} is part of the pool "${pool}", which is imported on this bench as a backup source. RoundTrip Bench never writes to a source.`,
    });
  }

  if (ctx.poolsUnknown) {
    const labelled = [drive.content.zfsPool, ...drive.partitions.map((p) => p.zfsPool)].filter((x): x is string => !!x);
    for (const pool of [...new Set(labelled)]) {
      refusals.push({
        code: 'DRIVE_SOURCE_POOL',
        message: `${dev} carries the ZFS pool "${pool}", and ZFS is not answering, so RoundTrip Bench cannot tell whether that pool is in use as a source. Try again once ZFS answers.`,
      });
    }
  }

  if (drive.readOnly) {
    refusals.push({ code: 'DRIVE_READONLY', message: `${dev} is read-only (write-protected), so it cannot be erased. Check its write-protect switch or use another drive.` });
  }

  if (drive.sizeBytes < ctx.minBytes) {
    refusals.push({
      code: 'DRIVE_TOO_SMALL',
      message: `${dev} holds ${formatBytes(drive.sizeBytes)}; a RoundTrip drive needs at least ${formatBytes(ctx.minBytes)}.`,
    });
  }

  const claims = ctx.busy.filter((c) => c.device === dev && c.jobId !== ctx.jobId);
  if (claims.length) {
    const c = claims[0];
    refusals.push({ code: 'DRIVE_BUSY', message: `${dev} is in use by job ${c.jobId} (since ${c.since}). Wait for that job to finish or cancel it first.` });
  }

  if (otherMounts.length && !systemMounts.length) {
    if (opts.unmount) {
      warnings.push({ code: 'DRIVE_WILL_UNMOUNT', message: `${quoted(otherMounts)} will be unmounted before ${dev} is erased.`, confirmed: true, confirmWith: 'unmount' });
    } else {
      refusals.push({
        code: 'DRIVE_MOUNTED',
        message: `${dev} has a mounted filesystem (${quoted(otherMounts)}). Unmount it first, or choose "unmount and erase".`,
      });
    }
  }

  if (ctx.selection) {
    const chosen = new Set([...ctx.selection, dev]);
    for (const p of drive.pools.filter((m) => m.unit)) {
      const missing = p.poolDisks.filter((d) => !chosen.has(d));
      if (missing.length) {
        refusals.push({
          code: 'DRIVE_IN_POOL',
          message: `${dev} is part of the imported RoundTrip unit "${p.pool}", which also spans ${list(missing)}. Select all of its drives, or eject the unit first.`,
        });
      }
    }
  }

  if (!drive.lab && drive.bus !== 'usb') {
    warnings.push({
      code: 'DRIVE_INTERNAL',
      message: `${dev} is not a USB drive (bus: ${drive.bus}); it looks like an internal disk. Confirm that you mean to erase it.`,
      confirmed: !!opts.confirmInternal,
      confirmWith: 'confirmInternal',
    });
  }

  if (holdsData(drive)) {
    warnings.push({
      code: 'DRIVE_HAS_DATA',
      message: `${dev} holds data that will be erased: ${describeContents(drive).join('; ')}.`,
      confirmed: !!opts.confirmData,
      confirmWith: 'confirmData',
    });
  }

  const eligible = refusals.length === 0;
  return { eligible, ready: eligible && warnings.every((w) => w.confirmed), refusals, warnings };
}

/** The sentence that says why a drive cannot be written yet, for an error message. */
export function verdictSentence(verdict: Verdict): string {
  if (verdict.refusals.length) return verdict.refusals.map((r) => r.message).join(' ');
  const open = verdict.warnings.filter((w) => !w.confirmed);
  return open.map((w) => w.message).join(' ');
}
