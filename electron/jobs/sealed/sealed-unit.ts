// A sealed unit opened from one of its drives (docs/sealed-units.md): the public manifest read
// without the passphrase; with it, the unit key, the sealed manifest (checked against the public
// one) and the drive's data filesystem mounted read-only, for verifying and merging. A wrong
// passphrase reads nothing but the key record. The data key is zeroed at close.
import { createReadStream } from 'node:fs';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../api/errors.ts';
import { claimDrives, releaseDrives } from '../../drives/busy.ts';
import { OpenStream, openUnitKey, type OpenResult } from '../../seal/index.ts';
import { mountUnitDrives, type MountedUnit } from '../files/unit-target.ts';
import { cleanupLeftovers } from '../files/leftovers.ts';
import type { Manifest, ManifestSystem } from '../manifest.ts';
import { isSealedLayout } from '../../drives/types.ts';
import { openUnit, type UnitOnDrive } from '../unit.ts';
import { readLsblk } from '../../drives/lsblk.ts';
import { probeDevice } from '../../drives/blkid.ts';
import { driveFsLabel } from '../../drives/naming.ts';
import { META_PART_LABEL } from '../../drives/partition.ts';
import { openManifestBytes, readSealedManifest, readUnitKeyRecord, sealedEntriesOf, streamPath, type SealedEntry } from './sealed-layout.ts';

export { sealedEntriesOf, type SealedEntry };

export interface SealedUnitSession {
  unit: UnitOnDrive;
  /** The public manifest (no systems). */
  outer: Manifest;
  /** The sealed manifest: every system, its points and their files. */
  manifest: Manifest;
  /** The given drive's place in the unit (1-based). */
  driveIndex: number;
  /** The unit's drives attached here (the given one first found, in the unit's order). */
  drives: Array<{ index: number; device: string }>;
  /** The systems whose streams are all on attached drives. */
  here: ManifestSystem[];
  /** The systems that cannot be read, each with why (their drive is not attached). */
  absent: Record<string, string>;
  /** A sealed file opened: plain content out, each record handed on only once authenticated. */
  open(f: SealedEntry, signal?: AbortSignal): { stdout: Readable; done: Promise<OpenResult> };
  close(): Promise<void>;
}

const IO_BYTES = 1024 * 1024;

/** The public manifest of a sealed unit, or a clear refusal when the drive is not one. */
/** `read`: the unit as the caller already read it from the drive (it is not read again). */
export async function openSealedOuter(device: string, read?: UnitOnDrive): Promise<{ unit: UnitOnDrive; outer: Manifest }> {
  // A killed job's mounts of this drive would keep it from being mounted here.
  await cleanupLeftovers();
  const unit = read ?? (await openUnit(device));
  const outer = unit.manifest;
  if (!outer) throw new AppError('MANIFEST_INVALID', `${device} holds no manifest: no sync finished on this unit, so there is nothing to read.`);
  if (!isSealedLayout(outer.layout) || !outer.sealed) throw new AppError('BAD_INPUT', `${device} is a ${outer.layout} unit, not a sealed one.`);
  return { unit, outer };
}

export async function openSealedUnit(device: string, unitPassphrase: string | undefined, jobId = `sealed-${process.pid}-${Date.now()}`, read?: UnitOnDrive): Promise<SealedUnitSession> {
  const { unit, outer } = await openSealedOuter(device, read);
  if (!unitPassphrase) {
    throw new AppError('UNIT_PASSPHRASE_NEEDED', `${device} is a sealed unit: enter its unit passphrase (from the support ticket) before anything is read from it.`, {
      hint: 'In the CLI: --unit-passphrase-stdin. Nothing was read from the unit.',
    });
  }
  const record = await readUnitKeyRecord(unit.metaPartition);
  if (record.keyId !== outer.sealed!.keyId) throw new AppError('KEY_RECORD_DAMAGED', `The key record on ${device} is not the one the unit's manifest names; the passphrase was not tried.`);
  const dataKey = await openUnitKey(record, unitPassphrase);
  let mounted: MountedUnit | null = null;
  // The drives this session claimed itself (a sync reading back its own unit already holds them).
  let claimed: string[] = [];
  try {
    const manifest = await openManifestBytes(dataKey, await readSealedManifest(unit.metaPartition, outer.sealed!.manifestStreamId), outer.sealed!.manifestStreamId);
    if (manifest.unitId !== outer.unitId || manifest.ticketId !== outer.ticketId) {
      throw new AppError('MANIFEST_INVALID', `The sealed manifest on ${device} belongs to another unit than its public manifest.`);
    }
    const driveIndex = unit.metadata.drive.index;
    const members = await attachedMembers(unit);
    const attached = new Set(members.map((u) => u.metadata.drive.index));
    const filesOf = (s: ManifestSystem) => s.points.map((p) => sealedEntriesOf(s.system, p));
    const here = manifest.systems.filter((s) => s.points.length > 0 && filesOf(s).every((fs) => fs.length > 0 && fs.every((f) => attached.has(f.sealed.drive))));
    const absent: Record<string, string> = {};
    for (const s of manifest.systems.filter((x) => !here.includes(x))) {
      const missing = [...new Set(filesOf(s).flatMap((fs) => (fs.length ? fs.map((f) => f.sealed.drive) : [0])))].filter((d) => !attached.has(d));
      const serials = missing.map((d) => manifest.drives.find((x) => x.index === d)?.serial).filter(Boolean);
      absent[s.system] = `its streams are on drive ${missing.join(', ')} of ${manifest.drives.length} of the unit${serials.length ? ` (serial ${serials.join(', ')})` : ''}, which is not attached`;
    }
    claimed = claimDrives(members.map((u) => u.device), jobId);
    mounted = await mountUnitDrives(
      jobId,
      members.map((u) => ({ index: u.metadata.drive.index, device: u.device, serial: null, metaPartition: u.metaPartition, dataPartition: u.dataPartition, fsLabel: null, sizeBytes: 0 })),
      'ext4',
      { readOnly: true },
    );
    const roots = new Map(mounted.drives.map((d) => [d.index, d.root]));
    const m = mounted;
    const held = claimed;
    let closed = false;
    return {
      unit,
      outer,
      manifest,
      driveIndex,
      drives: members.map((u) => ({ index: u.metadata.drive.index, device: u.device })),
      here,
      absent,
      open(f, signal) {
        const root = roots.get(f.sealed.drive);
        if (!root) throw new AppError('MANIFEST_INVALID', `The sealed manifest names no file on an attached drive for ${f.label}.`);
        const opener = new OpenStream(dataKey, { streamId: f.sealed.streamId, label: f.label });
        const file = createReadStream(streamPath(root, f.sealed.file), { highWaterMark: IO_BYTES });
        const moved = pipeline(file, opener, { signal }).catch((e: unknown) => {
          const err = e as NodeJS.ErrnoException;
          if (err?.code === 'ENOENT') throw new AppError('SEALED_STREAM_TRUNCATED', `The sealed file of ${f.label} is missing from drive ${f.sealed.drive} of the unit.`);
          throw e;
        });
        return { stdout: opener, done: moved.then(() => opener.finish()) };
      },
      async close() {
        if (closed) return;
        closed = true;
        dataKey.fill(0);
        await m.close();
        releaseDrives(held, jobId);
      },
    };
  } catch (e) {
    dataKey.fill(0);
    await mounted?.close().catch(() => {});
    releaseDrives(claimed, jobId);
    throw e;
  }
}

