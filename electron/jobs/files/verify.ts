// Verify one drive of an NTFS or EXT4 unit from the drive alone: mount its data filesystem
// read-only, re-read every file and image its manifest lists (SHA-256, size, time; type, link
// target and — on ext4 — owner and permissions), look for anything in a point's folder that the
// manifest does not list, and `qemu-img check` images where the format has a check. With a source
// named (or recorded as this machine's and present), each point is also compared with the source:
// images with `qemu-img compare`, files by their checksums read from the source again.
// Points held by another drive of the unit are named, not checked: each drive verifies on its own.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, toAppError } from '../../api/errors.ts';
import { datasetExists } from '../../system/zfs/index.ts';
import { qemuCheck, qemuCompare } from '../../system/qemu-img.ts';
import type { Manifest, ManifestPoint } from '../manifest.ts';
import { openUnit } from '../unit.ts';
import { isSealedLayout } from '../../drives/types.ts';
import { sameTime, type FileEntry } from './file-entry.ts';
import { sha256File } from './hash-file.ts';
import { cleanupLeftovers } from './leftovers.ts';
import { openPoint } from './point-reader.ts';
import { mountUnitDrives } from './unit-target.ts';

export interface FileMismatch {
  system: string;
  point: string;
  path?: string;
  problem: string;
}

export interface FileVerifyReport {
  ok: boolean;
  device: string;
  ticketId: string;
  layout: 'ntfs' | 'ext4';
  content: 'browsable' | 'image';
  driveIndex: number;
  driveCount: number;
  pointsChecked: number;
  filesChecked: number;
  imagesChecked: number;
  sourceCompared: boolean;
  /** Listed in the manifest as unreadable on the source when copied. */
  unreadableOnSource: number;
  /** Points this drive's manifest places on other drives of the unit. */
  elsewhere: Array<{ system: string; point: string; drive: number }>;
  mismatches: FileMismatch[];
}

const CONCURRENCY = 4;

async function inPool<T>(items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

async function checkEntry(root: string, f: FileEntry, ext4: boolean): Promise<string | null> {
  const p = join(root, f.unitPath ?? f.path);
  let st;
  try {
    st = await lstat(p, { bigint: true });
  } catch (e) {
    return `missing on the unit (${(e as NodeJS.ErrnoException).code ?? e})`;
  }
  const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
  if (type !== f.type) return `is a ${type} on the unit, the manifest says ${f.type}`;
  if (f.type === 'symlink') {
    const t = await readlink(p);
    if (t !== f.target) return `points to ${t} on the unit, the manifest says ${f.target}`;
    return null;
  }
  if (ext4) {
    if (Number(st.mode & 0o7777n) !== f.mode) return `has permissions ${(Number(st.mode) & 0o7777).toString(8)} on the unit, the manifest says ${f.mode.toString(8)}`;
    if (Number(st.uid) !== f.uid || Number(st.gid) !== f.gid) return `is owned by ${st.uid}:${st.gid} on the unit, the manifest says ${f.uid}:${f.gid}`;
  }
  if (f.type === 'dir') return sameTime(st.mtimeNs, f.mtimeNs) ? null : 'folder time differs from the manifest';
  if (Number(st.size) !== f.size) return `has ${st.size} bytes on the unit, the manifest says ${f.size}`;
  if (!sameTime(st.mtimeNs, f.mtimeNs)) return 'modification time differs from the manifest';
  const sum = await sha256File(p);
  return sum.sha256 === f.sha256 ? null : 'content differs from the manifest (SHA-256)';
}

/** Everything under `dir` (relative paths), to find what the manifest does not list. */
async function listTree(dir: string, rel = '', out: string[] = []): Promise<string[]> {
  for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    out.push(r);
    if (d.isDirectory()) await listTree(dir, r, out);
  }
  return out;
}

