// The one snapshot selection schema, as the ticket form and the planner both use it: every kind
// the planner takes, with a technician's sentence for what it refuses.
import { describe, expect, it } from 'vitest';
import { SelectionSchema } from '../../../electron/chain/selection-schema.ts';
import { validateTicketInput } from '../../../electron/tickets/model/validate.ts';

describe('the snapshot selection', () => {
  it('takes latest, one point, a range of names, epochs or dates, and newer-than-lock', () => {
    for (const s of [{ kind: 'latest' }, { kind: 'newer-than-lock' }, { kind: 'one', point: '1700000000' }, { kind: 'range', from: '2024-01-01', to: 1700000000 }]) {
      expect(SelectionSchema.parse(s)).toEqual(s);
    }
  });

  it('refuses an unknown kind and a missing point with sentences, and keys it does not know', () => {
    const kind = SelectionSchema.safeParse({ kind: 'everything' });
    expect(kind.success).toBe(false);
    expect(kind.error?.issues[0].message).toBe('The point selection must have kind latest, one, range or newer-than-lock.');
    expect(SelectionSchema.safeParse({ kind: 'one' }).error?.issues[0].message).toBe('The point is required.');
    expect(SelectionSchema.safeParse({ kind: 'latest', extra: 1 }).success).toBe(false);
  });

  it("is what a ticket form checks each system's points with", () => {
    expect(() =>
      validateTicketInput({
        ticketNumber: '1234567',
        direction: 'forward',
        format: { filesystem: 'zfs', layout: 'datasets' },
        systems: [{ name: 'WIN-FS01', points: { kind: 'everything' } }],
        source: { location: 'appliance' },
        shipping: { region: 'usa' },
        unit: { providedBy: 'datacenter', kind: 'usb-drive' },
        contact: { name: 'Tech', email: 'tech@example.com' },
        partner: { name: 'Partner' },
        applianceSerial: 'APPL-0001',
        notifyEmails: '',
      }),
    ).toThrow(/The point selection must have kind latest, one, range or newer-than-lock\./);
  });
});
