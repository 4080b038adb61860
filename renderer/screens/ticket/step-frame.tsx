// What every journey step gets and starts with.
import type { Ticket } from '../../../electron/tickets/model/ticket-view.ts';
import { when } from '../../app/format.ts';
import { doneRecord, type JourneyStep } from './journey.ts';

export interface StepProps {
  ticket: Ticket;
  reload(): void;
}

/** The step's heading (focused on arrival), and who did the step and when once it is done. */
export function StepHeading({ children, ticket, step }: { children: string; ticket: Ticket; step: JourneyStep }) {
  const done = doneRecord(ticket, step);
  return (
    <div className="page-head" style={{ marginBottom: '0.5rem' }}>
      <h2 id="step-heading" tabIndex={-1} style={{ marginBottom: 0 }}>
        {children}
      </h2>
      <div className="spacer" />
      {done ? (
        <span className="badge ok">
          <span aria-hidden="true">✓</span> Done by {done.by}, {when(done.at)}
        </span>
      ) : null}
    </div>
  );
}
