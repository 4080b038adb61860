// A NAS unit over ssh: where it lives (`POOL/rt_<ticket>`, its manifest a file in its mountpoint,
// the manifest's checksum a property) and the small reads the sync and the verify make of it.
import { AppError } from '../../api/errors.ts';
import { readNasFile, runOnNas, type NasHost } from '../../drives/nas.ts';
import { assertDatasetName } from '../../system/zfs/index.ts';
import { parseGetRows, groupRows, num } from '../../system/zfs/parse.ts';
import { parseManifest, type Manifest } from '../manifest.ts';

export const NAS_MANIFEST_FILE = '.roundtrip-manifest.json';
export const MANIFEST_SHA_PROP = 'roundtrip:manifest-sha256';

/** The unit's dataset on the NAS: one per ticket. */
export function nasUnitDataset(nasPool: string, ticketId: string): string {
  return assertDatasetName(`${nasPool}/rt_${ticketId.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
}

/** Whether the NAS has this dataset. */
export async function nasExists(nas: NasHost, name: string): Promise<boolean> {
  const r = await runOnNas(nas, ['zfs', 'get', '-H', '-o', 'name', 'type', name], `check ${name}`, { okCodes: [1] });
  return r.exitCode === 0 && r.stdout.trim() === name;
}

/** Some properties of a dataset on the NAS (exact numbers with `exact`). */
export async function nasProps(nas: NasHost, name: string, props: string[], exact = false): Promise<Record<string, string>> {
  const r = await runOnNas(nas, ['zfs', 'get', exact ? '-Hp' : '-H', '-o', 'name,property,value', props.join(','), name], `read ${props.join(', ')} of ${name}`);
  return groupRows(parseGetRows(r.stdout)).get(name) ?? {};
}

/** A point's GUID on the NAS; null when the NAS has no such point. */
export async function nasGuid(nas: NasHost, snapshot: string): Promise<string | null> {
  const r = await runOnNas(nas, ['zfs', 'get', '-Hp', '-o', 'value', 'guid', snapshot], `read the GUID of ${snapshot}`, { okCodes: [1] });
  return r.exitCode === 0 ? r.stdout.trim() || null : null;
}

/** The points of a dataset on the NAS with their exact GUIDs. */
export async function nasSnapshots(nas: NasHost, dataset: string): Promise<Array<{ snap: string; guid: string; creation: number }>> {
  assertDatasetName(dataset);
  const r = await runOnNas(nas, ['zfs', 'get', '-Hp', '-d', '1', '-o', 'name,property,value', 'guid,creation', dataset], `list the points of ${dataset}`);
  const out: Array<{ snap: string; guid: string; creation: number }> = [];
  for (const [name, p] of groupRows(parseGetRows(r.stdout))) {
    if (!name.startsWith(`${dataset}@`)) continue;
    out.push({ snap: name.slice(dataset.length + 1), guid: p.guid, creation: num(p.creation) ?? 0 });
  }
  return out.sort((a, b) => a.creation - b.creation);
}

/** A pool's GUID on the NAS. */
export async function nasPoolGuid(nas: NasHost, pool: string): Promise<string | null> {
  // zfs-fuse's `zpool get` has no -H: the value is the third column of the pool's row.
  const r = await runOnNas(nas, ['zpool', 'get', 'guid', pool], `read the GUID of pool ${pool}`, { okCodes: [1, 2] });
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${pool} `) || l.startsWith(`${pool}\t`));
  return line?.trim().split(/\s+/)[2] ?? null;
}

/** Where the unit's manifest lives on the NAS: a file in the unit dataset's mountpoint. */
export async function manifestPathOf(nas: NasHost, dataset: string, step?: string): Promise<string> {
  let p = await nasProps(nas, dataset, ['mountpoint', 'mounted']);
  if (p.mountpoint?.startsWith('/') && p.mounted !== 'yes') {
    await runOnNas(nas, ['zfs', 'mount', dataset], `mount ${dataset}`, { okCodes: [1] });
    p = await nasProps(nas, dataset, ['mountpoint', 'mounted']);
  }
  if (!p.mountpoint?.startsWith('/') || p.mounted !== 'yes') {
    throw new AppError('BAD_INPUT', `The unit ${dataset} on the NAS is not mounted (mountpoint ${p.mountpoint ?? '?'}), so its manifest cannot be kept next to it.`, {
      step,
      hint: 'Give the NAS pool a mountpoint (zfs set mountpoint=/PATH POOL on the NAS), then sync again.',
    });
  }
  return `${p.mountpoint.replace(/\/+$/, '')}/${NAS_MANIFEST_FILE}`;
}

/** The unit's manifest, read from the NAS alone, checked against itself and the dataset's property. */
export async function readNasManifest(nas: NasHost, dataset: string): Promise<{ manifest: Manifest; path: string }> {
  assertDatasetName(dataset);
  if (!(await nasExists(nas, dataset))) throw new AppError('ZFS_NO_DATASET', `There is no unit ${dataset} on the NAS ${nas.host}.`);
  const path = await manifestPathOf(nas, dataset);
  const text = await readNasFile(nas, path);
  if (text === null) throw new AppError('MANIFEST_INVALID', `${dataset} on the NAS holds no manifest: no sync finished on this unit, so there is nothing to verify.`);
  const manifest = parseManifest(text);
  const recorded = (await nasProps(nas, dataset, [MANIFEST_SHA_PROP]))[MANIFEST_SHA_PROP];
  if (recorded !== manifest.checksum) {
    throw new AppError('MANIFEST_INVALID', `The manifest file of ${dataset} is not the one the sync recorded on the dataset (checksum ${recorded ?? 'missing'}).`, {
      hint: 'Do not merge this unit; verify it against the source or sync it again.',
    });
  }
  return { manifest, path };
}

