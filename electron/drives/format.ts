// Formatting drives into a RoundTrip unit: preview (nothing written) or, with `yes`,
// guard → unmount → (destroy an old unit pool) → wipe → partition → metadata ext4 → data
// (one ZFS pool striped over every drive, R5, or one NTFS/ext4 filesystem per drive) → metadata.json.
// The policy is checked again right before each step that writes (guard.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../api/errors.ts';
import { logLine } from '../system/log.ts';
import { hasTool } from '../system/run.ts';
import { ensureZfs } from '../system/zfs/daemon.ts';
import { createPool, destroyPool } from '../system/zfs/pool.ts';
import { zpool } from '../system/zfs/exec.ts';
import { assertPoolName } from '../system/zfs/names.ts';
import { recordDestructive } from './audit-hook.ts';
import { claimDrives, releaseDrives } from './busy.ts';
import { allMountpoints, describeContents } from './describe.ts';
import { inspectDrive, resolveDevice } from './enumerate.ts';
import { makeExt4, makeNtfs } from './filesystems.ts';
import { assertWritable, goneError, type GuardOptions } from './guard.ts';
import { writeUnitMetadata, type UnitMember, type UnitMetadata } from './metadata.ts';
import { driveFsLabel, unitPoolName } from './naming.ts';
import { DATA_PART_LABEL, META_PART_LABEL, writeUnitLayout, type UnitPartitions } from './partition.ts';
import { isSystemMountpoint } from './policy.ts';
import { UNIT_PROP } from './pools.ts';
import { erasePreview, type ErasePreview } from './preview.ts';
import { FormatRequest } from './schemas.ts';
import { unmountAll } from './unmount.ts';
import { stillThere, flushBuffers, wipeDrive } from './wipe.ts';
import { dataFsOf, type JudgedDrive, type Layout } from './types.ts';

export type FormatStep = 'unmount' | 'destroy-pool' | 'wipe' | 'partition' | 'metadata-fs' | 'data-fs' | 'pool' | 'metadata' | 'flush';

export interface FormatProgress {
  step: FormatStep;
  device?: string;
  /** Steps done so far and in all, for a progress bar. */
  done: number;
  total: number;
}

export interface FormatHooks {
  /** Called after each step on each drive (tests detach a drive here). */
  afterStep?: (step: FormatStep, device: string) => void | Promise<void>;
  onProgress?: (p: FormatProgress) => void;
  signal?: AbortSignal;
}

export interface FormatRequestT {
  devices: string[];
  layout: Layout;
  label: string;
  yes?: boolean;
  unmount?: boolean;
  confirmInternal?: boolean;
  confirmData?: boolean;
  ticketId?: string;
  actor?: string;
  jobId?: string;
}

export interface FormattedDrive {
  device: string;
  serial: string | null;
  metaPartition: string;
  dataPartition: string;
  /** ext4 / ntfs / zfs_member */
  dataFs: string;
  fsLabel: string | null;
}

export interface FormatPreviewResult extends ErasePreview {
  dryRun: true;
}

export interface FormatDoneResult {
  dryRun: false;
  layout: Layout;
  label: string;
  unitId: string;
  ticketId: string | null;
  pool: { name: string; guid: string | null } | null;
  drives: FormattedDrive[];
  tookMs: number;
}

export type FormatResult = FormatPreviewResult | FormatDoneResult;

const FS_LABEL_MAX: Record<Exclude<Layout, 'zfs'>, number> = { ext4: 16, ntfs: 32, 'zfs-sealed': 16, 'images-sealed': 16 };
const META_FS_LABEL = 'RTMETA';

function parseRequest(input: unknown): FormatRequestT {
  const r = FormatRequest.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') || 'request';
    throw new AppError('BAD_INPUT', `The format request is not valid: ${field}: ${issue?.message ?? 'invalid'}.`, { data: { field } });
  }
  return r.data;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'Formatting was cancelled; the drives are half-formatted and can be formatted again.');
}

/** Reads and judges every chosen drive together (each knows the others for the unit-pool rule). */
async function judgeAll(req: FormatRequestT, devices: string[], jobId: string | undefined): Promise<JudgedDrive[]> {
  const out: JudgedDrive[] = [];
  for (const dev of devices) {
    const found = await inspectDrive(dev, {
      jobId,
      selection: devices,
      options: { unmount: req.unmount, confirmInternal: req.confirmInternal, confirmData: req.confirmData },
    });
    if (!found) throw new AppError('DRIVE_NOT_FOUND', `There is no drive at ${dev}. Check that it is plugged in and pick it again from the list.`, { data: { device: dev } });
    out.push(found.drive);
  }
  return out;
}

