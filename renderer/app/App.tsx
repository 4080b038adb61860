// The window: a top bar (the bench, the engine's connection, who is at the bench) and the screen
// the address names.
import { useEngineStatus } from './use-engine.ts';
import { useRouter, routeHref } from './router.ts';
import { useSession } from './session.ts';
import { Badge } from '../components/Badge.tsx';
import { EngineBanner } from './EngineBanner.tsx';
import { TicketList } from '../screens/tickets/TicketList.tsx';
import { NewTicket } from '../screens/tickets/NewTicket.tsx';
import { TicketPage } from '../screens/ticket/TicketPage.tsx';
import { UnitsScreen } from '../screens/units/UnitsScreen.tsx';
import { MergeScreen } from '../screens/merge/MergeScreen.tsx';
import { VerifyKeptScreen } from '../screens/verify-kept/VerifyKeptScreen.tsx';
import { UnsealScreen } from '../screens/unseal/UnsealScreen.tsx';
import { ReturnsScreen } from '../screens/returns/ReturnsScreen.tsx';
import { SettingsScreen } from '../screens/settings/SettingsScreen.tsx';
import type { Route } from './router.ts';
import { TECHNICIANS_LIST_ID, TechnicianOptions } from '../screens/settings/TechnicianOptions.tsx';

/** The top bar's sections, and which routes belong to each (for aria-current). */
const SECTIONS: Array<{ name: string; route: Route; owns: Array<Route['screen']> }> = [
  { name: 'Tickets', route: { screen: 'tickets' }, owns: ['tickets', 'new-ticket', 'ticket'] },
  { name: 'Units', route: { screen: 'units' }, owns: ['units', 'merge', 'merge-nas', 'verify-kept', 'unseal'] },
  { name: 'Return clock', route: { screen: 'returns' }, owns: ['returns'] },
  { name: 'Settings', route: { screen: 'settings' }, owns: ['settings'] },
];

function Sections({ route }: { route: Route }) {
  return (
    <nav aria-label="Sections" className="sections">
      {SECTIONS.map((s) => (
        <a key={s.name} href={routeHref(s.route)} aria-current={s.owns.includes(route.screen) ? 'page' : undefined}>
          {s.name}
        </a>
      ))}
    </nav>
  );
}

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
      <input type="text" value={name} placeholder="your name" maxLength={80} list={TECHNICIANS_LIST_ID} onChange={(e) => set(e.target.value)} />
      <TechnicianOptions />
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
        <Sections route={route} />
        <div className="spacer" />
        <ConnectionBadge />
        <Technician />
      </header>
      <EngineBanner />
      <main>
        {route.screen === 'tickets' ? <TicketList /> : null}
        {route.screen === 'new-ticket' ? <NewTicket /> : null}
        {route.screen === 'ticket' ? <TicketPage key={route.ticketId} ticketId={route.ticketId} step={route.step} /> : null}
        {route.screen === 'units' ? <UnitsScreen /> : null}
        {route.screen === 'merge' ? <MergeScreen key={route.device} unit={{ device: route.device }} /> : null}
        {route.screen === 'merge-nas' ? <MergeScreen key={`nas:${route.dataset}`} unit={{ nasDataset: route.dataset }} /> : null}
        {route.screen === 'verify-kept' ? <VerifyKeptScreen key={route.device} device={route.device} /> : null}
        {route.screen === 'unseal' ? <UnsealScreen key={route.device} device={route.device} /> : null}
        {route.screen === 'returns' ? <ReturnsScreen /> : null}
        {route.screen === 'settings' ? <SettingsScreen /> : null}
      </main>
    </>
  );
}
