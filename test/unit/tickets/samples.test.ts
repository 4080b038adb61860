import { describe, it, expect } from 'vitest';
import { planTicketOf } from '../../../electron/tickets/model/plan-ticket.ts';
import { validateTicketInput } from '../../../electron/tickets/model/validate.ts';
import { sampleTickets } from '../../../electron/tickets/samples.ts';

const lab = {
  applianceSerial: 'LAB0123456',
  systems: [
    { name: 'win-agent', kind: 'windows' as const },
    { name: 'lin-agent', kind: 'linux' as const },
    { name: 'enc-agent', kind: 'encrypted' as const },
    { name: 'files', kind: 'share' as const },
  ],
};

describe('sample tickets', () => {
  it('are valid and cover the four jobs the issue names', () => {
    const ts = sampleTickets(lab).map(validateTicketInput);
    expect(ts).toHaveLength(4);
    const [fwd, ntfs, vhd, partner] = ts;
    expect(fwd).toMatchObject({ direction: 'forward', format: { filesystem: 'zfs', layout: 'datasets' }, applianceSerial: 'LAB0123456' });
    expect(fwd.systems.map((s) => s.name)).toEqual(['win-agent', 'lin-agent', 'enc-agent', 'files']);
    expect(ntfs).toMatchObject({ direction: 'reverse', format: { filesystem: 'ntfs', layout: 'browsable' } });
    expect(ntfs.systems.map((s) => s.name)).toEqual(['win-agent']);
    expect(vhd).toMatchObject({ direction: 'reverse', format: { filesystem: 'ext4', layout: 'image', imageFormat: 'vhd' } });
    expect(partner).toMatchObject({ direction: 'reverse', unit: { providedBy: 'partner' } });
    expect(new Set(ts.map((t) => t.ticketNumber)).size).toBe(4);
  });

  it('fall back to every system when the lab lacks a kind', () => {
    const ts = sampleTickets({ applianceSerial: 'LAB0123456', systems: [{ name: 'only', kind: 'share' }] }).map(validateTicketInput);
    expect(ts.every((t) => t.systems.map((s) => s.name).join() === 'only')).toBe(true);
    expect(sampleTickets({ applianceSerial: 'X1234', systems: [] })).toEqual([]);
  });

  it('map onto the planner input', () => {
    const [fwd, , vhd] = sampleTickets(lab).map(validateTicketInput);
    expect(planTicketOf(fwd)).toEqual({
      direction: 'forward',
      readFrom: 'appliance',
      format: 'zfs',
      disasterRecovery: false,
      selections: { 'win-agent': { kind: 'newer-than-lock' }, 'lin-agent': { kind: 'newer-than-lock' }, 'enc-agent': { kind: 'newer-than-lock' }, files: { kind: 'newer-than-lock' } },
    });
    expect(planTicketOf(vhd)).toMatchObject({ readFrom: 'offsite', format: 'image', imageFormat: 'vhd', imageFs: 'ext4', selections: { 'lin-agent': { kind: 'latest' } } });
  });
});