export async function verifyFileUnit(
  device: string,
  opts: { sourceRoot?: string | null; passphrases?: Record<string, string>; signal?: AbortSignal; jobId?: string } = {},
): Promise<FileVerifyReport> {
  await cleanupLeftovers();
  const unit = await openUnit(device);
  const m: Manifest | null = unit.manifest;
  if (!m) throw new AppError('MANIFEST_INVALID', `${device} holds no manifest: no sync finished on this unit, so there is nothing to verify.`);
  if (isSealedLayout(m.layout)) throw new AppError('BAD_INPUT', `${device} is a sealed unit; verify it with the sealed verifier.`);
  if (m.layout === 'zfs' || !m.content || m.content === 'datasets') throw new AppError('BAD_INPUT', `${device} is a ZFS unit; verify it with the ZFS verifier.`);
  const layout = m.layout;
  const content = m.content;
  const driveIndex = m.driveIndex ?? 1;
  const jobId = opts.jobId ?? `verify-${m.ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const sourceRoot = opts.sourceRoot === undefined ? (m.source.host === 'local' ? m.source.root : null) : opts.sourceRoot;
  const mismatches: FileMismatch[] = [];
  const elsewhere: FileVerifyReport['elsewhere'] = [];
  let pointsChecked = 0;
  let filesChecked = 0;
  let imagesChecked = 0;
  let unreadableOnSource = 0;
  let sourceCompared = false;

  const mounted = await mountUnitDrives(jobId, [{ index: driveIndex, device, serial: null, metaPartition: unit.metaPartition, dataPartition: unit.dataPartition, fsLabel: null, sizeBytes: 0 }], layout, { readOnly: true });
  const root = mounted.drives[0].root;
  try {
    for (const s of m.systems) {
      const srcDs = sourceRoot ? `${sourceRoot}/${s.system}` : null;
      const haveSource = srcDs ? await datasetExists(srcDs) : false;
      for (const p of s.points) {
        if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The verification was cancelled.');
        if (p.drive !== driveIndex) {
          elsewhere.push({ system: s.system, point: p.name, drive: p.drive ?? 0 });
          continue;
        }
        pointsChecked++;
        const bad = (problem: string, path?: string) => mismatches.push({ system: s.system, point: p.name, ...(path ? { path } : {}), problem });
        if (!p.folder) {
          bad('the manifest names no folder for this point');
          continue;
        }
        if (content === 'image') {
          imagesChecked += await checkImages(root, p, bad, opts.signal);
        } else {
          const r = await checkFiles(root, p, layout === 'ext4', bad);
          filesChecked += r.files;
          unreadableOnSource += r.unreadable;
        }
        if (haveSource && srcDs) {
          sourceCompared = true;
          await compareWithSource(root, srcDs, p, content, jobId, opts.passphrases?.[s.system], bad, opts.signal);
        }
      }
    }
  } finally {
    await mounted.close();
  }
  return {
    ok: mismatches.length === 0,
    device,
    ticketId: m.ticketId,
    layout,
    content,
    driveIndex,
    driveCount: m.drives.length,
    pointsChecked,
    filesChecked,
    imagesChecked,
    sourceCompared,
    unreadableOnSource,
    elsewhere,
    mismatches,
  };
}

async function checkFiles(root: string, p: ManifestPoint, ext4: boolean, bad: (problem: string, path?: string) => void): Promise<{ files: number; unreadable: number }> {
  let files = 0;
  let unreadable = 0;
  for (const v of p.volumes ?? []) {
    const volRoot = join(root, p.folder!, v.volume);
    unreadable += v.unreadable.length;
    await inPool(v.files, async (f) => {
      const problem = await checkEntry(volRoot, f, ext4).catch((e) => `cannot be read back (${(e as NodeJS.ErrnoException).code ?? e})`);
      if (problem) bad(`${v.volume}/${f.path} ${problem}`, `${v.volume}/${f.path}`);
    });
    files += v.files.filter((f) => f.type === 'file').length;
    const listed = new Set(v.files.map((f) => f.unitPath ?? f.path));
    let present: string[] = [];
    try {
      present = await listTree(volRoot);
    } catch (e) {
      bad(`the folder of volume ${v.volume} cannot be read on the unit (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    for (const x of present) if (!listed.has(x)) bad(`${v.volume}/${x} is on the unit but not in the manifest`, `${v.volume}/${x}`);
  }
  return { files, unreadable };
}

async function checkImages(root: string, p: ManifestPoint, bad: (problem: string, path?: string) => void, signal?: AbortSignal): Promise<number> {
  let n = 0;
  for (const img of p.images ?? []) {
    n++;
    const file = join(root, img.file);
    try {
      const [sum, chk] = await Promise.all([sha256File(file, { signal }), qemuCheck(file, img.qemuFormat, signal)]);
      if (sum.bytes !== img.bytes) bad(`image ${img.file} has ${sum.bytes} bytes on the unit, the manifest says ${img.bytes}`, img.file);
      else if (sum.sha256 !== img.sha256) bad(`image ${img.file} differs from the manifest (SHA-256)`, img.file);
      if (chk && !chk.ok) bad(`qemu-img check finds errors in image ${img.file}`, img.file);
    } catch (e) {
      bad(`image ${img.file} cannot be read back (${toAppError(e).message})`, img.file);
    }
  }
  return n;
}

async function compareWithSource(
  root: string,
  dataset: string,
  p: ManifestPoint,
  content: 'browsable' | 'image',
  jobId: string,
  passphrase: string | undefined,
  bad: (problem: string, path?: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  let opened;
  try {
    opened = await openPoint({ dataset, point: p.name, jobId, mountVolumes: content === 'browsable', passphrase, signal });
  } catch (e) {
    const err = toAppError(e);
    // An encrypted agent without its passphrase is compared with the manifest only.
    if (err.code === 'PASSPHRASE_NEEDED') return;
    bad(`the source point cannot be opened for comparison (${err.message})`);
    return;
  }
  try {
    if (content === 'image') {
      for (const img of p.images ?? []) {
        const v = opened.volumes.find((x) => x.name === img.volume);
        if (!v) {
          bad(`volume ${img.volume} is not in the source point`);
          continue;
        }
        const c = await qemuCompare(v.image, 'raw', join(root, img.file), img.qemuFormat, signal);
        if (!c.same) bad(`image ${img.file} differs from the source volume (qemu-img compare)`, img.file);
      }
      return;
    }
    for (const vol of p.volumes ?? []) {
      const srcRoot = vol.volume === 'files' && opened.volumes.length === 0 ? opened.root : opened.volumes.find((x) => x.name === vol.volume)?.mountDir;
      if (!srcRoot) {
        bad(`volume ${vol.volume} is not in the source point`);
        continue;
      }
      await inPool(
        vol.files.filter((f) => f.type === 'file'),
        async (f) => {
          try {
            const sum = await sha256File(join(srcRoot, f.path), { signal });
            if (sum.sha256 !== f.sha256) bad(`${vol.volume}/${f.path} differs between the source and the manifest`, `${vol.volume}/${f.path}`);
          } catch (e) {
            bad(`${vol.volume}/${f.path} cannot be read on the source (${(e as NodeJS.ErrnoException).code ?? e})`, `${vol.volume}/${f.path}`);
          }
        },
      );
    }
  } finally {
    await opened.close();
  }
}
