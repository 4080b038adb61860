// Which drive each point goes to (R5 for NTFS, EXT4 and image units): whole points, never split,
// spread with the chain module's first-fit decreasing over the drives' real free space (measured on
// the freshly made filesystems) — the plan shows the same spread from the drives' sizes beforehand.
// A point's size is its snapshot's referenced bytes (what its files or images hold on the source,
// an upper bound for the used part of a volume) plus the layout's per-point overhead.
import { BROWSABLE_OVERHEAD_FRACTION, IMAGE_OVERHEAD_PER_POINT_BYTES } from '../../chain/layout.ts';
import { spreadPoints } from '../../chain/spread.ts';
import { listSnapshots } from '../../system/zfs/index.ts';
import { AppError } from '../../api/errors.ts';

export interface PlacedPoint {
  system: string;
  point: string;
  bytes: number;
  /** 1-based drive index. */
  drive: number;
}

/** Per point: folder, manifest share and directory indexes, in bytes (smaller than the plan's 32 MiB model, which is for terabyte trees). */
const PER_POINT_BYTES = 4 * 1024 * 1024;

export async function estimatePointBytes(
  systems: ReadonlyArray<{ system: string; sourceDataset: string; points: readonly string[] }>,
  layout: 'browsable' | 'image',
): Promise<Array<{ system: string; point: string; bytes: number }>> {
  const out = [];
  for (const s of systems) {
    const snaps = new Map((await listSnapshots(s.sourceDataset)).map((x) => [x.snap, x]));
    for (const p of s.points) {
      const snap = snaps.get(p);
      if (!snap) {
        throw new AppError('SOURCE_POINT_GONE', `Point ${p} of ${s.system} no longer exists on the source.`, {
          hint: 'Plan the ticket again and run a new sync. Nothing on the source was changed.',
          data: { system: s.system, point: p },
        });
      }
      const data = snap.referencedBytes;
      const bytes = layout === 'image' ? data + IMAGE_OVERHEAD_PER_POINT_BYTES : Math.ceil(data * (1 + BROWSABLE_OVERHEAD_FRACTION)) + PER_POINT_BYTES;
      out.push({ system: s.system, point: p, bytes });
    }
  }
  return out;
}

/** Spreads the points over drives with these free bytes (index i = drive i + 1). */
export function placePoints(points: ReadonlyArray<{ system: string; point: string; bytes: number }>, freeBytes: readonly number[]): PlacedPoint[] {
  const spread = spreadPoints(
    points.map((p) => ({ id: `${p.system}@${p.point}`, bytes: p.bytes })),
    freeBytes,
  );
  return points.map((p, i) => ({ ...p, drive: spread.assignment[i].drive + 1 }));
}
