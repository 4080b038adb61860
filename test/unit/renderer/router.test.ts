// @vitest-environment happy-dom
// The screens' addresses: each route survives a round trip through its hash (a reload, a bookmark),
// device paths and NAS datasets keep their slashes, and an unknown address lands on the tickets.
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../renderer/app/router.ts';

describe('routes', () => {
  const routes: Route[] = [
    { screen: 'tickets' },
    { screen: 'new-ticket' },
    { screen: 'ticket', ticketId: '1000001', step: 'plan' },
    { screen: 'ticket', ticketId: '1000001', step: null },
    { screen: 'units' },
    { screen: 'merge', device: '/dev/sdb' },
    { screen: 'merge-nas', dataset: 'tank/units/rt_1000001' },
    { screen: 'verify-kept', device: '/dev/loop3' },
    { screen: 'unseal', device: '/dev/loop4' },
    { screen: 'returns' },
    { screen: 'settings' },
  ];

  it.each(routes.map((r) => [routeHref(r), r] as const))('%s comes back as the same screen', (href, r) => {
    expect(parseRoute(href)).toEqual(r);
  });

  it('keeps a NAS dataset and a device path whole', () => {
    expect(routeHref({ screen: 'merge-nas', dataset: 'tank/rt_1840001' })).toBe('#/merge-nas/tank/rt_1840001');
    expect(routeHref({ screen: 'merge', device: '/dev/sdb' })).toBe('#/merge/dev/sdb');
    expect(routeHref({ screen: 'unseal', device: '/dev/sdc' })).toBe('#/unseal/dev/sdc');
  });

  it('sends an unknown or incomplete address to the tickets', () => {
    expect(parseRoute('#/merge-nas')).toEqual({ screen: 'tickets' });
    expect(parseRoute('#/nowhere/at/all')).toEqual({ screen: 'tickets' });
  });
});