/** Every tool the layout needs, checked before anything is erased (a missing mkfs must not leave a wiped drive). */
async function requireTools(layout: Layout): Promise<void> {
  const tools = ['wipefs', 'sfdisk', 'partprobe', 'blockdev', 'mkfs.ext4', 'mount', 'umount', ...(layout === 'ntfs' ? ['mkfs.ntfs'] : [])];
  for (const t of tools) {
    if (!(await hasTool(t))) {
      throw new AppError('TOOL_MISSING', `The tool "${t}" is not installed, so RoundTrip Bench cannot format drives as ${layout.toUpperCase()}. Nothing was written.`, {
        hint: 'Run "npm run setup" as root to install the missing tools.',
      });
    }
  }
  if (layout === 'zfs') {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('ZFS_DAEMON', 'ZFS is not answering, so no ZFS unit can be made now. Nothing was written.', { hint: 'Try again in a minute; if it persists, restart the ZFS service.' })), 30_000);
      timer.unref?.();
    });
    await Promise.race([ensureZfs(), hung]).finally(() => clearTimeout(timer));
  }
}

async function poolGuid(name: string): Promise<string | null> {
  try {
    const r = await zpool(['get', 'guid', name], `read the guid of pool ${name}`);
    const line = r.stdout.split('\n').find((l) => l.startsWith(name));
    return line?.trim().split(/\s+/)[2] ?? null;
  } catch {
    return null;
  }
}

/**
 * Formats drives into one unit. Without `yes` it returns the erase preview and writes nothing;
 * a drive the policy refuses throws its refusal code either way.
 */
