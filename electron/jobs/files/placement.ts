// Which drive each point goes to (R5 for NTFS, EXT4 and image units): whole points, never split,
// spread with the chain module's first-fit decreasing over the drives' real free space (measured on
// the freshly made filesystems) — the plan shows the same spread from the drives' sizes beforehand.
// A point's size is first its snapshot's referenced bytes (quick, no reading) plus the layout's
// per-point overhead. That is not an upper bound (a raw image is the volume's whole size, files on a
// compressed source are larger than what they occupy there), so the sync measures exactly
// (point-sizes.ts, as the plan does) whenever a wrong guess could fill a drive mid-run: see
// `needsExactSizes`.
import { BROWSABLE_OVERHEAD_FRACTION, IMAGE_OVERHEAD_PER_POINT_BYTES } from '../../chain/layout.ts';
import { spreadPoints } from '../../chain/spread.ts';
import { listSnapshots } from '../../system/zfs/index.ts';
import { AppError } from '../../api/errors.ts';
import type { ImageFormat } from './image-export.ts';
import { measureFileSyncSizes } from './point-sizes.ts';

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
      out.push({ system: s.system, point: p, bytes: withOverhead(snap.referencedBytes, layout) });
    }
  }
  return out;
}

/** A point's data plus what the layout adds around it on the unit. */
function withOverhead(data: number, layout: 'browsable' | 'image'): number {
  return layout === 'image' ? data + IMAGE_OVERHEAD_PER_POINT_BYTES : Math.ceil(data * (1 + BROWSABLE_OVERHEAD_FRACTION)) + PER_POINT_BYTES;
}

/**
 * Whether the quick figures are too weak to place points with: a browsable copy (the measuring is
 * a walk of the file metadata, small beside the copy), a raw export (its size is the volume's, read
 * from the image file alone), or, for the other image formats (measuring reads the volumes), when
 * the points need more than one drive or fill more than 80 % of the free space.
 */
export function needsExactSizes(layout: 'browsable' | 'image', imageFormat: ImageFormat | undefined, quickBytes: number, freeBytes: readonly number[]): boolean {
  if (layout === 'browsable' || imageFormat === 'raw') return true;
  return freeBytes.length > 1 || quickBytes > 0.8 * freeBytes.reduce((a, b) => a + b, 0);
}

/** The exact figures (point-sizes.ts) with the same overhead; an encrypted agent without its passphrase keeps its quick figure. */
export async function measuredPointBytes(
  systems: ReadonlyArray<{ system: string; sourceDataset: string; kind: 'agent' | 'share'; encrypted: boolean; points: readonly string[] }>,
  quick: ReadonlyArray<{ system: string; point: string; bytes: number }>,
  opts: { layout: 'browsable' | 'image'; imageFormat?: ImageFormat; passphrases?: Readonly<Record<string, string>>; signal?: AbortSignal },
): Promise<Array<{ system: string; point: string; bytes: number }>> {
  const measured = await measureFileSyncSizes(
    systems.map((s) => ({ system: s.system, dataset: s.sourceDataset, kind: s.kind, encrypted: s.encrypted, points: s.points })),
    opts,
  );
  const exact = new Map<string, number>();
  for (const m of measured) if (m.measured) for (const p of m.points) exact.set(`${m.system}@${p.point}`, withOverhead(p.bytes, opts.layout));
  return quick.map((q) => ({ ...q, bytes: exact.get(`${q.system}@${q.point}`) ?? q.bytes }));
}

/**
 * The sizes a file job places its points with over drives with these free bytes: the quick ones, or
 * the exact ones where a wrong guess could fill a drive (`needsExactSizes`). The job and its
 * `--plan` preview both use this, so the preview shows the placement the job will make.
 */
export async function placementSizes(
  req: { systems: Parameters<typeof estimatePointBytes>[0] & Parameters<typeof measuredPointBytes>[0]; layout: 'browsable' | 'image'; imageFormat?: ImageFormat; passphrases?: Readonly<Record<string, string>> },
  freeBytes: readonly number[],
  signal?: AbortSignal,
): Promise<Array<{ system: string; point: string; bytes: number }>> {
  const quick = await estimatePointBytes(req.systems, req.layout);
  if (!needsExactSizes(req.layout, req.imageFormat, quick.reduce((n, p) => n + p.bytes, 0), freeBytes)) return quick;
  return measuredPointBytes(req.systems, quick, { layout: req.layout, imageFormat: req.imageFormat, passphrases: req.passphrases, signal });
}

/** Spreads the points over drives with these free bytes (index i = drive i + 1). */
export function placePoints(points: ReadonlyArray<{ system: string; point: string; bytes: number }>, freeBytes: readonly number[]): PlacedPoint[] {
  const spread = spreadPoints(
    points.map((p) => ({ id: `${p.system}@${p.point}`, bytes: p.bytes })),
    freeBytes,
  );
  return points.map((p, i) => ({ ...p, drive: spread.assignment[i].drive + 1 }));
}
