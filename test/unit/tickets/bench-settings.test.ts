// The bench's own settings as the ticket model checks them (the same rules the settings screen
// shows next to each field): its name and technicians, the per-region return addresses, and the
// ticket view printing a configured address instead of the resource file's placeholder.
import { describe, expect, it } from 'vitest';
import { TicketSettingsPatchSchema } from '../../../electron/tickets/model/settings-schema.ts';
import { addressLines, DATA_CENTERS, dataCenterFor, withConfiguredAddresses } from '../../../electron/tickets/model/data-centers.ts';
import { ticketView } from '../../../electron/tickets/model/ticket-view.ts';
import { validateTicketInput } from '../../../electron/tickets/model/validate.ts';
import { DEFAULT_REPLACEMENT_FEES } from '../../../electron/tickets/model/ticket-fees.ts';
import { forwardRequest, reverseRequest } from './fixtures.ts';

/** "path: message" for every problem the model finds in a patch. */
const problems = (patch: unknown) => (TicketSettingsPatchSchema.safeParse(patch).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

const address = { attention: 'ATTN: Returns', organization: 'Acme Receiving', street: ['12 Dock Lane', 'Unit 4'], city: 'Allentown', state: 'PA', postalCode: '18101', country: 'United States' };

describe('bench identity', () => {
  it('takes a name and a list of technicians, trimmed', () => {
    const r = TicketSettingsPatchSchema.parse({ bench: { name: '  Bench 3 ', technicians: [' Ana ', 'Bo'] } });
    expect(r.bench).toEqual({ name: 'Bench 3', technicians: ['Ana', 'Bo'] });
    expect(problems({ bench: { name: 'B', technicians: [] } })).toEqual([]);
  });

  it('names the field of each problem: no name, a blank or repeated technician, a line break', () => {
    expect(problems({ bench: { name: '  ', technicians: [] } })).toEqual(["bench.name: The bench's name is required."]);
    expect(problems({ bench: { name: 'B', technicians: ['Ana', ''] } })).toEqual(["bench.technicians.1: A technician's name is required."]);
    expect(problems({ bench: { name: 'B', technicians: ['Ana', 'ana'] } })).toEqual(['bench.technicians.1: ana is in the list twice.']);
    expect(problems({ bench: { name: 'Bench\n2', technicians: [] } })).toEqual(["bench.name: The bench's name must be on one line."]);
    expect(problems({ bench: { name: 'x'.repeat(81), technicians: [] } })).toEqual(["bench.name: The bench's name may be at most 80 characters."]);
  });
});

describe('data center addresses (R13, R15)', () => {
  it('accepts an address per region, and null to go back to the resource file', () => {
    expect(problems({ dataCenters: { usa: address, emea: null } })).toEqual([]);
  });

  it('says which line of which region is wrong', () => {
    expect(problems({ dataCenters: { canada: { ...address, city: '', street: [] } } })).toEqual(['dataCenters.canada.street: The street is required.', 'dataCenters.canada.city: The city is required.']);
    expect(problems({ dataCenters: { usa: { ...address, street: ['1 A St', ' '] } } })).toEqual(['dataCenters.usa.street.1: A street line is required.']);
    expect(problems({ dataCenters: { mars: address } })[0]).toMatch(/^dataCenters: .*mars/);
  });

  it('replaces only the configured region, and a configured address is no longer a placeholder', () => {
    const list = withConfiguredAddresses({ usa: address });
    const usa = dataCenterFor('usa', list);
    expect(usa).toMatchObject({ region: 'usa', regionName: 'USA', organization: 'Acme Receiving', city: 'Allentown' });
    expect(usa.placeholder).toBeUndefined();
    expect(dataCenterFor('emea', list)).toEqual(dataCenterFor('emea', DATA_CENTERS));
    expect(addressLines(usa)).toEqual(['ATTN: Returns', 'Acme Receiving', '12 Dock Lane', 'Unit 4', 'Allentown, PA 18101', 'United States']);
    // No attention line and no state: neither leaves an empty line on the label.
    const bare = dataCenterFor('anz', withConfiguredAddresses({ anz: { organization: 'Kiwi DC', street: ['5 Quay St'], city: 'Auckland', postalCode: '1010', country: 'New Zealand' } }));
    expect(addressLines(bare)).toEqual(['Kiwi DC', '5 Quay St', 'Auckland 1010', 'New Zealand']);
  });

  it('puts the configured address on the return label and the forward ticket\'s ship-to', () => {
    const list = withConfiguredAddresses({ usa: address });
    const rec = (request: Record<string, unknown>) => ({ id: String(request.ticketNumber), request: validateTicketInput(request), steps: [], createdAt: '2025-03-01T00:00:00Z', createdBy: 't', updatedAt: '2025-03-01T00:00:00Z' });
    const now = new Date('2025-03-02T00:00:00Z');
    const fwd = ticketView(rec(forwardRequest()), now, DEFAULT_REPLACEMENT_FEES, list);
    expect(fwd.packing.shipTo).toEqual(addressLines(dataCenterFor('usa', list)));
    expect(fwd.packing.returnLabel.placeholderAddress).toBe(false);
    expect(fwd.packing.returnLabel.returnAddressLines).toContain('12 Dock Lane');
    const byDefault = ticketView(rec(reverseRequest()), now, DEFAULT_REPLACEMENT_FEES);
    expect(byDefault.packing.returnLabel.placeholderAddress).toBe(true);
  });
});
