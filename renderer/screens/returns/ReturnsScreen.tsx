// The return clock (R7) over every unit the data center lent: tickets by return state (out, due,
// late, overdue, kept, returned) with the days left or over and the fee that applies; one ticket's
// dates, fee, notifications and its "returned" or "kept" step in the panel below.
import { useState } from 'react';
import { RETURN_STATE_LABEL, type ReturnState } from '../../../electron/tickets/model/return-clock.ts';
import type { Ticket } from '../../../electron/tickets/model/ticket-view.ts';
import { engine } from '../../app/engine.ts';
import { routeHref } from '../../app/router.ts';
import { useAction, useCall, useEvent } from '../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { ReturnClockBadge } from '../tickets/ReturnClockBadge.tsx';
import { partnerWords } from '../tickets/ticket-words.ts';
import { ReturnDetail } from './ReturnDetail.tsx';
import { feeWords, returnDays } from './return-days.ts';

const GROUPS: Array<{ state: ReturnState; title: string }> = [
  { state: 'overdue', title: 'Overdue (over 56 days)' },
  { state: 'late', title: 'Late (over 28 days)' },
  { state: 'due', title: 'Past the 14-day return date' },
  { state: 'out', title: 'Out, on time' },
  { state: 'not-delivered', title: 'Shipped or being prepared, not delivered yet' },
  { state: 'kept', title: 'Kept by the partner' },
  { state: 'returned', title: 'Returned' },
];

function stateLabel(s: string): string {
  return RETURN_STATE_LABEL[s as ReturnState] ?? s;
}

function CheckReturns({ onDone }: { onDone(): void }) {
  const check = useAction(async () => {
    const r = await engine.call('tickets.checkReturns', {});
    onDone();
    return r;
  });
  const [said, setSaid] = useState<string | null>(null);
  return (
    <div className="stack" style={{ marginBottom: '0.75rem' }}>
      <div className="row">
        <button
        type="button"
        disabled={check.busy}
        onClick={() =>
          void check.run().then((r) => {
            if (!r) return;
            setSaid(r.changes.length ? r.changes.map((c) => `T${c.ticketId}: ${stateLabel(c.from)} → ${stateLabel(c.to)}`).join('; ') : 'No return state changed.');
          })
        }
      >
        Check the return clocks now
        </button>
        <span className="muted">Records each unit's state and queues the partner's late and overdue notices.</span>
      </div>
      <ErrorNotice error={check.error} title="The return clocks could not be checked" />
      {said ? (
        <Notice kind="info" title="Return clocks checked">
          {said}
        </Notice>
      ) : null}
    </div>
  );
}

export function ReturnsScreen() {
  const tickets = useCall('tickets.list', {});
  useEvent('ticket.changed', () => tickets.reload());
  const [chosen, setChosen] = useState<string | null>(null);
  const all = ((tickets.data ?? []) as unknown as Ticket[]).filter((t) => t.returnClock.state !== 'not-applicable');
  const now = new Date();
  return (
    <>
      <div className="page-head">
        <h1>Return clock</h1>
      </div>
      <p className="muted">
        A unit lent for a Reverse RoundTrip is due back 14 days after delivery, late after 28 days (the partner is told), overdue after 56 days (the replacement fee is due). A partner may keep the
        unit for the replacement fee.
      </p>
      <CheckReturns onDone={tickets.reload} />
      <ErrorNotice error={tickets.error} title="The tickets could not be listed" />
      {tickets.loading && !tickets.data ? <p className="muted">Asking the engine for the tickets…</p> : null}
      {tickets.data && all.length === 0 ? (
        <Notice kind="info" title="No unit is lent out">
          Only a Reverse RoundTrip on a unit the data center supplies has a return clock.
        </Notice>
      ) : null}
      {GROUPS.map((g) => {
        const rows = all.filter((t) => t.returnClock.state === g.state);
        if (!rows.length) return null;
        return (
          <section key={g.state} aria-labelledby={`returns-${g.state}`} className="card" style={{ padding: 0 }}>
            <h2 id={`returns-${g.state}`} style={{ padding: '0.75rem 1rem 0', margin: 0 }}>
              {g.title} ({rows.length})
            </h2>
            <table className="data" aria-labelledby={`returns-${g.state}`}>
              <thead>
                <tr>
                  <th scope="col">Ticket</th>
                  <th scope="col">Partner</th>
                  <th scope="col">State</th>
                  <th scope="col">Days</th>
                  <th scope="col">Fee</th>
                  <th scope="col">
                    <span className="sr-only">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <a href={routeHref({ screen: 'ticket', ticketId: t.id, step: null })}>
                        <strong className="mono">{t.request.ticketNumber}</strong>
                      </a>
                    </td>
                    <td className="user-text">{partnerWords(t.request)}</td>
                    <td>
                      <ReturnClockBadge clock={t.returnClock} />
                    </td>
                    <td>{returnDays(t.returnClock, now)}</td>
                    <td>{feeWords(t.fees, t.returnClock)}</td>
                    <td>
                      <button type="button" onClick={() => setChosen(t.id)} aria-pressed={chosen === t.id}>
                        Details of T{t.request.ticketNumber}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {chosen ? <ReturnDetail key={chosen} ticketId={chosen} onChanged={tickets.reload} /> : null}
    </>
  );
}
