// Where a merge (and a passphrase check) reads "the unit" from: a ZFS unit on USB drives (its pool
// imported here, unit-session.ts) or a NAS unit (the dataset POOL/rt_TICKET on a NAS, reached over
// ssh, docs/nas-sync.md). The merge pipeline asks a source for the sealed manifest, the unit's own
// proof against it, each system's dataset, a point's send stream and an agent's key record; it
// never knows which kind it reads. Nothing here writes to the unit.
import type { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, toAppError } from '../api/errors.ts';
import { readNasFile, sendOverSsh, type NasHost } from '../drives/nas.ts';
import type { Manifest, ManifestSystem } from '../jobs/manifest.ts';
import { verifyNasUnit } from '../jobs/zfs/nas-verify.ts';
import { nasProps, readNasManifest } from '../jobs/zfs/nas-unit.ts';
import { verifyZfsUnit, type VerifyReport } from '../jobs/zfs/verify.ts';
import { zfsSend } from '../system/zfs/index.ts';
import { withPointMounted } from './point-files.ts';
import { KEY_RECORD_FILE } from './unlock.ts';
import { openZfsUnit } from './unit-session.ts';
import { openSealedSource } from './sealed-source.ts';
import type { UnitSource } from './unit-source-type.ts';
import { openUnit } from '../jobs/unit.ts';

/** Which unit: its drive (a sealed one with its passphrase), or its dataset on a NAS. */
export type UnitRef = { device: string; unitPassphrase?: string } | { nas: NasHost; nasDataset: string };

export type { UnitSource } from './unit-source-type.ts';

export function unitRefOf(p: { device?: string; nas?: NasHost; nasDataset?: string; unitPassphrase?: string }): UnitRef {
  if (p.device !== undefined && p.nas === undefined) return { device: p.device, ...(p.unitPassphrase ? { unitPassphrase: p.unitPassphrase } : {}) };
  if (p.nas && p.device === undefined) {
    if (!p.nasDataset) throw new AppError('BAD_INPUT', 'Name the unit on the NAS with --nas-dataset POOL/rt_TICKET.');
    return { nas: p.nas, nasDataset: p.nasDataset };
  }
  throw new AppError('BAD_INPUT', 'Name the unit either by its drive or by its NAS and dataset, not both.');
}

/** A short key for the job registry's holds: one merge at a time per NAS unit. */
export function unitHoldKey(ref: UnitRef): string {
  return 'device' in ref ? ref.device : `nas:${ref.nas.host}:${ref.nas.port ?? 22}:${ref.nasDataset}`;
}

export function openUnitSource(ref: UnitRef, jobId?: string): Promise<UnitSource> {
  return 'device' in ref ? openDriveSource(ref.device, ref.unitPassphrase, jobId) : openNasSource(ref.nas, ref.nasDataset);
}

async function openDriveSource(device: string, unitPassphrase: string | undefined, jobId?: string): Promise<UnitSource> {
  const unit = await openUnit(device);
  if (unit.metadata.layout === 'zfs-sealed') return openSealedSource(device, unitPassphrase, jobId, unit);
  if (unit.metadata.layout === 'images-sealed') {
    throw new AppError('BAD_INPUT', `${device} is a sealed unit of disk images, not of ZFS points: there is nothing to merge into a pool.`, {
      hint: 'Unseal its images into a folder instead: roundtrip unseal DEV --to DIR --unit-passphrase-stdin (or Unseal images on the Merge screen).',
    });
  }
  const session = await openZfsUnit(device, jobId, unit);
  return {
    kind: 'drive',
    label: device,
    manifest: session.manifest,
    localPool: session.pool,
    disks: session.disks,
    unitPath: (s) => s.unitPath,
    verify: (signal) => verifyZfsUnit(device, { sourceRoot: null, signal }),
    send: (s, point, from, signal) => zfsSend(`${s.unitPath}@${point}`, { from: from ?? undefined, signal }),
    async keyRecord(s) {
      const newest = s.points.at(-1);
      if (!newest) throw new AppError('NOT_FOUND', `${s.system} has no recovery point on this unit.`);
      // zfs-fuse has no .zfs/snapshot: the point is read through a read-only clone.
      return withPointMounted(`${s.unitPath}@${newest.name}`, async (dir) => {
        try {
          return readFileSync(join(dir, KEY_RECORD_FILE), 'utf8');
        } catch {
          return null;
        }
      });
    },
    close: () => session.close(),
  };
}

/** A NAS failure while opening the unit names the step, so the technician knows nothing was read yet. */
function atStep(e: unknown, step: string): AppError {
  const err = toAppError(e);
  return new AppError(err.code, err.message, { detail: err.detail, hint: err.hint, step: err.step ?? step, data: err.data });
}

async function openNasSource(nas: NasHost, dataset: string): Promise<UnitSource> {
  const { manifest } = await readNasManifest(nas, dataset).catch((e) => {
    throw atStep(e, 'open-unit');
  });
  if (manifest.layout !== 'zfs') throw new AppError('BAD_INPUT', `${dataset} on the NAS is a ${manifest.layout} unit: only ZFS units are merged back.`, { step: 'open-unit' });
  // The manifest names the unit path it was written for; a renamed unit is read where it is now.
  const oldRoot = manifest.nas?.dataset ?? dataset;
  const unitPath = (s: ManifestSystem) => (s.unitPath.startsWith(`${oldRoot}/`) ? `${dataset}/${s.unitPath.slice(oldRoot.length + 1)}` : s.unitPath);
  return {
    kind: 'nas',
    label: `${dataset} on ${nas.host}:${nas.port ?? 22}`,
    manifest,
    localPool: null,
    disks: [],
    unitPath,
    verify: (signal) => verifyNasUnit(nas, dataset, { sourceRoot: null, signal }),
    send: (s, point, from, signal) => sendOverSsh({ nas, snapshot: `${unitPath(s)}@${point}`, from, signal }),
    async keyRecord(s) {
      // The NAS unit's system datasets are received mounted and never written: their live files are
      // the newest point's (zfs-fuse has no .zfs/snapshot, and a clone would change the NAS).
      const ds = unitPath(s);
      const p = await nasProps(nas, ds, ['mountpoint', 'mounted']);
      if (!p.mountpoint?.startsWith('/') || p.mounted !== 'yes') {
        throw new AppError('NOT_FOUND', `${ds} is not mounted on the NAS, so its key record cannot be read there.`, { hint: 'Mount it on the NAS (zfs mount DATASET), or merge first and enter the passphrase on the destination (roundtrip unlock).' });
      }
      return readNasFile(nas, `${p.mountpoint.replace(/\/+$/, '')}/${KEY_RECORD_FILE}`);
    },
    close: async () => {},
  };
}
