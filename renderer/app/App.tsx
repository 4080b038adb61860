// The window: a top bar (the bench, the engine's connection, who is at the bench) and the screen
// the address names.
import { useEngineStatus } from './use-engine.ts';
import { useRouter, routeHref } from './router.ts';
import { useSession } from './session.ts';
import { Badge } from '../components/Badge.tsx';
import { TicketList } from '../screens/tickets/TicketList.tsx';
import { NewTicket } from '../screens/tickets/NewTicket.tsx';
import { TicketPage } from '../screens/ticket/TicketPage.tsx';

function ConnectionBadge() {
  const status = useEngineStatus();
  if (status === 'open') return <Badge tone="ok" icon="●">engine connected</Badge>;
  if (status === 'connecting') return <Badge tone="info" icon="◌">connecting to the engine…</Badge>;
  return (
    <Badge tone="danger" icon="✖">
      {status === 'reconnecting' ? 'engine unreachable: trying again' : 'engine closed'}
    </Badge>
  );
}

function Technician() {
  const name = useSession((s) => s.technician);
  const set = useSession((s) => s.setTechnician);
  return (
    <label>
      Technician
      <input type="text" value={name} placeholder="your name" maxLength={80} onChange={(e) => set(e.target.value)} />
    </label>
  );
}

export function App() {
  const route = useRouter((s) => s.route);
  return (
    <>
      <header className="topbar">
        <a className="brand" href={routeHref({ screen: 'tickets' })}>
          RoundTrip Bench
        </a>
        <ConnectionBadge />
        <div className="spacer" />
        <Technician />
      </header>
      <main>
        {route.screen === 'tickets' ? <TicketList /> : null}
        {route.screen === 'new-ticket' ? <NewTicket /> : null}
        {route.screen === 'ticket' ? <TicketPage key={route.ticketId} ticketId={route.ticketId} step={route.step} /> : null}
      </main>
    </>
  );
}
