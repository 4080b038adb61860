// R11 lock: the point both sides hold that the incremental chain starts from. By default the
// newest common point (the shortest chain). The technician may move it to any other common point,
// which changes what is sent; a point the receiver lacks can never be the lock, because the
// receiver could not apply an incremental stream based on a snapshot it does not have.
import { AppError } from '../api/errors.ts';
import type { Oriented } from './match.ts';
import { findPoint, pointLabel, sides } from './points.ts';
import type { PointRef } from './types.ts';

/** The source index of the lock in effect, or -1 when the sides have no common point. */
export function chooseLock(o: Oriented, override?: PointRef | null): number {
  if (override === undefined || override === null || override === '') return o.newestCommon;
  const words = sides(o.direction);
  const i = findPoint(o.source, override);
  const data = {
    system: o.system,
    point: String(override),
    newestCommon: o.newestCommon >= 0 ? o.source[o.newestCommon].name : null,
  };
  const hint =
    o.newestCommon >= 0
      ? `Choose a point that is both on ${words.source} and ${words.receiver}; the newest one is ${pointLabel(o.source[o.newestCommon])}.`
      : `${o.system} has no point in common, so its first point is sent in full and there is no lock to move.`;
  if (i === -1) {
    const onReceiver = findPoint(o.receiver, override) !== -1;
    throw new AppError(
      'CHAIN_BAD_LOCK',
      onReceiver
        ? `The lock cannot move to ${override}: that point of ${o.system} is on ${words.receiver} but not on ${words.source}.`
        : `The lock cannot move to ${override}: ${o.system} has no such point.`,
      { hint, data },
    );
  }
  if (o.counterpart[i] === -1) {
    throw new AppError(
      'CHAIN_BAD_LOCK',
      `The lock cannot move to ${pointLabel(o.source[i])}: ${words.receiver} does not have that point of ${o.system}, so no chain can start from it.`,
      { hint, data },
    );
  }
  return i;
}
