// Where the technician is, kept in the address's hash (#/ticket/1000001/plan) so a reload, the
// back button and a bookmark land on the same screen. The session token stays in the query.
import { create } from 'zustand';

export type Route =
  | { screen: 'tickets' }
  | { screen: 'new-ticket' }
  | { screen: 'ticket'; ticketId: string; step: string | null }
  /** Attached units (drives with a manifest, NAS units) and what can be done with them. */
  | { screen: 'units' }
  /** Merge-back (R18) of the unit on `device`. */
  | { screen: 'merge'; device: string }
  /** Merge-back of the NAS unit `dataset` on the NAS the Units screen looks at. */
  | { screen: 'merge-nas'; dataset: string }
  /** Verification of a kept unit (R19) on `device`. */
  | { screen: 'verify-kept'; device: string }
  /** The disk images of the sealed image unit on `device`, unsealed into a folder. */
  | { screen: 'unseal'; device: string }
  /** The return clock (R7) over every ticket with a unit out. */
  | { screen: 'returns' }
  | { screen: 'settings' };

/** Top-level screens without parameters, by their first path part. */
const PLAIN: Record<string, Route> = {
  new: { screen: 'new-ticket' },
  units: { screen: 'units' },
  returns: { screen: 'returns' },
  settings: { screen: 'settings' },
  'verify-kept': { screen: 'verify-kept', device: '' },
};

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'ticket' && parts[1]) return { screen: 'ticket', ticketId: parts[1], step: parts[2] ?? null };
  // A device path keeps its slashes, the leading one included: #/merge/dev/sdb is /dev/sdb.
  if (parts[0] === 'merge' && parts[1]) return { screen: 'merge', device: `/${parts.slice(1).join('/')}` };
  // A dataset keeps its slashes too: #/merge-nas/tank/rt_1000001.
  if (parts[0] === 'merge-nas' && parts[1]) return { screen: 'merge-nas', dataset: parts.slice(1).join('/') };
  if (parts[0] === 'verify-kept' && parts[1]) return { screen: 'verify-kept', device: `/${parts.slice(1).join('/')}` };
  if (parts[0] === 'unseal' && parts[1]) return { screen: 'unseal', device: `/${parts.slice(1).join('/')}` };
  return (parts.length === 1 && PLAIN[parts[0]]) || { screen: 'tickets' };
}

export function routeHref(r: Route): string {
  switch (r.screen) {
    case 'new-ticket':
      return '#/new';
    case 'ticket':
      return `#/ticket/${encodeURIComponent(r.ticketId)}${r.step ? `/${encodeURIComponent(r.step)}` : ''}`;
    case 'merge':
    case 'verify-kept':
    case 'unseal':
      // A device path keeps its slashes: #/merge/dev/sdb.
      return `#/${r.screen}${r.device.split('/').map(encodeURIComponent).join('/')}`;
    case 'merge-nas':
      return `#/merge-nas/${r.dataset.split('/').map(encodeURIComponent).join('/')}`;
    case 'units':
    case 'returns':
    case 'settings':
      return `#/${r.screen}`;
    default:
      return '#/';
  }
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
