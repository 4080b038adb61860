// The ticket's intake and its R17 checklist: each step with who did it and when, the next ones
// to record, and the request form with the engine's per-field errors. A disaster-recovery ticket
// says that its fees are waived.
import { useState } from 'react';
import { STEP_LABEL, STEPS, type Step } from '../../../../electron/tickets/model/lifecycle.ts';
import type { TicketInputRaw } from '../../../../electron/tickets/model/ticket-schema.ts';
import { engine } from '../../../app/engine.ts';
import { when } from '../../../app/format.ts';
import { routeHref } from '../../../app/router.ts';
import { actor } from '../../../app/session.ts';
import { useAction } from '../../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../../components/Notice.tsx';
import { TicketForm } from '../form/TicketForm.tsx';
import { fromRequest } from '../form/ticket-form-model.ts';
import { StepHeading, type StepProps } from '../step-frame.tsx';

/** Steps recorded on another screen of the journey, where their data is. */
const RECORDED_ON: Partial<Record<Step, { step: string; name: string }>> = {
  'estimate-confirmed': { step: 'plan', name: 'Plan' },
  synced: { step: 'run', name: 'Run' },
  verified: { step: 'run', name: 'Run' },
  packed: { step: 'ship', name: 'Pack and ship' },
  shipped: { step: 'ship', name: 'Pack and ship' },
};

export function ChecklistStep({ ticket, reload }: StepProps) {
  const [note, setNote] = useState('');
  const advance = useAction(async (step: Step) => {
    await engine.call('tickets.advance', { ticketId: ticket.id, step, actor: actor(), ...(note.trim() ? { note: note.trim() } : {}) });
    setNote('');
    reload();
  });
  const steps = STEPS.filter((s) => !(s === 'kept' && ticket.request.direction === 'forward'));
  return (
    <>
      <StepHeading ticket={ticket} step="checklist">
        Checklist
      </StepHeading>
      {ticket.request.disasterRecovery ? (
        <Notice kind="info" title="Disaster-recovery ticket: all fees are waived (R6)">
          The plan and the bill show $0 for the sync; the replacement fee is waived too.
        </Notice>
      ) : null}
      <div className="card">
        <h3>R17 checklist</h3>
        <ErrorNotice error={advance.error} title="The step was not recorded" />
        <table className="data" aria-label="Checklist">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Done by</th>
              <th scope="col">When</th>
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => {
              const rec = ticket.steps.find((r) => r.step === s);
              const next = ticket.nextSteps.includes(s);
              const elsewhere = RECORDED_ON[s];
              return (
                <tr key={s}>
                  <td>
                    <span aria-hidden="true">{rec ? '✓ ' : next ? '→ ' : '· '}</span>
                    {STEP_LABEL[s]}
                    {rec?.trackingNumber ? <div className="muted mono">tracking {String(rec.trackingNumber)}</div> : null}
                    {rec?.note ? <div className="muted user-text clip">{String(rec.note)}</div> : null}
                  </td>
                  <td className="user-text">{rec ? rec.by : next ? 'next' : '—'}</td>
                  <td>{rec ? when(rec.at) : '—'}</td>
                  <td>
                    {!rec && next && !elsewhere ? (
                      <button type="button" onClick={() => void advance.run(s)} disabled={advance.busy}>
                        Mark “{STEP_LABEL[s]}”
                      </button>
                    ) : null}
                    {!rec && next && elsewhere ? <a href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: elsewhere.step })}>on the {elsewhere.name} step</a> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="field" style={{ marginTop: '0.75rem', maxWidth: 560 }}>
          <label htmlFor="step-note">Note for the next step recorded here (optional)</label>
          <input id="step-note" type="text" value={note} maxLength={4000} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      <div className="card">
        <h3>Request</h3>
        <TicketForm
          key={ticket.id}
          initial={fromRequest(ticket.request as TicketInputRaw)}
          lockTicketNumber
          submitLabel="Save the request"
          onSubmit={async (request) => {
            await engine.call('tickets.update', { ticketId: ticket.id, request, actor: actor() });
            reload();
          }}
        />
      </div>
    </>
  );
}