/**
 * The unit's drives attached here: the given one, and every other disk whose data partition bears
 * the label the unit gave that drive and whose metadata names the same unit. Only those candidates
 * are read, so no unrelated drive's partition is mounted.
 */
async function attachedMembers(unit: UnitOnDrive): Promise<UnitOnDrive[]> {
  const md = unit.metadata;
  const labels = new Set(Array.from({ length: md.drive.count }, (_, i) => driveFsLabel(md.label, i, md.drive.count, 16)).filter((l) => l !== md.drive.dataPartition.fsLabel));
  const out = [unit];
  if (md.drive.count < 2) return out;
  for (const n of await readLsblk()) {
    if (n.path === unit.device) continue;
    const parts = n.children.filter((c) => c.type === 'part').sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
    if (parts.length < 2) continue;
    // udev's view (lsblk) of a freshly made partition can lag; blkid reads the partition itself.
    const [meta, data] = [await probeDevice(parts[0].path), await probeDevice(parts[1].path)];
    if ((meta.partLabel ?? parts[0].partLabel) !== META_PART_LABEL || !labels.has(data.label ?? parts[1].label ?? '')) continue;
    const other = await openUnit(n.path).catch(() => null);
    if (other && other.metadata.unitId === md.unitId && !out.some((u) => u.metadata.drive.index === other.metadata.drive.index)) out.push(other);
  }
  return out.sort((a, b) => a.metadata.drive.index - b.metadata.drive.index);
}

/** One sealed file's check: opened to its end, authenticated, its SHA-256 the manifest's. */
export interface SealedCheck {
  system: string;
  point: string;
  /** Images: the image's name (a point has one per volume). */
  file?: string;
  ok: boolean;
  problem?: string;
  /** The refusal itself (SEALED_CHUNK_TAMPERED, SEALED_STREAM_TRUNCATED, ...), when the file was refused. */
  error?: AppError;
}

/** Every sealed file of `here` opened to its end: authenticated, and its SHA-256 the manifest's. */
export async function authenticateSealed(session: SealedUnitSession, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<SealedCheck[]> {
  const out: SealedCheck[] = [];
  for (const s of session.here) {
    for (const f of s.points.flatMap((p) => sealedEntriesOf(s.system, p))) {
      const { stdout, done } = session.open(f, signal);
      const sink = new Writable({
        write(chunk: Buffer, _e, cb) {
          onBytes?.(chunk.length);
          cb();
        },
      });
      const [r] = await Promise.allSettled([done, pipeline(stdout, sink)]);
      if (r.status === 'rejected') {
        if (signal?.aborted) throw r.reason;
        const err = r.reason instanceof AppError ? r.reason : new AppError('MERGE_UNIT_DAMAGED', `The sealed file of ${f.label} could not be read.`, { detail: String(r.reason) });
        out.push({ system: s.system, point: f.point, ...(f.image ? { file: f.image.file } : {}), ok: false, problem: `${err.code}: ${err.message}`, error: err });
      } else if (r.value.sha256 !== f.sha256) {
        out.push({ system: s.system, point: f.point, ...(f.image ? { file: f.image.file } : {}), ok: false, problem: `its SHA-256 is not the one recorded when it was sealed` });
      } else out.push({ system: s.system, point: f.point, ...(f.image ? { file: f.image.file } : {}), ok: true });
    }
  }
  return out;
}
