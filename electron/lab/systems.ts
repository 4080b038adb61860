// Building one protected system of the lab appliance, point by point, with real filesystems.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachLoop, detachLoop } from '../system/loop.ts';
import { makeSparseFile, mkfsExt4, mkfsNtfs } from '../system/mkfs.ts';
import { mountExt4, mountNtfs, unmount } from '../system/mount.ts';
import { copyChangedSlices } from '../system/slice-copy.ts';
import { createDataset, getDataset, setUserProp, snapshot } from '../system/zfs/index.ts';
import { cryptSectors, newAgentKey, SECTOR_SIZE, wrapAgentKey } from '../appliance/agent-key.ts';
import { writeSystemMeta, type SystemMeta } from '../appliance/system-meta.ts';
import type { LabSystemSpec } from './config.ts';
import { mutateTree } from './mutate.ts';
import { labAgentPassphrase } from './passphrase.ts';

export interface BuildContext {
  pool: string;
  /** The lab's id, from which the practice passphrase is derived. */
  labId: string;
  workDir: string;
  /** Records a mount while it exists so `lab down` can undo a half-finished build. */
  trackMount(target: string, mounted: boolean): void;
}

export interface BuiltSystem {
  dataset: string;
}

function metaFor(spec: LabSystemSpec): SystemMeta {
  return {
    name: spec.name,
    kind: spec.kind === 'share' ? 'share' : 'agent',
    os: spec.kind === 'windows' ? 'windows' : spec.kind === 'share' ? undefined : 'linux',
    encrypted: spec.kind === 'encrypted',
    volumes: spec.volumes.map((v) => ({ name: v.name, fs: v.fs, file: `${v.name}.img`, bytes: v.mib * 1024 * 1024 })),
  };
}

export async function buildSystem(spec: LabSystemSpec, times: number[], ctx: BuildContext): Promise<BuiltSystem> {
  const dataset = `${ctx.pool}/${spec.name}`;
  await createDataset(dataset);
  const mnt = (await getDataset(dataset)).mountpoint!;
  const meta = metaFor(spec);
  await setUserProp(dataset, 'roundtrip:kind', meta.kind);
  await setUserProp(dataset, 'roundtrip:encrypted', meta.encrypted ? 'yes' : 'no');
  if (meta.os) await setUserProp(dataset, 'roundtrip:os', meta.os);
  if (meta.volumes.length) await setUserProp(dataset, 'roundtrip:volumes', meta.volumes.map((v) => `${v.name}:${v.fs}`).join(','));
  writeSystemMeta(mnt, meta);

  const take = (t: number) => snapshot(dataset, String(t));
  switch (spec.kind) {
    case 'share':
      for (let i = 0; i < times.length; i++) {
        mutateTree(mnt, spec.name, i);
        await take(times[i]);
      }
      return { dataset };
    case 'windows':
    case 'linux':
      await buildVolumeAgent(spec, times, ctx, mnt, take);
      return { dataset };
    case 'encrypted':
      return buildEncryptedAgent(spec, times, ctx, mnt, take);
  }
}

/**
 * An agent's volume is built in a working image on the host's own filesystem: mounted read-write
 * there, changed, cleanly unmounted, and only then copied (changed slices only) into the image file
 * on the appliance's dataset, and the point taken. Nothing is ever mounted read-write on a loop
 * device whose backing file lives on zfs-fuse: when zfs-fuse itself calls sync(), the kernel would
 * flush that loop device back into zfs-fuse and both wait for each other forever.
 */
async function buildVolumeAgent(
  spec: LabSystemSpec,
  times: number[],
  ctx: BuildContext,
  mnt: string,
  take: (t: number) => Promise<string>,
  encryptWith?: Buffer,
): Promise<void> {
  const vol = spec.volumes[0];
  const work = join(ctx.workDir, `${spec.name}-${vol.name}.work.img`);
  const dest = join(mnt, `${vol.name}.img`);
  const target = join(ctx.workDir, `${spec.name}-${vol.name}`);
  mkdirSync(target, { recursive: true });
  await makeSparseFile(work, `${vol.mib}M`);
  try {
    if (vol.fs === 'ntfs') await mkfsNtfs(work, vol.name);
    else await mkfsExt4(work, vol.name);
    for (let i = 0; i < times.length; i++) {
      await withVolumeMounted(work, vol.fs, target, ctx, () => mutateTree(target, spec.name, i));
      copyChangedSlices(work, dest, encryptWith && ((slice, off) => cryptSectors(encryptWith, slice, off / SECTOR_SIZE, true)));
      await take(times[i]);
    }
  } finally {
    rmSync(work, { force: true });
  }
}

async function withVolumeMounted(image: string, fs: 'ntfs' | 'ext4', target: string, ctx: BuildContext, fn: () => void): Promise<void> {
  // Through a loop device, so ntfs-3g runs as fuseblk and unmount waits for its last write.
  const dev = await attachLoop(image);
  try {
    ctx.trackMount(target, true);
    if (fs === 'ntfs') await mountNtfs(dev, target);
    else await mountExt4(dev, target);
    try {
      fn();
    } finally {
      await unmount(target);
      ctx.trackMount(target, false);
    }
  } finally {
    await detachLoop(dev);
  }
}

async function buildEncryptedAgent(spec: LabSystemSpec, times: number[], ctx: BuildContext, mnt: string, take: (t: number) => Promise<string>): Promise<BuiltSystem> {
  const passphrase = labAgentPassphrase(ctx.labId);
  const agentKey = newAgentKey();
  writeFileSync(join(mnt, 'agent-key.json'), JSON.stringify(await wrapAgentKey(agentKey, passphrase), null, 2));
  try {
    // The plaintext working image lives only in the lab's work directory while it is built.
    await buildVolumeAgent(spec, times, ctx, mnt, take, agentKey);
  } finally {
    agentKey.fill(0);
  }
  return { dataset: `${ctx.pool}/${spec.name}` };
}
