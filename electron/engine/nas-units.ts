// The NAS units on one NAS host, for the Units screen: every dataset one level below a pool that
// carries a sealed manifest's checksum property (what the NAS sync leaves, docs/nas-sync.md), read
// from the NAS alone, so a unit another bench made shows from its own manifest. Nothing on the NAS
// changes but what reading a manifest needs (mounting the unit when it is not mounted).
import { toAppError } from '../api/errors.ts';
import type { AttachedUnit } from '../api/schemas/units.ts';
import { listNasPools, runOnNas, type NasHost } from '../drives/nas.ts';
import { MANIFEST_SHA_PROP, readNasManifest } from '../jobs/zfs/nas-unit.ts';
import { groupRows, parseGetRows } from '../system/zfs/parse.ts';
import { unitRow } from './unit-row.ts';

/** The datasets right below `pool` that carry a manifest checksum: the NAS units there. */
async function unitDatasets(nas: NasHost, pool: string): Promise<string[]> {
  const r = await runOnNas(nas, ['zfs', 'get', '-H', '-d', '1', '-o', 'name,property,value', MANIFEST_SHA_PROP, pool], `look for units on pool ${pool}`, { okCodes: [1] });
  return [...groupRows(parseGetRows(r.stdout))]
    .filter(([name, p]) => !name.includes('@') && name !== pool && /^[0-9a-f]{64}$/.test(p[MANIFEST_SHA_PROP] ?? ''))
    .map(([name]) => name)
    .sort();
}

/**
 * Every NAS unit on `nas`. A unit whose manifest does not check out is a note, not a row: it is
 * not what its property says, and nothing should be merged from it.
 */
export async function listNasUnits(nas: NasHost, known: (ticketId: string, nasDataset: string) => Pick<AttachedUnit, 'knownTicket' | 'verify'>): Promise<{ units: AttachedUnit[]; notes: string[] }> {
  const units: AttachedUnit[] = [];
  const notes: string[] = [];
  for (const pool of await listNasPools(nas)) {
    for (const dataset of await unitDatasets(nas, pool.name)) {
      try {
        const { manifest } = await readNasManifest(nas, dataset);
        units.push(unitRow(manifest, { label: `NAS ${nas.host}: ${dataset}`, layout: manifest.layout, devices: [], drivesExpected: 0, nas: { host: nas.host, dataset } }, (t) => known(t, dataset)));
      } catch (e) {
        notes.push(`${nas.host}:${dataset}: ${toAppError(e).message}`);
      }
    }
  }
  return { units, notes };
}
