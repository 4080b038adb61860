// What the NTFS / EXT4 sync will write for each point, measured before it runs (the plan, R2).
// Each point is opened read-only exactly as the sync opens it (`openPoint`, the same clone or
// snapshot folder, volumes mounted read-only for browsable copies, decrypted for encrypted agents)
// and the sync's own count is taken without writing anything:
//  - browsable: `copyTree` counts the bytes of every regular file it copies (`VolumeCopy.bytes`),
//    holes of sparse files included (it reads them as zeros); directories, symlinks and special
//    files count nothing, and a share's own `.roundtrip/` folder is left out. The same walk sums
//    `lstat` sizes. Files the sync cannot read (damaged inodes) fail `lstat` here too and count
//    nothing in both.
//  - images: `ImageEntry.bytes` is the size of the image file `qemu-img convert` writes. Raw: the
//    volume's virtual size. VHD, VHDX, VMDK: qemu-img allocates a whole block (VHD 2 MiB plus a
//    512-byte sector bitmap, VHDX its block size, VMDK a 64 KiB grain) for each block of the volume
//    holding any non-zero byte (convert skips zeros, and it never reads the file's holes), after a
//    fixed header that depends on the virtual size only. The header and block size are read from an
//    empty image of the same format and size made with the same options (`qemu-img create`, a few
//    kB to MB on the bench's disk); the blocks holding data are found by reading the volume.
//    `qemu-img measure` is no help here: qemu-img 7.2 measures raw and qcow2 only, and for raw it
//    gives the virtual size, which this module takes from the file directly.
// Checked against real exports of every format (test/integration/files/plan-sizes.*.test.ts).
import { mkdirSync, readdirSync, lstatSync, rmdirSync, rmSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../../api/errors.ts';
import { appPath } from '../../system/paths.ts';
import { qemuCreateEmpty, qemuDataExtents, qemuInfo } from '../../system/qemu-img.ts';
import type { ImageFormat } from './image-export.ts';
import { QEMU_FORMAT } from './image-export.ts';
import { cleanupLeftovers, Leftovers } from './leftovers.ts';
import { openPoint } from './point-reader.ts';

export interface MeasureSystem {
  system: string;
  /** The dataset the sync reads the points from. */
  dataset: string;
  kind: 'agent' | 'share';
  encrypted: boolean;
  /** Point names, as the sync will copy them. */
  points: readonly string[];
}

export interface MeasureOptions {
  layout: 'browsable' | 'image';
  imageFormat?: ImageFormat;
  /** Encrypted agents' passphrases by system name: memory only. */
  passphrases?: Readonly<Record<string, string>>;
  /** The measuring job's id (its working folder and leftovers record); one of its own by default. */
  jobId?: string;
  signal?: AbortSignal;
}

export interface PointMeasure {
  point: string;
  /** What the sync reports for this point (`VolumeCopy.bytes` or `ImageEntry.bytes`, summed). */
  bytes: number;
  volumes: Array<{ volume: string; bytes: number }>;
}

export type SystemMeasure =
  | { system: string; measured: true; points: PointMeasure[] }
  /** An encrypted agent whose passphrase was not given: it cannot be read, so it is not measured. */
  | { system: string; measured: false; reason: 'passphrase-needed' };

/** Per system, per point: the bytes the file sync will report. */
export async function measureFileSyncSizes(systems: readonly MeasureSystem[], opts: MeasureOptions): Promise<SystemMeasure[]> {
  if (opts.layout === 'image' && !opts.imageFormat) throw new AppError('BAD_INPUT', 'An image export needs an image format: raw, vhd, vhdx or vmdk.');
  const jobId = opts.jobId ?? `plan-sizes-${randomBytes(4).toString('hex')}`;
  // As every file job does: what a killed run left (clones, mounts, working images) goes first.
  await cleanupLeftovers();
  const left = new Leftovers(jobId, 'measure point sizes');
  const work = appPath('jobs', jobId, 'measure');
  const out: SystemMeasure[] = [];
  try {
    left.add('dirs', work);
    mkdirSync(work, { recursive: true, mode: 0o700 });
    const geometry = new GeometryCache(work, left);
    for (const s of systems) {
      const passphrase = opts.passphrases?.[s.system];
      if (s.kind === 'agent' && s.encrypted && !passphrase) {
        out.push({ system: s.system, measured: false, reason: 'passphrase-needed' });
        continue;
      }
      const points: PointMeasure[] = [];
      try {
        for (const p of s.points) points.push(await measurePoint(s.dataset, p, jobId, opts, passphrase, geometry));
      } catch (e) {
        // The point itself says the agent is encrypted (its properties did not): the same fallback.
        if (e instanceof AppError && e.code === 'PASSPHRASE_NEEDED' && !passphrase) {
          out.push({ system: s.system, measured: false, reason: 'passphrase-needed' });
          continue;
        }
        throw e;
      }
      out.push({ system: s.system, measured: true, points });
    }
    return out;
  } finally {
    await left.release();
    // The job's folders openPoint made around its own (removed) working folders; only when empty.
    for (const d of [appPath('jobs', jobId, 'read'), appPath('jobs', jobId)]) {
      try {
        rmdirSync(d);
      } catch {
        // still in use or not there: left alone
      }
    }
  }
}

async function measurePoint(dataset: string, point: string, jobId: string, opts: MeasureOptions, passphrase: string | undefined, geometry: GeometryCache): Promise<PointMeasure> {
  const image = opts.layout === 'image';
  const opened = await openPoint({ dataset, point, jobId, mountVolumes: !image, passphrase, signal: opts.signal });
  try {
    const volumes: PointMeasure['volumes'] = [];
    if (image) {
      for (const v of opened.volumes) volumes.push({ volume: v.name, bytes: await imageExportBytes(v.image, opts.imageFormat!, geometry, opts.signal) });
    } else if (opened.meta.kind === 'share' || opened.volumes.length === 0) {
      // The same choice and exclusion as the sync's copyPoint.
      volumes.push({ volume: 'files', bytes: await treeBytes(opened.root, (rel) => rel === '.roundtrip', opts.signal) });
    } else {
      for (const v of opened.volumes) volumes.push({ volume: v.name, bytes: await treeBytes(v.mountDir!, undefined, opts.signal) });
    }
    return { point, bytes: volumes.reduce((n, v) => n + v.bytes, 0), volumes };
  } finally {
    await opened.close();
  }
}

/**
 * The bytes copyTree counts for a tree: the size of every regular file it reaches (walked the same
 * way: `lstat`, symlinks not followed, unreadable folders and entries skipped, `exclude` on the
 * `/`-separated relative path).
 */
export async function treeBytes(root: string, exclude?: (rel: string) => boolean, signal?: AbortSignal): Promise<number> {
  let bytes = 0;
  let sinceYield = 0;
  const stack: Array<[string, string]> = [[root, '']];
  while (stack.length) {
    const [dir, rel] = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // copyTree lists the folder as unreadable and copies nothing from it
    }
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      if (exclude?.(r)) continue;
      const p = join(dir, name);
      let st;
      try {
        st = lstatSync(p, { bigint: true });
      } catch {
        continue; // unreadable on the source: listed, not copied
      }
      if (st.isDirectory()) stack.push([p, r]);
      else if (st.isFile()) bytes += Number(st.size);
      // Symlinks count nothing in copyTree's bytes; devices, FIFOs and sockets are skipped.
      if (++sinceYield >= 512) {
        sinceYield = 0;
        if (signal?.aborted) throw new AppError('CANCELLED', 'Measuring the points was cancelled.');
        await new Promise((res) => setImmediate(res));
      }
    }
  }
  return bytes;
}

