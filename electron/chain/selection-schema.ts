// The one schema of a snapshot selection (R16, plus RoundTrip's "everything newer than the lock"):
// the ticket form uses it for each system's points, and the planner for the JSON it is given, so a
// ticket's selection goes to the chain as it is. Each way it can be wrong has a technician's sentence.
import { z } from 'zod';
import type { Selection } from './types.ts';

type Issue = { input?: unknown };
const say = (label: string, rule: string) => (iss: Issue) => (iss.input === undefined || iss.input === null ? `${label} is required.` : `${label} ${rule}`);

/** A point: its snapshot name, its epoch seconds, or (in a range) an ISO date. */
function pointRef(label: string) {
  const rule = 'must be a snapshot name, epoch seconds or an ISO date.';
  return z.union([z.string().trim().min(1).max(64), z.number().finite()], { error: say(label, rule) });
}

export const SelectionSchema: z.ZodType<Selection> = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('latest') }),
    z.strictObject({ kind: z.literal('newer-than-lock') }),
    z.strictObject({ kind: z.literal('one'), point: pointRef('The point') }),
    z.strictObject({ kind: z.literal('range'), from: pointRef('The first point of the range'), to: pointRef('The last point of the range') }),
  ],
  { error: say('The point selection', 'must have kind latest, one, range or newer-than-lock.') },
);
