// Where the technician is, kept in the address's hash (#/ticket/1000001/plan) so a reload, the
// back button and a bookmark land on the same screen. The session token stays in the query.
import { create } from 'zustand';

export type Route =
  | { screen: 'tickets' }
  | { screen: 'new-ticket' }
  | { screen: 'ticket'; ticketId: string; step: string | null };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'new') return { screen: 'new-ticket' };
  if (parts[0] === 'ticket' && parts[1]) return { screen: 'ticket', ticketId: parts[1], step: parts[2] ?? null };
  return { screen: 'tickets' };
}

export function routeHref(r: Route): string {
  if (r.screen === 'new-ticket') return '#/new';
  if (r.screen === 'ticket') return `#/ticket/${encodeURIComponent(r.ticketId)}${r.step ? `/${encodeURIComponent(r.step)}` : ''}`;
  return '#/';
}

interface RouterState {
  route: Route;
  go(r: Route): void;
}

export const useRouter = create<RouterState>((set) => ({
  route: parseRoute(window.location.hash),
  go(r) {
    const href = routeHref(r);
    if (window.location.hash !== href) window.location.hash = href;
    set({ route: r });
  },
}));

window.addEventListener('hashchange', () => useRouter.setState({ route: parseRoute(window.location.hash) }));
