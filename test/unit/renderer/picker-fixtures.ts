// Range picker inputs as the engine makes them: the chain's own pointStates (what plan.points
// answers) over inventories of points named by epoch seconds, one an hour.
import { pointStates } from '../../../electron/chain/states.ts';
import type { RangePickerSystem } from '../../../renderer/components/range-picker/index.ts';
import { inventory, series } from '../chain/helpers.ts';

/**
 * `count` local points; `offsite` lists which of them (by age, 0 = oldest) are offsite too;
 * `lockAt` moves the lock to another common one.
 */
export function pickerSystem(count: number, offsite: number[], lockAt?: number): RangePickerSystem {
  const local = series(count);
  const inv = inventory(local, offsite.map((i) => local[i]));
  const s = pointStates(inv, lockAt === undefined ? undefined : local[lockAt].name);
  return { system: s.system, rows: s.rows, lock: s.lock, defaultLock: s.defaultLock, first: s.first, last: s.last };
}

/** The name of the point `age` hours after the first (0 = oldest). */
export function nameAt(system: RangePickerSystem, age: number): string {
  return system.rows[age].name;
}
