// Ejecting a unit: export its pool (all drives of a striped unit go together), unmount its
// filesystems, flush, and say whether each drive can now be unplugged.
import { AppError } from '../api/errors.ts';
import { logLine } from '../system/log.ts';
import { exportPool } from '../system/zfs/pool.ts';
import { allMountpoints, driveTitle } from './describe.ts';
import { inspectDrive, resolveDevice } from './enumerate.ts';
import { isSystemMountpoint } from './policy.ts';
import { unmountAll } from './unmount.ts';
import { flushBuffers } from './wipe.ts';

export interface EjectResult {
  device: string;
  title: string;
  exportedPools: string[];
  /** Other drives of an exported striped pool: they are released too and go with this one. */
  releasedWith: string[];
  unmounted: string[];
  flushed: boolean;
  safeToUnplug: boolean;
  /** A sentence for the technician. */
  message: string;
}

export interface EjectOptions {
  /** The job ejecting its own drives (a sync job's last step). */
  jobId?: string;
  actor?: string;
}

export async function eject(devices: string[], opts: EjectOptions = {}): Promise<EjectResult[]> {
  const out: EjectResult[] = [];
  const exported = new Set<string>();
  for (const raw of devices) {
    const dev = resolveDevice(raw);
    const found = await inspectDrive(dev, { jobId: opts.jobId });
    if (!found) {
      out.push({ device: dev, title: dev, exportedPools: [], releasedWith: [], unmounted: [], flushed: false, safeToUnplug: true, message: `${dev} is no longer attached.` });
      continue;
    }
    const drive = found.drive;
    // Ejecting writes pool labels and unmounts: the same hard refusals as any write, except size and read-only.
    const blocking = drive.verdict.refusals.filter((r) => ['DRIVE_SYSTEM', 'DRIVE_SOURCE_POOL', 'DRIVE_BUSY'].includes(r.code));
    if (blocking.length) {
      throw new AppError(blocking[0].code, blocking.map((r) => r.message).join(' '), { data: { device: dev } });
    }

    const exportedPools: string[] = [];
    const releasedWith = new Set<string>();
    for (const p of drive.pools) {
      if (exported.has(p.pool)) continue;
      await exportPool(p.pool);
      exported.add(p.pool);
      exportedPools.push(p.pool);
      for (const d of p.poolDisks) if (d !== dev) releasedWith.add(d);
    }

    const mps = allMountpoints(drive).filter((m) => !isSystemMountpoint(m));
    const unmounted = await unmountAll(dev, mps);

    // Per device, never the global sync(): that one waits for every other writer on the machine.
    for (const p of [...drive.partitions.map((x) => x.device), dev]) await flushBuffers(p);

    const after = await inspectDrive(dev, { jobId: opts.jobId });
    const zfsLabels = after ? [after.drive.content.zfsPool, ...after.drive.partitions.map((p) => p.zfsPool)].filter(Boolean) : [];
    const left = after
      ? [
          ...allMountpoints(after.drive),
          ...after.drive.pools.map((p) => `pool ${p.pool}`),
          ...(after.context.poolsUnknown && zfsLabels.length ? ['ZFS is not answering, so its pool may still be imported'] : []),
        ]
      : [];
    const safe = left.length === 0;
    const title = driveTitle(drive);
    const message = safe
      ? `${title} can be unplugged now.${releasedWith.size ? ` Unplug ${[...releasedWith].join(', ')} too: they belong to the same unit.` : ''}`
      : `${title} is still in use (${left.join(', ')}); do not unplug it yet.`;
    logLine('drives', { op: 'eject', device: dev, exportedPools, unmounted, safe, jobId: opts.jobId, actor: opts.actor });
    out.push({ device: dev, title, exportedPools, releasedWith: [...releasedWith], unmounted, flushed: true, safeToUnplug: safe, message });
  }
  return out;
}
