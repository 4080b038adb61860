// Which unit the Merge screen merges: the one on a drive, or a NAS unit (its dataset on the NAS the
// Units screen looks at). Spread into the engine's requests as the contract takes a unit
// (`device`, or `nas` + `nasDataset`); also how its jobs are recognised after a reload.
import type { JobView } from '../../../electron/api/schemas/jobs.ts';
import type { NasChoice } from '../../app/session.ts';

export type UnitRef = { device: string } | { nas: NasChoice['nas']; nasDataset: string };

/** The route's unit: a device, or a NAS dataset read through the NAS the Units screen names. */
export type RoutedUnit = { device: string } | { nasDataset: string };

export function unitRefOf(routed: RoutedUnit, nas: NasChoice['nas'] | null): UnitRef | null {
  if ('device' in routed) return { device: routed.device.startsWith('/') ? routed.device : `/${routed.device}` };
  return nas ? { nas, nasDataset: routed.nasDataset } : null;
}

export function unitKey(ref: UnitRef): string {
  return 'device' in ref ? ref.device : `${ref.nas.host}:${ref.nasDataset}`;
}

/** Whether a job's parameters name this unit. */
export function jobOfUnit(j: JobView, ref: UnitRef): boolean {
  const p = (j.params ?? {}) as { device?: string; nasDataset?: string; nas?: { host?: string } };
  return 'device' in ref ? p.device === ref.device : p.nasDataset === ref.nasDataset && p.nas?.host === ref.nas.host;
}