/** What a format's image costs besides the data: its empty size and its allocation unit. */
interface Geometry {
  /** Size of the image file with no block allocated. */
  emptyBytes: number;
  /** The unit qemu-img allocates for a block holding data. */
  blockBytes: number;
  /** Bytes the file grows by per allocated block (the block plus VHD's sector bitmap). */
  perBlockBytes: number;
  /** The first block is placed at the empty size rounded up to this (VHDX: 1 MiB). */
  alignBytes: number;
}

const MIB = 1024 * 1024;

/** Empty images made once per format and virtual size within one measuring run (in `dir`, recorded in `left`). */
export class GeometryCache {
  private readonly known = new Map<string, Geometry>();
  constructor(
    private readonly dir: string,
    private readonly left: Leftovers,
  ) {}

  async get(format: Exclude<ImageFormat, 'raw'>, virtualBytes: number, signal?: AbortSignal): Promise<Geometry> {
    const key = `${format}:${virtualBytes}`;
    const had = this.known.get(key);
    if (had) return had;
    const q = QEMU_FORMAT[format];
    const file = join(this.dir, `empty-${randomBytes(4).toString('hex')}.${q}`);
    this.left.add('files', file);
    let g: Geometry;
    try {
      await qemuCreateEmpty(file, q, virtualBytes, signal);
      const [st, info] = await Promise.all([stat(file), qemuInfo(file, q, signal)]);
      if (!info.clusterBytes) throw new AppError('TOOL_FAILED', `qemu-img does not say the block size of an empty ${format} image, so its size cannot be measured.`);
      const block = info.clusterBytes;
      // VHD: each data block is preceded by its sector bitmap, one bit per 512-byte sector, in whole sectors.
      const bitmap = format === 'vhd' ? Math.ceil(block / 512 / 8 / 512) * 512 : 0;
      g = { emptyBytes: st.size, blockBytes: block, perBlockBytes: block + bitmap, alignBytes: format === 'vhdx' ? MIB : 1 };
    } finally {
      rmSync(file, { force: true });
    }
    this.known.set(key, g);
    return g;
  }
}

