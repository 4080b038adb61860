// The ticket's journey as the stepper shows it, and which R17 checklist record marks each step
// done (so it can say who did it and when). Drives, points and confirm are done when the sync
// ran; the run is done when the unit is verified; pack and ship when it shipped.
import type { Step } from '../../../electron/tickets/model/lifecycle.ts';
import type { Ticket } from '../../../electron/tickets/model/ticket-view.ts';

export const JOURNEY = [
  { id: 'checklist', name: 'Checklist', doneBy: 'details-verified' },
  { id: 'plan', name: 'Plan', doneBy: 'estimate-confirmed' },
  { id: 'drives', name: 'Drives', doneBy: 'synced' },
  { id: 'points', name: 'Points', doneBy: 'synced' },
  { id: 'confirm', name: 'Confirm', doneBy: 'synced' },
  { id: 'run', name: 'Run', doneBy: 'verified' },
  { id: 'ship', name: 'Pack and ship', doneBy: 'shipped' },
] as const satisfies ReadonlyArray<{ id: string; name: string; doneBy: Step }>;

export type JourneyStep = (typeof JOURNEY)[number]['id'];

export function isJourneyStep(s: string | null): s is JourneyStep {
  return JOURNEY.some((j) => j.id === s);
}

export function doneRecord(t: Ticket, step: JourneyStep): { by: string; at: string } | null {
  const j = JOURNEY.find((x) => x.id === step)!;
  const r = t.steps.find((s) => s.step === j.doneBy);
  return r ? { by: r.by, at: r.at } : null;
}

/** Where a ticket opens: the first step not done yet. */
export function firstOpenStep(t: Ticket): JourneyStep {
  return JOURNEY.find((j) => !doneRecord(t, j.id))?.id ?? 'ship';
}
