// A ZFS unit opened for merging or checking, from its drive alone: metadata, sealed manifest, pool
// imported (and exported again at close when we imported it, so the drive can be unplugged).
import { AppError } from '../api/errors.ts';
import type { Manifest } from '../jobs/manifest.ts';
import { ensureUnitPool, openUnit, type UnitOnDrive } from '../jobs/unit.ts';
import { claimDrives, releaseDrives } from '../drives/busy.ts';
import { stillAttached } from '../drives/sysfs.ts';
import { logLine } from '../system/log.ts';
import { exportPool, getUserProps, poolDevices } from '../system/zfs/index.ts';

export interface UnitSession {
  unit: UnitOnDrive;
  manifest: Manifest;
  pool: string;
  /** The whole drives the unit's pool lives on, claimed for this session. */
  disks: string[];
  close(): Promise<void>;
}

/** /dev/sdb2 → /dev/sdb, loop3p2 → /dev/loop3, /dev/nvme0n1p2 → /dev/nvme0n1 (zpool status may omit /dev/). */
export function diskOf(partition: string): string {
  const p = partition.startsWith('/') ? partition : `/dev/${partition}`;
  if (/^\/dev\/(loop|nvme\d+n|mmcblk)\d+p\d+$/.test(p)) return p.replace(/p\d+$/, '');
  return p.replace(/(\/dev\/[a-z]+)\d+$/, '$1');
}

/**
 * One session per unit pool at a time in this engine: a second one (a merge preview while a
 * passphrase check has the pool open) waits for the first to close. Without it both would import
 * the pool at once (one import fails) and the first to close would export it from under the other.
 */
const sessions = new Map<string, Promise<void>>();

async function takePool(pool: string): Promise<() => void> {
  const before = sessions.get(pool) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = before.then(() => mine);
  sessions.set(pool, chained);
  await before;
  return () => {
    release();
    if (sessions.get(pool) === chained) sessions.delete(pool);
  };
}

/** `jobId` claims the unit's drives (drives/busy.ts) so no format or sync can take them meanwhile. */
/** `read`: the unit as the caller already read it from the drive (it is not read again). */
export async function openZfsUnit(device: string, jobId = `unit-${process.pid}-${Date.now()}`, read?: UnitOnDrive): Promise<UnitSession> {
  const unit = read ?? (await openUnit(device));
  const m = unit.manifest;
  if (!m) {
    throw new AppError('MANIFEST_INVALID', `${device} holds no manifest: no sync finished on this unit, so there is nothing to merge or check.`, {
      hint: 'Run the sync again (or resume it) before shipping this unit.',
    });
  }
  if (m.layout === 'images-sealed') {
    throw new AppError('BAD_INPUT', `${device} is a sealed unit of disk images: its images are checked by unsealing them (roundtrip unseal ${device} --to DIR --unit-passphrase-stdin), which proves each one's SHA-256.`);
  }
  if (m.layout !== 'zfs' || !m.pool) {
    throw new AppError('BAD_INPUT', `${device} is a ${m.layout} unit: only ZFS units are merged back; ${m.layout} units are read directly.`);
  }
  const pool = m.pool.name;
  const leave = await takePool(pool);
  let imported = false;
  try {
    imported = await ensureUnitPool(pool);
  } catch (e) {
    leave();
    throw e;
  }
  const props = await getUserProps(pool).catch((e) => {
    leave();
    throw e;
  });
  if (props['roundtrip:unit'] !== 'yes' || (props['roundtrip:unit-id'] && props['roundtrip:unit-id'] !== m.unitId)) {
    if (imported) await exportPool(pool).catch(() => {});
    leave();
    throw new AppError('MANIFEST_INVALID', `The pool ${pool} on ${device} is not the unit its manifest describes.`, {
      detail: `roundtrip:unit=${props['roundtrip:unit'] ?? '-'} unit-id=${props['roundtrip:unit-id'] ?? '-'} manifest unitId=${m.unitId}`,
    });
  }
  const disks = [...new Set((await poolDevices(pool).catch((e) => {
    leave();
    throw e;
  })).map(diskOf))];
  try {
    claimDrives(disks, jobId);
  } catch (e) {
    if (imported) await exportPool(pool).catch(() => {});
    leave();
    throw e;
  }
  let closed = false;
  return {
    unit,
    manifest: m,
    pool,
    disks,
    async close() {
      if (closed) return;
      closed = true;
      try {
        // A pulled drive: the pool stays imported until the drive is back (exporting a pool whose
        // device is gone can wedge the ZFS service); ZFS picks it up again once it is plugged in.
        const gone = disks.filter((d) => !stillAttached(d));
        if (gone.length) logLine('merge', { op: 'unit pool left imported', pool, gone });
        else if (imported) await exportPool(pool);
      } finally {
        releaseDrives(disks, jobId);
        leave();
      }
    },
  };
}
