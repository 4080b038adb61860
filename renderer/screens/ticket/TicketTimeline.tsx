// A ticket's audit trail (being built).
import type { StepProps } from './step-frame.tsx';

export function TicketTimeline({ ticket }: StepProps) {
  return (
    <>
      <h2 id="step-heading" tabIndex={-1}>
        Timeline
      </h2>
      <p className="muted">The audit trail of ticket {ticket.id} appears here.</p>
    </>
  );
}
