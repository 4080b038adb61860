// Opening one point of a protected system read-only, without changing the source:
//  - the point's tree: `<mountpoint>/.zfs/snapshot/<point>` where the probe found that readable,
//    otherwise a temporary read-only clone (mounted under the job's own folder, destroyed on close);
//  - an agent's volumes: each image attached read-only (`losetup -r`) and mounted read-only
//    (`ntfs-3g -o ro`, ext4 `ro,noload` so no journal is replayed), or only handed over as a file
//    for image export;
//  - an encrypted agent's volumes are decrypted with the agent key (unwrapped from the passphrase,
//    in memory only) into a working image on the bench's own disk, never inside the source pool.
// Everything made here is recorded in a Leftovers record first, so a killed run's next start
// removes it (leftovers.ts). Nothing is ever mounted read-write from a source.
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../api/errors.ts';
import { readSystemMeta, type SystemMeta } from '../../appliance/system-meta.ts';
import { parseKeyRecord, unwrapAgentKey } from '../../appliance/agent-key.ts';
import { cryptFile } from '../../appliance/volume-crypt.ts';
import { attachLoop } from '../../system/loop.ts';
import { mountExt4, mountNtfs } from '../../system/mount.ts';
import { appPath } from '../../system/paths.ts';
import { clone, getDataset, listSnapshots, probeZfs } from '../../system/zfs/index.ts';
import { Leftovers } from './leftovers.ts';

export interface OpenedVolume {
  name: string;
  fs: 'ntfs' | 'ext4';
  /** A readable raw image of the volume at this point (in the clone, or the decrypted working copy). */
  image: string;
  /** Where the volume's filesystem is mounted read-only, when asked for. */
  mountDir?: string;
}

export interface OpenedPoint {
  system: string;
  point: string;
  meta: SystemMeta;
  /** The dataset's tree at this point (read-only). */
  root: string;
  /** How the tree was reached. */
  via: 'snapdir' | 'clone';
  /** Agents: their volumes. Shares: none (the tree is the data). */
  volumes: OpenedVolume[];
  close(): Promise<void>;
}

export interface OpenPointOptions {
  dataset: string;
  point: string;
  jobId: string;
  /** Mount each volume's filesystem (browsable copies); image exports only need the image files. */
  mountVolumes: boolean;
  /** The agent's passphrase, for encrypted agents; kept in memory only. */
  passphrase?: string;
  signal?: AbortSignal;
}

/** A system described by its dataset at this point, or by its user properties when the file is missing. */
function metaAt(root: string, system: string): SystemMeta {
  const m = readSystemMeta(root);
  if (m) return m;
  return { name: system, kind: 'share', encrypted: false, volumes: [] };
}

/** The point's tree, read-only: through `.zfs/snapshot` where the probe found it readable, else a clone in `work`. */
async function openPointTree(dataset: string, point: string, left: Leftovers, work: string): Promise<{ root: string; via: OpenedPoint['via'] }> {
  left.add('dirs', work);
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const caps = await probeZfs();
  const ds = await getDataset(dataset);
  const snapdir = ds.mountpoint && ds.mounted !== false ? join(ds.mountpoint, '.zfs', 'snapshot', point) : null;
  if (caps.snapdirAccess && snapdir && existsSync(snapdir)) return { root: snapdir, via: 'snapdir' };
  // A clone next to the pool's root, read-only and mounted in the job's own folder.
  const pool = dataset.split('/')[0];
  const name = `${pool}/rtread-${left.id}`;
  const root = join(work, 'point');
  left.add('dirs', root);
  mkdirSync(root);
  left.add('clones', name);
  await clone(`${dataset}@${point}`, name, { readonly: 'on', mountpoint: root });
  if (!existsSync(join(root, '.'))) throw new AppError('TOOL_FAILED', `The clone of ${dataset.split('/').pop()}@${point} did not mount.`);
  return { root, via: 'clone' };
}

/** An encrypted agent's key record as a point holds it (the file the point's volumes are read with), or null. */
export async function pointKeyRecord(dataset: string, point: string, jobId: string): Promise<string | null> {
  const left = new Leftovers(jobId, `read the key record of ${dataset}@${point}`);
  try {
    const { root } = await openPointTree(dataset, point, left, appPath('jobs', jobId, 'read', left.id));
    const file = join(root, 'agent-key.json');
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  } finally {
    await left.release();
  }
}

export async function openPoint(o: OpenPointOptions): Promise<OpenedPoint> {
  const system = o.dataset.split('/').pop()!;
  const snaps = await listSnapshots(o.dataset);
  if (!snaps.some((s) => s.snap === o.point)) {
    throw new AppError('SOURCE_POINT_GONE', `Point ${o.point} of ${system} no longer exists on the source (retention may have removed it).`, {
      hint: 'Plan the ticket again and run a new sync. Nothing on the source was changed.',
      data: { system, point: o.point },
    });
  }
  const left = new Leftovers(o.jobId, `read ${o.dataset}@${o.point}`);
  const work = appPath('jobs', o.jobId, 'read', left.id);
  try {
    const { root, via } = await openPointTree(o.dataset, o.point, left, work);
    const meta = metaAt(root, system);
    const volumes: OpenedVolume[] = [];
    let key: Buffer | null = null;
    try {
      if (meta.kind === 'agent' && meta.encrypted && meta.volumes.length) {
        if (!o.passphrase) {
          throw new AppError('PASSPHRASE_NEEDED', `${system} is an encrypted agent: its passphrase is needed to read its points.`, {
            hint: "Enter the agent's passphrase (roundtrip sync --passphrase-stdin). It is kept in memory only.",
            data: { system },
          });
        }
        key = await unwrapAgentKey(parseKeyRecord(readFileSync(join(root, 'agent-key.json'), 'utf8')), o.passphrase);
      }
      for (const v of meta.volumes) {
        if (o.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled while opening a point.');
        let image = join(root, v.file);
        if (!existsSync(image)) throw new AppError('SOURCE_POINT_GONE', `Volume ${v.name} of ${system} is missing from point ${o.point}.`, { data: { system, point: o.point } });
        if (key) {
          // Plaintext only on the bench's own disk, readable by root alone, removed on close.
          const plain = join(work, `${v.name}.plain.img`);
          left.add('files', plain);
          cryptFile(key, image, plain, false);
          chmodSync(plain, 0o600);
          image = plain;
        }
        const vol: OpenedVolume = { name: v.name, fs: v.fs, image };
        if (o.mountVolumes) {
          const mnt = join(work, `vol-${v.name}`);
          left.add('dirs', mnt);
          mkdirSync(mnt);
          left.add('loopFiles', image);
          const dev = await attachLoop(image, { readOnly: true });
          left.add('mounts', mnt);
          if (v.fs === 'ntfs') await mountNtfs(dev, mnt, { readOnly: true });
          else await mountExt4(dev, mnt, { readOnly: true });
          vol.mountDir = mnt;
        }
        volumes.push(vol);
      }
    } finally {
      key?.fill(0);
    }
    let closed = false;
    return {
      system,
      point: o.point,
      meta,
      root,
      via,
      volumes,
      async close() {
        if (closed) return;
        closed = true;
        await left.release();
      },
    };
  } catch (e) {
    await left.release();
    throw e;
  }
}
