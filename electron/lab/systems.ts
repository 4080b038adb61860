// Building one protected system of the lab appliance, point by point, with real filesystems.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { attachLoop, detachLoop } from '../system/loop.ts';
import { makeSparseFile, mkfsExt4, mkfsNtfs } from '../system/mkfs.ts';
import { mountExt4, mountNtfs, unmount, withFrozen } from '../system/mount.ts';
import { createDataset, getDataset, setUserProp, snapshot } from '../system/zfs/index.ts';
import { newAgentKey, wrapAgentKey } from '../merge/agent-key.ts';
import { cryptFile } from '../merge/volume-crypt.ts';
import { writeSystemMeta, type SystemMeta } from '../appliance/system-meta.ts';
import type { LabSystemSpec } from './config.ts';
import { mutateTree } from './mutate.ts';

export interface BuildContext {
  pool: string;
  workDir: string;
  /** Records a mount while it exists so `lab down` can undo a half-finished build. */
  trackMount(target: string, mounted: boolean): void;
}

export interface BuiltSystem {
  dataset: string;
  passphrase?: string;
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
      return buildNtfsAgent(spec, times, ctx, mnt, dataset, take);
    case 'linux':
      return buildExt4Agent(spec, times, ctx, mnt, dataset, take);
    case 'encrypted':
      return buildEncryptedAgent(spec, times, ctx, mnt, dataset, take);
  }
}

async function buildNtfsAgent(spec: LabSystemSpec, times: number[], ctx: BuildContext, mnt: string, dataset: string, take: (t: number) => Promise<string>): Promise<BuiltSystem> {
  const vol = spec.volumes[0];
  const img = join(mnt, `${vol.name}.img`);
  await makeSparseFile(img, `${vol.mib}M`);
  await mkfsNtfs(img, vol.name);
  const target = join(ctx.workDir, `${spec.name}-${vol.name}`);
  mkdirSync(target, { recursive: true });
  for (let i = 0; i < times.length; i++) {
    // Through a loop device, so ntfs-3g runs as fuseblk and unmount waits for its last write.
    const dev = await attachLoop(img);
    try {
      ctx.trackMount(target, true);
      await mountNtfs(dev, target);
      try {
        mutateTree(target, spec.name, i);
      } finally {
        await unmount(target);
        ctx.trackMount(target, false);
      }
    } finally {
      await detachLoop(dev);
    }
    await take(times[i]);
  }
  return { dataset };
}

async function buildExt4Agent(spec: LabSystemSpec, times: number[], ctx: BuildContext, mnt: string, dataset: string, take: (t: number) => Promise<string>): Promise<BuiltSystem> {
  const vol = spec.volumes[0];
  const img = join(mnt, `${vol.name}.img`);
  await makeSparseFile(img, `${vol.mib}M`);
  await mkfsExt4(img, vol.name);
  const target = join(ctx.workDir, `${spec.name}-${vol.name}`);
  mkdirSync(target, { recursive: true });
  ctx.trackMount(target, true);
  await mountExt4(img, target, { loop: true });
  try {
    for (let i = 0; i < times.length; i++) {
      mutateTree(target, spec.name, i);
      // Frozen: the journal is flushed, so every point is a clean filesystem (what VSS gives an agent).
      await withFrozen(target, () => take(times[i]));
    }
  } finally {
    await unmount(target);
    ctx.trackMount(target, false);
  }
  return { dataset };
}

async function buildEncryptedAgent(spec: LabSystemSpec, times: number[], ctx: BuildContext, mnt: string, dataset: string, take: (t: number) => Promise<string>): Promise<BuiltSystem> {
  const vol = spec.volumes[0];
  const passphrase = `lab-${randomBytes(6).toString('hex')}`;
  const agentKey = newAgentKey();
  writeFileSync(join(mnt, 'agent-key.json'), JSON.stringify(await wrapAgentKey(agentKey, passphrase), null, 2));
  // The plaintext volume lives only in the lab's work directory while it is built.
  const plain = join(ctx.workDir, `${spec.name}-${vol.name}.plain`);
  await makeSparseFile(plain, `${vol.mib}M`);
  await mkfsExt4(plain, vol.name);
  const target = join(ctx.workDir, `${spec.name}-${vol.name}`);
  mkdirSync(target, { recursive: true });
  const enc = join(mnt, `${vol.name}.img`);
  ctx.trackMount(target, true);
  await mountExt4(plain, target, { loop: true });
  try {
    for (let i = 0; i < times.length; i++) {
      mutateTree(target, spec.name, i);
      await withFrozen(target, async () => cryptFile(agentKey, plain, enc, true, { onlyChanged: true }));
      await take(times[i]);
    }
  } finally {
    await unmount(target);
    ctx.trackMount(target, false);
    rmSync(plain, { force: true });
    agentKey.fill(0);
  }
  return { dataset, passphrase };
}
