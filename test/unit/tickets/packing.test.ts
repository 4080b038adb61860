import { describe, it, expect } from 'vitest';
import { DATA_CENTERS, dataCenterFor } from '../../../electron/tickets/model/data-centers.ts';
import { inboundAddress, outboundAddressLines, packingChecklist, requiredPackingItems, returnLabel, unitLabel } from '../../../electron/tickets/model/packing.ts';
import { REGIONS } from '../../../electron/tickets/model/ticket-schema.ts';
import { validateTicketInput } from '../../../electron/tickets/model/validate.ts';
import { forwardRequest, reverseRequest } from './fixtures.ts';

describe('packing and labels (R13-R15)', () => {
  it('has one data center per region, in the cities R15 names, marked as placeholders', () => {
    expect(DATA_CENTERS.map((d) => d.region).sort()).toEqual([...REGIONS].sort());
    expect(dataCenterFor('usa')).toMatchObject({ city: 'Reading', state: 'PA' });
    expect(dataCenterFor('canada').city).toBe('Toronto');
    expect(dataCenterFor('anz').city).toBe('Sydney');
    expect(DATA_CENTERS.every((d) => d.placeholder === true && /placeholder/i.test(d.organization))).toBe(true);
  });

  it('the return label carries ticket number, partner, PO = appliance serial and the region data center', () => {
    const r = validateTicketInput(reverseRequest({ shipping: { region: 'canada', address: reverseRequest().shipping.address } }));
    const label = returnLabel(r);
    expect(label).toMatchObject({ ticketNumber: '1234567', partner: 'Example Partner (reseller R-1)', poNumber: 'A1B2C3D4E5F6', service: 'Overnight', placeholderAddress: true });
    expect(label.returnTo.region).toBe('canada');
    expect(label.returnAddressLines.join('\n')).toMatch(/Toronto, ON/);
    expect(unitLabel(r)).toEqual({ ticketNumber: '1234567', partner: 'Example Partner (reseller R-1)', direction: 'Reverse RoundTrip' });
    expect(unitLabel(validateTicketInput(reverseRequest({ partner: { resellerId: 'R-77' } }))).partner).toBe('Reseller R-77');
  });

  it('lists the original packaging (R14), with the power supply required for a NAS unit', () => {
    const usb = packingChecklist({ direction: 'reverse', unit: { providedBy: 'datacenter', kind: 'usb-drive' } });
    expect(usb.map((i) => i.id)).toEqual(['unit-labeled', 'box', 'foam', 'usb-cables', 'power-supply', 'return-label']);
    expect(usb.find((i) => i.id === 'power-supply')!.required).toBe(false);
    expect(requiredPackingItems({ direction: 'reverse', unit: { providedBy: 'datacenter', kind: 'nas-unit' } })).toContain('power-supply');
    // The partner's own unit and a forward RoundTrip's unit do not come back to us with our label.
    expect(requiredPackingItems({ direction: 'reverse', unit: { providedBy: 'partner', kind: 'usb-drive' } })).not.toContain('return-label');
    expect(requiredPackingItems({ direction: 'forward', unit: { providedBy: 'datacenter', kind: 'usb-drive' } })).not.toContain('return-label');
  });

  it('sends a partner-supplied unit to its region data center first (R15)', () => {
    const r = validateTicketInput(reverseRequest({ shipping: { region: 'anz', address: reverseRequest().shipping.address }, unit: { providedBy: 'partner', kind: 'usb-drive', inboundTracking: '123456789012' } }));
    expect(inboundAddress(r)!.city).toBe('Sydney');
    expect(inboundAddress(validateTicketInput(reverseRequest()))).toBeNull();
  });

  it('ships a reverse unit to the partner and a forward unit to the data center', () => {
    expect(outboundAddressLines(validateTicketInput(reverseRequest()))[0]).toBe('Sam Sample');
    expect(outboundAddressLines(validateTicketInput(forwardRequest({ shipping: { region: 'emea' } }))).join(' ')).toMatch(/United Kingdom/);
  });
});
