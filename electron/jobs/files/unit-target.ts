// The drives of an NTFS or ext4 unit while a job writes them: each drive's data filesystem mounted
// read-write in the job's own folder (NTFS with `windows_names`, so ntfs-3g itself refuses any name
// Windows could not open — a second guard behind the name mapping), its free space, and a flush
// that makes a finished point durable before the journal says so. Mounts are recorded as leftovers,
// so a killed job's next start unmounts them.
import { mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { flushBuffers } from '../../drives/wipe.ts';
import { mountExt4 } from '../../system/mount.ts';
import { appPath } from '../../system/paths.ts';
import { run } from '../../system/run.ts';
import { Leftovers } from './leftovers.ts';

export interface UnitDrive {
  /** 1-based place in the unit. */
  index: number;
  device: string;
  serial: string | null;
  metaPartition: string;
  dataPartition: string;
  fsLabel: string | null;
  sizeBytes: number;
}

export interface MountedUnit {
  drives: Array<UnitDrive & { root: string }>;
  close(): Promise<void>;
}

export async function mountUnitDrives(jobId: string, drives: readonly UnitDrive[], fs: 'ntfs' | 'ext4', opts: { readOnly?: boolean } = {}): Promise<MountedUnit> {
  const left = new Leftovers(jobId, `${opts.readOnly ? 'read' : 'write'} unit ${drives.map((d) => d.device).join(' ')}`);
  const base = appPath('jobs', jobId, 'unit', left.id);
  const out: MountedUnit['drives'] = [];
  try {
    left.add('dirs', base);
    mkdirSync(base, { recursive: true, mode: 0o700 });
    for (const d of drives) {
      const root = join(base, `drive${d.index}`);
      left.add('dirs', root);
      mkdirSync(root);
      left.add('mounts', root);
      if (fs === 'ntfs') {
        await run('ntfs-3g', ['-o', opts.readOnly ? 'ro' : 'windows_names', d.dataPartition, root], { op: `mount the unit's NTFS partition ${d.dataPartition}` });
      } else {
        await mountExt4(d.dataPartition, root, { readOnly: opts.readOnly });
      }
      out.push({ ...d, root });
    }
  } catch (e) {
    await left.release();
    throw e;
  }
  return {
    drives: out,
    async close() {
      await left.release();
      if (!opts.readOnly) for (const d of drives) await flushBuffers(d.dataPartition).catch(() => {});
    },
  };
}

/** Bytes a job may still write on a mounted unit filesystem. */
export function freeBytes(root: string): number {
  const s = statfsSync(root);
  return Number(s.bavail) * Number(s.bsize);
}

/**
 * Makes what was written under `root` durable: syncfs of that one filesystem (`sync -f`, never the
 * global sync), then the partition's buffers (ntfs-3g writes through the block device's cache).
 */
export async function flushUnit(root: string, dataPartition: string): Promise<void> {
  await run('sync', ['-f', root], { op: `flush the unit filesystem at ${root}` });
  await flushBuffers(dataPartition);
}
