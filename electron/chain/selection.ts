// R16 selections: which of the sending side's points the technician asked for. Every selection
// is a contiguous slice of the sending side's points in time order, so it is returned as two
// indices (no per-point arrays: a system can have tens of thousands of points). Invalid selections
// are refused here with a sentence that says why; how the slice is sent is chain.ts's business.
import { AppError } from '../api/errors.ts';
import type { Oriented } from './match.ts';
import { DAY_SECONDS, findPoint, lowerBound, pointLabel, sides, upperBound, when } from './points.ts';
import type { PointRef, Selection } from './types.ts';

export interface SelectedRange {
  /** First and last selected source index, inclusive. */
  lo: number;
  hi: number;
}

/** A refusal. `reason` lets a multi-system plan treat "nothing to send" differently from a mistake. */
export function badSelection(message: string, system: string, reason: string, extra: { hint?: string; data?: Record<string, unknown> } = {}): AppError {
  return new AppError('CHAIN_BAD_SELECTION', message, { hint: extra.hint, data: { system, reason, ...(extra.data ?? {}) } });
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A range bound in epoch seconds. Accepts a point name (either side), epoch seconds (number or
 * digits), or an ISO date / date-time. A date-time without a zone is read as UTC. A bare date as
 * the end of a range means the end of that day, so "2024-01-01 to 2024-01-31" includes the 31st.
 */
export function parseRangeBound(o: Oriented, ref: PointRef, end: boolean): number {
  if (typeof ref === 'number') {
    if (Number.isFinite(ref)) return ref;
  } else if (typeof ref === 'string') {
    const s = ref.trim();
    const i = findPoint(o.source, s);
    if (i !== -1 && o.source[i].name === s) return o.source[i].time;
    const j = findPoint(o.receiver, s);
    if (j !== -1 && o.receiver[j].name === s) return o.receiver[j].time;
    if (/^\d+$/.test(s)) return Number(s);
    const m = ISO.exec(s);
    if (m) {
      const dateOnly = m[4] === undefined;
      const text = dateOnly ? `${s}T00:00:00Z` : m[7] ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
      const ms = Date.parse(text);
      if (Number.isFinite(ms)) return Math.floor(ms / 1000) + (dateOnly && end ? DAY_SECONDS - 1 : 0);
    }
  }
  throw badSelection(`"${String(ref)}" is not a point name, an epoch time or a date.`, o.system, 'bad-bound', {
    hint: 'Give a point name such as 1700000000, epoch seconds, or a date such as 2024-01-31.',
  });
}

/** The slice of source points a selection names. `lock` is the source index of the lock, or -1. */
export function selectRange(o: Oriented, selection: Selection, lock: number): SelectedRange {
  const words = sides(o.direction);
  const n = o.source.length;
  if (!selection || typeof selection !== 'object') throw badSelection(`No snapshot selection was given for ${o.system}.`, o.system, 'missing');
  if (n === 0) throw badSelection(`${o.system} has no points on ${words.source}, so there is nothing to send.`, o.system, 'nothing-to-send');

  switch (selection.kind) {
    case 'latest':
      return { lo: n - 1, hi: n - 1 };

    case 'one': {
      const i = findPoint(o.source, selection.point);
      if (i === -1) {
        const elsewhere = findPoint(o.receiver, selection.point) !== -1;
        throw badSelection(
          elsewhere
            ? `Point ${selection.point} of ${o.system} is on ${words.receiver} but not on ${words.source}, so it cannot be sent from there.`
            : `${o.system} has no point ${selection.point}.`,
          o.system,
          'no-such-point',
          { data: { point: String(selection.point) } },
        );
      }
      return { lo: i, hi: i };
    }

    case 'range': {
      const from = parseRangeBound(o, selection.from, false);
      const to = parseRangeBound(o, selection.to, true);
      if (from > to) {
        throw badSelection(`The range for ${o.system} starts (${when(from)}) after it ends (${when(to)}).`, o.system, 'first-after-last', {
          hint: 'Swap the two ends of the range.',
          data: { from, to },
        });
      }
      const lo = lowerBound(o.source, from);
      const hi = upperBound(o.source, to) - 1;
      if (lo > hi) {
        throw badSelection(`No point of ${o.system} on ${words.source} falls between ${when(from)} and ${when(to)}.`, o.system, 'empty-range', {
          hint: n > 0 ? `Its points run from ${pointLabel(o.source[0])} to ${pointLabel(o.source[n - 1])}.` : undefined,
          data: { from, to },
        });
      }
      return { lo, hi };
    }

    case 'newer-than-lock': {
      if (lock < 0) {
        throw badSelection(
          `"Everything newer than the lock" needs a lock, and ${o.system} has no point that is both on ${words.source} and ${words.receiver}.`,
          o.system,
          'no-lock',
          { hint: 'Choose the most recent point, one point or a date range instead; the first point is then sent in full.' },
        );
      }
      if (lock === n - 1) {
        throw badSelection(`Nothing of ${o.system} is newer than the lock ${pointLabel(o.source[lock])}: ${words.receiver} is up to date.`, o.system, 'nothing-to-send', {
          data: { lock: o.source[lock].name },
        });
      }
      return { lo: lock + 1, hi: n - 1 };
    }

    default:
      throw badSelection(`Unknown snapshot selection "${String((selection as { kind?: unknown }).kind)}" for ${o.system}.`, o.system, 'unknown-kind', {
        hint: 'Use latest, one, range or newer-than-lock.',
      });
  }
}
