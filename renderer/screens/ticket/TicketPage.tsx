// One ticket: its header, and the stepper of its journey (checklist → plan → drives → points →
// confirm → run → pack and ship). Every step is a link, so each is reachable by keyboard and by
// address; a done step says who did it and when.
import { useEffect } from 'react';
import type { Ticket } from '../../../electron/tickets/model/ticket-view.ts';
import { when } from '../../app/format.ts';
import { routeHref, useRouter } from '../../app/router.ts';
import { useCall, useEvent } from '../../app/use-engine.ts';
import { ErrorNotice } from '../../components/Notice.tsx';
import { ReturnClockBadge } from '../tickets/ReturnClockBadge.tsx';
import { directionWords, formatWords, partnerWords, stateWords } from '../tickets/ticket-words.ts';
import { doneRecord, firstOpenStep, isJourneyStep, JOURNEY, type JourneyStep } from './journey.ts';
import { ChecklistStep } from './steps/ChecklistStep.tsx';
import { PlanStep } from './steps/PlanStep.tsx';
import { DrivesStep } from './steps/DrivesStep.tsx';
import { PointsStep } from './steps/PointsStep.tsx';
import { ConfirmStep } from './steps/ConfirmStep.tsx';
import { RunStep } from './steps/RunStep.tsx';
import { ShipStep } from './steps/ShipStep.tsx';
import type { StepProps } from './step-frame.tsx';
import { TicketTimeline } from './TicketTimeline.tsx';

const SCREENS: Record<JourneyStep, (p: StepProps) => React.ReactNode> = {
  checklist: ChecklistStep,
  plan: PlanStep,
  drives: DrivesStep,
  points: PointsStep,
  confirm: ConfirmStep,
  run: RunStep,
  ship: ShipStep,
};

export function TicketPage({ ticketId, step }: { ticketId: string; step: string | null }) {
  const t = useCall('tickets.get', { ticketId }, [ticketId]);
  useEvent('ticket.changed', (d) => d.ticketId === ticketId && t.reload());
  const go = useRouter((s) => s.go);
  const ticket = t.data as unknown as Ticket | null;
  const timeline = step === 'timeline';
  const current: JourneyStep | null = isJourneyStep(step) ? step : ticket ? firstOpenStep(ticket) : null;
  useEffect(() => {
    if (ticket && !timeline && !isJourneyStep(step) && current) go({ screen: 'ticket', ticketId, step: current });
  }, [ticket, step, current, ticketId, go, timeline]);
  useEffect(() => {
    // The step's heading takes the focus when the step changes, for keyboard and screen-reader users.
    document.getElementById('step-heading')?.focus();
  }, [current, timeline]);

  if (t.error && !ticket) {
    return (
      <>
        <a href={routeHref({ screen: 'tickets' })}>← Tickets</a>
        <ErrorNotice error={t.error} title={`Ticket ${ticketId} could not be opened`} />
      </>
    );
  }
  if (!ticket || !current) return <p className="muted">Asking the engine for ticket {ticketId}…</p>;
  const Screen = SCREENS[current];
  return (
    <>
      <div className="page-head">
        <div style={{ minWidth: 0 }}>
          <a href={routeHref({ screen: 'tickets' })}>← Tickets</a>
          <h1>
            Ticket <span className="mono">{ticket.request.ticketNumber}</span>
          </h1>
          <div className="row muted">
            <span>{directionWords(ticket)}</span>
            <span aria-hidden="true">·</span>
            <span>{formatWords(ticket.request.format)}</span>
            <span aria-hidden="true">·</span>
            <span className="user-text">{partnerWords(ticket.request)}</span>
            <span aria-hidden="true">·</span>
            <span>
              Appliance <span className="mono user-text">{ticket.request.applianceSerial}</span>
            </span>
          </div>
        </div>
        <div className="spacer" />
        <div className="stack" style={{ textAlign: 'right' }}>
          <div>
            State: <strong>{stateWords(ticket)}</strong>
          </div>
          <ReturnClockBadge clock={ticket.returnClock} />
        </div>
      </div>
      <div className="journey">
        <nav aria-label="Ticket steps">
          <ol className="stepper">
            {JOURNEY.map((j, i) => {
              const done = doneRecord(ticket, j.id);
              return (
                <li key={j.id} className={done ? 'done' : undefined}>
                  <a href={routeHref({ screen: 'ticket', ticketId, step: j.id })} aria-current={!timeline && j.id === current ? 'step' : undefined}>
                    <span className="mark" aria-hidden="true">
                      {done ? '✓' : i + 1}
                    </span>
                    <span className="name">
                      {j.name}
                      <span className="sr-only">{done ? ', done' : ', not done yet'}</span>
                    </span>
                    <span className="who">{done ? `${done.by}, ${when(done.at)}` : 'not done yet'}</span>
                  </a>
                </li>
              );
            })}
          </ol>
          <a className="timeline-link" href={routeHref({ screen: 'ticket', ticketId, step: 'timeline' })} aria-current={timeline ? 'page' : undefined}>
            Timeline and audit trail
          </a>
        </nav>
        <section aria-labelledby="step-heading">
          {timeline ? <TicketTimeline ticket={ticket} reload={t.reload} /> : <Screen ticket={ticket} reload={t.reload} />}
        </section>
      </div>
    </>
  );
}