export async function formatDrives(input: FormatRequestT, hooks: FormatHooks = {}): Promise<FormatResult> {
  const started = Date.now();
  const req = parseRequest(input);
  const devices = [...new Set(req.devices.map(resolveDevice))];
  const judged = await judgeAll(req, devices, req.jobId);
  const preview = erasePreview(judged, req.layout, req.label);

  const refused = preview.drives.find((d) => d.refusals.length);
  if (refused) {
    const all = preview.drives.flatMap((d) => d.refusals);
    throw new AppError(refused.refusals[0].code, all.map((r) => r.message).join(' '), {
      data: { preview: { ...preview, dryRun: !req.yes } },
      hint: 'Choose other drives; nothing was written.',
    });
  }
  if (!req.yes) return { ...preview, dryRun: true };

  if (preview.unconfirmed.length) {
    const opts = [...new Set(preview.unconfirmed.map((w) => w.confirmWith))];
    throw new AppError('DRIVE_NEEDS_CONFIRMATION', preview.unconfirmed.map((w) => w.message).join(' '), {
      hint: `Nothing was written. Confirm with ${opts.map((o) => (o === 'confirmInternal' ? '--confirm-internal' : o === 'confirmData' ? '--confirm-data' : '--unmount')).join(' and ')} (or the matching checkboxes in the app).`,
      data: { preview: { ...preview, dryRun: false } },
    });
  }

  await requireTools(req.layout);
  const jobId = req.jobId ?? `format-${randomUUID()}`;
  claimDrives(devices, jobId);
  const unitId = randomUUID();
  const base = { jobId, selection: devices, unmount: req.unmount, confirmInternal: req.confirmInternal, confirmData: req.confirmData } satisfies GuardOptions;
  const seq = new Map<string, number | null>();
  const totalSteps = devices.length * 4 + (req.layout === 'zfs' ? 1 : devices.length) + 1;
  let done = 0;
  let step: FormatStep = 'unmount';
  let createdPool: string | null = null;
  const progress = async (s: FormatStep, device?: string) => {
    done++;
    hooks.onProgress?.({ step: s, device, done, total: totalSteps });
    if (device) await hooks.afterStep?.(s, device);
    throwIfAborted(hooks.signal);
  };
  const guardStep = (dev: string, s: FormatStep) => {
    step = s;
    return assertWritable(dev, { ...base, phase: 'continue', step: s, expectDiskseq: seq.get(dev) ?? null });
  };

  try {
    // The check at the moment of writing: fresh, with every confirmation the request carried.
    const drives: JudgedDrive[] = [];
    for (const dev of devices) {
      const d = await assertWritable(dev, { ...base, phase: 'start', step: 'check' });
      seq.set(dev, d.diskseq);
      drives.push(d);
    }
    for (const d of drives) {
      await recordDestructive({
        action: 'drive.erase',
        actor: req.actor,
        ticketId: req.ticketId,
        details: { device: d.device, serial: d.serial, model: d.model, sizeBytes: d.sizeBytes, lab: !!d.lab, contents: describeContents(d), layout: req.layout, label: req.label, jobId },
      });
    }

    step = 'unmount';
    for (const d of drives) {
      const mps = allMountpoints(d).filter((m) => !isSystemMountpoint(m));
      if (mps.length) await unmountAll(d.device, mps);
    }

    step = 'destroy-pool';
    const oldPools = [...new Set(drives.flatMap((d) => d.pools.filter((p) => p.unit).map((p) => p.pool)))];
    for (const pool of oldPools) {
      await destroyPool(pool);
      logLine('audit', { op: 'destroy unit pool', pool, jobId });
    }

    const parts = new Map<string, UnitPartitions>();
    for (const d of drives) {
      const g = { ...base, expectDiskseq: seq.get(d.device) ?? null };
      step = 'wipe';
      await wipeDrive(d.device, g);
      await progress('wipe', d.device);
      step = 'partition';
      parts.set(d.device, await writeUnitLayout(d.device, req.layout, g));
      await progress('partition', d.device);
      await guardStep(d.device, 'metadata-fs');
      await makeExt4(parts.get(d.device)!.meta, META_FS_LABEL);
      await progress('metadata-fs', d.device);
    }

    const fsLabels = new Map<string, string | null>();
    let pool: { name: string; guid: string | null } | null = null;
    if (req.layout === 'zfs') {
      for (const d of drives) await guardStep(d.device, 'pool');
      const name = assertPoolName(unitPoolName(req.ticketId ?? req.label, randomBytes(4).toString('hex').slice(0, 6)));
      createdPool = name;
      await createPool(
        name,
        drives.map((d) => parts.get(d.device)!.data),
        {
          mountpoint: 'none',
          // A pulled drive makes I/O fail instead of suspending the pool (the default, "wait"), in
          // which every zfs command on it would hang until the drive came back.
          poolProps: { failmode: 'continue' },
          fsProps: {
            [UNIT_PROP]: 'yes',
            'roundtrip:unit-id': unitId,
            'roundtrip:label': req.label,
            ...(req.ticketId ? { 'roundtrip:ticket': req.ticketId } : {}),
          },
        },
      );
      pool = { name, guid: await poolGuid(name) };
      for (const d of drives) fsLabels.set(d.device, null);
      await progress('pool', drives[0].device);
    } else {
      for (const [i, d] of drives.entries()) {
        await guardStep(d.device, 'data-fs');
        const fsLabel = driveFsLabel(req.label, i, drives.length, FS_LABEL_MAX[req.layout]);
        if (req.layout === 'ntfs') await makeNtfs(parts.get(d.device)!.data, fsLabel);
        else await makeExt4(parts.get(d.device)!.data, fsLabel);
        fsLabels.set(d.device, fsLabel);
        await progress('data-fs', d.device);
      }
    }

    const members: UnitMember[] = drives.map((d, i) => ({ index: i + 1, serial: d.serial, model: d.model, sizeBytes: d.sizeBytes }));
    for (const [i, d] of drives.entries()) {
      await guardStep(d.device, 'metadata');
      const doc: UnitMetadata = {
        format: 'roundtrip-unit',
        version: 1,
        unitId,
        label: req.label,
        ticketId: req.ticketId ?? null,
        layout: req.layout,
        createdAt: new Date().toISOString(),
        drive: {
          ...members[i],
          device: d.device,
          count: drives.length,
          dataPartition: { number: 2, partLabel: DATA_PART_LABEL, fsType: req.layout === 'zfs' ? 'zfs_member' : dataFsOf(req.layout), fsLabel: fsLabels.get(d.device) ?? null },
        },
        members,
        pool,
      };
      await writeUnitMetadata(parts.get(d.device)!.meta, doc);
      await progress('metadata', d.device);
    }

    step = 'flush';
    // Per device, never the global sync(): that one waits for every other writer on the machine.
    for (const d of drives) {
      for (const p of [parts.get(d.device)!.meta, parts.get(d.device)!.data, d.device]) await flushBuffers(p);
    }
    await progress('flush');

    const result: FormatDoneResult = {
      dryRun: false,
      layout: req.layout,
      label: req.label,
      unitId,
      ticketId: req.ticketId ?? null,
      pool,
      drives: drives.map((d) => ({
        device: d.device,
        serial: d.serial,
        metaPartition: parts.get(d.device)!.meta,
        dataPartition: parts.get(d.device)!.data,
        dataFs: req.layout === 'zfs' ? 'zfs_member' : dataFsOf(req.layout),
        fsLabel: fsLabels.get(d.device) ?? null,
      })),
      tookMs: Date.now() - started,
    };
    await recordDestructive({
      action: 'drive.format',
      actor: req.actor,
      ticketId: req.ticketId,
      details: { unitId, layout: req.layout, label: req.label, pool: pool?.name ?? null, drives: result.drives.map((d) => ({ device: d.device, serial: d.serial })), jobId },
    });
    return result;
  } catch (e) {
    const gone = devices.find((dev) => !stillThere(dev, seq.get(dev) ?? null));
    if (createdPool) {
      // A pool we created on a drive that then failed is half a unit: remove it so the drives can be formatted again.
      await destroyPool(createdPool).catch((err: unknown) => logLine('drives', { op: 'destroy half-made pool', pool: createdPool, failed: String(err) }));
    }
    logLine('drives', { op: 'format failed', step, devices, error: String(e), gone: gone ?? null });
    if (gone && seq.has(gone)) throw goneError(gone, step);
    throw e;
  } finally {
    releaseDrives(devices, jobId);
  }
}
