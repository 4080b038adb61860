// One lent unit's return: its dates, the days left or over, the fee and why, the partner's
// notification history, and the step that ends the clock — "returned" with the return shipment's
// tracking number, or "kept" after a confirmation that names the replacement fee.
import { useEffect, useRef, useState } from 'react';
import type { Ticket } from '../../../electron/tickets/model/ticket-view.ts';
import { engine } from '../../app/engine.ts';
import { day, usd, when } from '../../app/format.ts';
import { actor } from '../../app/session.ts';
import { useAction, useCall, useEvent } from '../../app/use-engine.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Field } from '../../components/Field.tsx';
import { fieldIssues } from '../../components/FieldErrors.tsx';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { ReturnClockBadge } from '../tickets/ReturnClockBadge.tsx';
import { feeWords, returnDays } from './return-days.ts';

type Notification = { id: number; kind: string; status: string; recipients: string[]; subject?: string; createdAt?: string; sentAt?: string | null; lastError?: string | null };

const KIND_WORDS: Record<string, string> = {
  'return-late': 'late notice',
  'return-overdue': 'overdue notice (replacement fee)',
  'sync-ended': 'sync ended',
};

function Notifications({ list }: { list: Notification[] }) {
  if (!list.length) return <p className="muted">No notification was queued for this ticket.</p>;
  return (
    <table className="data" aria-label="Notifications to the partner">
      <thead>
        <tr>
          <th scope="col">Notice</th>
          <th scope="col">To</th>
          <th scope="col">Queued</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {list.map((n) => (
          <tr key={n.id}>
            <td>
              <strong>{KIND_WORDS[n.kind] ?? n.kind}</strong>
              {n.subject ? <div className="muted user-text">{n.subject}</div> : null}
            </td>
            <td className="user-text">{n.recipients.join(', ') || '—'}</td>
            <td>{when(n.createdAt)}</td>
            <td>
              {n.status}
              {n.sentAt ? `, ${when(n.sentAt)}` : ''}
              {n.lastError ? <div className="muted user-text">{n.lastError.split('\n')[0]}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReturnDetail({ ticketId, onChanged }: { ticketId: string; onChanged(): void }) {
  const got = useCall('tickets.get', { ticketId }, [ticketId]);
  useEvent('ticket.changed', (d) => d.ticketId === ticketId && got.reload());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [tracking, setTracking] = useState('');
  const [asking, setAsking] = useState(false);
  const advance = useAction(async (step: 'returned' | 'kept') => {
    const t = await engine.call('tickets.advance', { ticketId, step, actor: actor(), ...(step === 'returned' ? { trackingNumber: tracking.trim() } : {}) });
    got.reload();
    onChanged();
    return t;
  });
  const t = got.data as unknown as (Ticket & { notifications: Notification[] }) | null;
  const c = t?.returnClock;
  const r = t?.fees.replacement;
  const canReturn = t?.nextSteps.includes('returned');
  const canKeep = t?.nextSteps.includes('kept');
  const trackingErrors = fieldIssues(advance.error).filter((i) => i.field === 'trackingNumber');
  return (
    <section className="card" aria-labelledby="return-detail">
      <h2 id="return-detail" ref={heading} tabIndex={-1}>
        Ticket {t ? `T${t.request.ticketNumber}` : ticketId}
      </h2>
      <ErrorNotice error={got.error} title="The ticket could not be read" />
      {t && c && r ? (
        <>
          <div className="row">
            <ReturnClockBadge clock={c} />
            <span>{returnDays(c, new Date())}</span>
          </div>
          <dl className="figures">
            <div>
              <dt>Delivered</dt>
              <dd>{when(c.deliveredAt)}</dd>
            </div>
            <div>
              <dt>Return by</dt>
              <dd>{day(c.dueBy)}</dd>
            </div>
            <div>
              <dt>Late after</dt>
              <dd>{day(c.lateAfter)}</dd>
            </div>
            <div>
              <dt>Overdue after</dt>
              <dd>{day(c.overdueAfter)}</dd>
            </div>
            {c.closedAt ? (
              <div>
                <dt>{c.state === 'kept' ? 'Kept' : 'Returned'}</dt>
                <dd>{when(c.closedAt)}</dd>
              </div>
            ) : null}
          </dl>
          <h3>Fee</h3>
          <p>
            <strong>{feeWords(t.fees, c)}</strong>
          </p>
          <p className="muted user-text">{r.reason}</p>
          <h3>Notifications to the partner</h3>
          <Notifications list={t.notifications} />
          {canReturn || canKeep ? <h3>End the clock</h3> : null}
          <ErrorNotice error={trackingErrors.length ? null : advance.error} title="The step was not recorded" />
          {canReturn ? (
            <form
              className="row"
              style={{ alignItems: 'flex-end' }}
              onSubmit={(e) => {
                e.preventDefault();
                void advance.run('returned');
              }}
            >
              <Field name="return-tracking" label="Return tracking number" hint="The tracking number of the shipment that brought the unit back." errors={trackingErrors.map((i) => i.message)}>
                <input value={tracking} onChange={(e) => setTracking(e.target.value)} spellCheck={false} autoComplete="off" />
              </Field>
              <button type="submit" disabled={advance.busy}>
                Mark the unit returned
              </button>
            </form>
          ) : null}
          {canKeep ? (
            <div className="row" style={{ marginTop: '0.75rem' }}>
              <button type="button" disabled={advance.busy} onClick={() => setAsking(true)}>
                The partner keeps the unit…
              </button>
            </div>
          ) : null}
          {c.state === 'returned' || c.state === 'kept' ? (
            <Notice kind="ok" title={c.state === 'returned' ? 'The unit is back' : 'The partner keeps the unit'}>
              {t.steps.filter((s) => s.step === c.state).map((s) => `Recorded by ${s.by}, ${when(s.at)}${s.trackingNumber ? `, tracking ${s.trackingNumber}` : ''}.`)}
            </Notice>
          ) : null}
          <ConfirmDialog
            open={asking}
            title={`Record that the partner keeps the unit of T${t.request.ticketNumber}?`}
            confirmLabel={r.waived || t.request.disasterRecovery ? 'Record kept (fee waived)' : `Record kept for ${usd(r.listUsd)}`}
            cancelLabel="Not now"
            onClose={() => setAsking(false)}
            onConfirm={() => void advance.run('kept')}
          >
            <p>
              {t.request.disasterRecovery
                ? `The ${usd(r.listUsd)} replacement fee (${r.unitKind}) is waived for a disaster-recovery ticket.`
                : `The replacement fee of ${usd(r.listUsd)} (${r.unitKind}) becomes due and is fixed on the ticket.`}{' '}
              The ticket closes; the return clock stops.
            </p>
          </ConfirmDialog>
        </>
      ) : null}
    </section>
  );
}