/** The size of the image file writeVolumeImage makes from this raw volume image in `format`. */
export async function imageExportBytes(image: string, format: ImageFormat, geometry: GeometryCache, signal?: AbortSignal): Promise<number> {
  const virtualBytes = (await stat(image)).size;
  // `qemu-img convert -O raw` writes a (sparse) file of exactly the virtual size.
  if (format === 'raw') return virtualBytes;
  const g = await geometry.get(format, virtualBytes, signal);
  const n = await blocksWithData(image, g.blockBytes, signal);
  if (n === 0) return g.emptyBytes;
  return Math.ceil(g.emptyBytes / g.alignBytes) * g.alignBytes + n * g.perBlockBytes;
}

const CHUNK_BYTES = 4 * MIB;
const ZERO = Buffer.alloc(CHUNK_BYTES);

/**
 * How many `blockBytes`-aligned blocks of the image hold at least one non-zero byte. Only the
 * file's data extents are read (holes are zeros, and qemu-img does not read them either), and a
 * block is left as soon as it is known to hold data.
 */
export async function blocksWithData(image: string, blockBytes: number, signal?: AbortSignal): Promise<number> {
  const extents = await qemuDataExtents(image, signal);
  const fh = await open(image, 'r');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let count = 0;
  let lastCounted = -1;
  try {
    for (const [start, end] of extents) {
      let pos = start;
      while (pos < end) {
        if (signal?.aborted) throw new AppError('CANCELLED', 'Measuring the points was cancelled.');
        const block = Math.floor(pos / blockBytes);
        if (block === lastCounted) {
          pos = Math.min(end, (block + 1) * blockBytes);
          continue;
        }
        // Up to a chunk, not past the end of this block when the block is larger than a chunk.
        const stop = Math.min(end, pos + CHUNK_BYTES, blockBytes > CHUNK_BYTES ? (block + 1) * blockBytes : Infinity);
        const len = stop - pos;
        let got = 0;
        while (got < len) {
          const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        for (let p = 0; p < got; ) {
          const b = Math.floor((pos + p) / blockBytes);
          const blockEnd = Math.min(got, (b + 1) * blockBytes - pos);
          if (b !== lastCounted && !buf.subarray(p, blockEnd).equals(ZERO.subarray(0, blockEnd - p))) {
            lastCounted = b;
            count++;
          }
          p = blockEnd;
        }
        if (got < len) break; // the file ended early
        pos = stop;
      }
    }
  } finally {
    await fh.close();
  }
  return count;
}
