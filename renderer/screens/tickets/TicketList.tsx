// The screen the app opens on: every ticket with its direction, format, state and return clock;
// a filter by state and a search over ticket number, partner and appliance serial.
import { useMemo, useState } from 'react';
import type { Ticket } from '../../../electron/tickets/model/ticket-view.ts';
import { routeHref } from '../../app/router.ts';
import { useCall, useEvent } from '../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { ReturnClockBadge } from './ReturnClockBadge.tsx';
import { directionWords, formatWords, partnerWords, stateWords } from './ticket-words.ts';
import { ImportTicket } from './ImportTicket.tsx';

type Filter = 'open' | 'all' | 'closed' | 'out' | 'late';

const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: 'open', label: 'Open tickets' },
  { value: 'all', label: 'All tickets' },
  { value: 'closed', label: 'Closed (returned or kept)' },
  { value: 'out', label: 'Units out with partners' },
  { value: 'late', label: 'Late or overdue' },
];

function matchesFilter(t: Ticket, f: Filter): boolean {
  switch (f) {
    case 'open':
      return !t.closed;
    case 'closed':
      return t.closed;
    case 'out':
      return ['out', 'due', 'late', 'overdue'].includes(t.returnClock.state);
    case 'late':
      return ['late', 'overdue'].includes(t.returnClock.state);
    default:
      return true;
  }
}

function matchesSearch(t: Ticket, q: string): boolean {
  if (!q) return true;
  const r = t.request;
  const hay = [t.id, r.ticketNumber, r.partner.name ?? '', r.partner.resellerId ?? '', r.applianceSerial].join(' ').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w.replace(/^t(?=\d)/, '')));
}

export function TicketList() {
  const tickets = useCall('tickets.list', {});
  useEvent('ticket.changed', () => tickets.reload());
  const [filter, setFilter] = useState<Filter>('open');
  const [q, setQ] = useState('');
  const all = (tickets.data ?? []) as unknown as Ticket[];
  const shown = useMemo(() => all.filter((t) => matchesFilter(t, filter) && matchesSearch(t, q.trim())), [all, filter, q]);

  return (
    <>
      <div className="page-head">
        <h1>Tickets</h1>
        <div className="spacer" />
        <a className="button primary" href={routeHref({ screen: 'new-ticket' })}>
          + New ticket
        </a>
        <ImportTicket />
      </div>
      <div className="card">
        <div className="row" role="search">
          <div className="field">
            <label htmlFor="ticket-filter">Show</label>
            <select id="ticket-filter" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
              {FILTERS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field" style={{ flex: 1, minWidth: 260 }}>
            <label htmlFor="ticket-search">Search</label>
            <input id="ticket-search" type="search" placeholder="Ticket number, partner, reseller ID or appliance serial" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
        </div>
      </div>
      <ErrorNotice error={tickets.error} title="The tickets could not be listed" />
      {tickets.loading && !tickets.data ? <p className="muted">Asking the engine for the tickets…</p> : null}
      {tickets.data && shown.length === 0 ? (
        <Notice kind="info" title={all.length ? 'No ticket matches' : 'No tickets yet'}>
          {all.length ? 'Change the filter or the search.' : 'Create a ticket or import one from its JSON file.'}
        </Notice>
      ) : null}
      {shown.length ? (
        <div className="card" style={{ padding: 0 }}>
          <table className="data" aria-label="Tickets">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Direction</th>
                <th scope="col">Format</th>
                <th scope="col">Partner</th>
                <th scope="col">Appliance</th>
                <th scope="col">State</th>
                <th scope="col">Return clock</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a href={routeHref({ screen: 'ticket', ticketId: t.id, step: null })}>
                      <strong className="mono">{t.request.ticketNumber}</strong>
                    </a>
                  </td>
                  <td>{directionWords(t)}</td>
                  <td>{formatWords(t.request.format)}</td>
                  <td className="user-text">{partnerWords(t.request)}</td>
                  <td className="mono user-text">{t.request.applianceSerial}</td>
                  <td>{stateWords(t)}</td>
                  <td>
                    <ReturnClockBadge clock={t.returnClock} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
