import { describe, it, expect } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { TB } from '../../../electron/chain/units.ts';
import { parseEmailList, ticketIssues, validateTicketInput } from '../../../electron/tickets/model/validate.ts';
import { forwardRequest, reverseRequest } from './fixtures.ts';

/** The issues for one input, as field -> message. */
function issues(raw: unknown): Record<string, string> {
  return Object.fromEntries(ticketIssues(raw).map((i) => [i.field, i.message]));
}

function thrown(raw: unknown): AppError {
  try {
    validateTicketInput(raw);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected validateTicketInput to throw');
}

describe('ticket validation', () => {
  it('accepts a complete reverse and forward request and canonicalises the ticket number', () => {
    const r = validateTicketInput(reverseRequest());
    expect(r.ticketNumber).toBe('1234567');
    expect(validateTicketInput(forwardRequest()).direction).toBe('forward');
    expect(validateTicketInput(reverseRequest({ notifyEmails: '' })).notifyEmails).toBe('');
  });

  it('fills the defaults (no disaster recovery, nobody notified)', () => {
    const raw = reverseRequest();
    delete raw.disasterRecovery;
    delete raw.notifyEmails;
    const r = validateTicketInput(raw);
    expect(r.disasterRecovery).toBe(false);
    expect(r.notifyEmails).toBe('');
  });

  it.each([
    ['123456', '123456'],
    ['T123456', '123456'],
    ['t0012345678', '0012345678'],
    [' T7654321 ', '7654321'],
  ])('ticket number %j is valid as %j', (n, canon) => {
    expect(validateTicketInput(reverseRequest({ ticketNumber: n })).ticketNumber).toBe(canon);
  });

  it.each(['12345', '12345678901', 'X123456', 'T-123456', '123 456', 'TT123456', ''])('ticket number %j is refused with the format in the message', (n) => {
    expect(issues(reverseRequest({ ticketNumber: n })).ticketNumber).toBe('The ticket number must be 6 to 10 digits, optionally starting with T (for example T1234567).');
  });

  it('throws TICKET_INVALID listing every failing field with its own message', () => {
    const e = thrown(reverseRequest({ ticketNumber: '12', notifyEmails: 'a@example.com, b@example.com', applianceSerial: '' }));
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('TICKET_INVALID');
    const fields = (e.data!.fields as Array<{ field: string; message: string }>).map((f) => f.field).sort();
    expect(fields).toEqual(['applianceSerial', 'notifyEmails', 'ticketNumber']);
    expect(e.message).toMatch(/3 problems .*ticketNumber/);
  });

  it('names a single problem in the message itself', () => {
    const e = thrown(reverseRequest({ applianceSerial: 'a b' }));
    expect(e.message).toBe('The ticket is not valid: The appliance serial must be 4 to 32 letters, digits or dashes (it is printed as the PO number).');
  });

  describe('R10 notification e-mails', () => {
    it.each([
      ['a@example.com, b@example.com', 'Notification e-mails must be separated by commas with no spaces (for example a@example.com,b@example.com).'],
      [' a@example.com', 'Notification e-mails must be separated by commas with no spaces (for example a@example.com,b@example.com).'],
      ['a@example.com;b@example.com', 'Notification e-mails: "a@example.com;b@example.com" is not an e-mail address.'],
      ['a@example.com,,b@example.com', 'Notification e-mails contain an empty entry: remove the extra comma (for example a@example.com,b@example.com).'],
      ['a@example.com,', 'Notification e-mails contain an empty entry: remove the extra comma (for example a@example.com,b@example.com).'],
      ['a@example', 'Notification e-mails: "a@example" is not an e-mail address.'],
      ['a..b@example.com', 'Notification e-mails: "a..b@example.com" is not an e-mail address.'],
      ['a@example.com,A@example.com', 'Notification e-mails list "A@example.com" twice.'],
    ])('%j is refused', (list, message) => {
      expect(issues(reverseRequest({ notifyEmails: list })).notifyEmails).toBe(message);
    });

    it('accepts one address, several, and none', () => {
      expect(parseEmailList('ops@example.com')).toEqual({ emails: ['ops@example.com'] });
      expect(parseEmailList('a@x.example.org,b+tag@example.com')).toEqual({ emails: ['a@x.example.org', 'b+tag@example.com'] });
      expect(parseEmailList('')).toEqual({ emails: [] });
    });

    it('refuses a bad technical-contact e-mail', () => {
      expect(issues(reverseRequest({ contact: { name: 'x', email: 'not-an-address' } }))['contact.email']).toBe(
        `The technical contact's e-mail "not-an-address" is not an e-mail address.`,
      );
    });
  });

  describe('required fields', () => {
    it.each([
      ['direction', 'The direction is required.'],
      ['format', 'The file format is required.'],
      ['systems', 'The list of protected systems is required.'],
      ['source', 'The source is required.'],
      ['shipping', 'Shipping (region and address) is required.'],
      ['contact', 'The partner technical contact is required.'],
      ['partner', 'The partner is required.'],
      ['applianceSerial', 'The appliance serial is required.'],
      ['unit', 'The unit is required.'],
      ['ticketNumber', 'The ticket number is required.'],
    ])('missing %s', (field, message) => {
      const raw = reverseRequest();
      delete raw[field];
      expect(issues(raw)[field]).toBe(message);
    });

    it('reports nested missing fields by their path', () => {
      const raw = reverseRequest();
      delete raw.shipping.address.postalCode;
      delete raw.contact.name;
      raw.systems.push({ name: 'lin01' });
      const got = issues(raw);
      expect(got['shipping.address.postalCode']).toBe('The postal code is required.');
      expect(got['contact.name']).toBe("The technical contact's name is required.");
      expect(got['systems[1].points']).toBe('The point selection is required.');
    });

    it('refuses an empty system list, wrong enum values and unknown fields', () => {
      const got = issues(reverseRequest({ systems: [], direction: 'sideways' as never, extra: 1 } as never));
      expect(got.systems).toBe('Select at least one protected system.');
      expect(got.direction).toBe('The direction must be one of: forward, reverse.');
      expect(got.extra).toBe('"extra" is not a ticket field: remove it or check its spelling.');
      expect(issues(reverseRequest({ unit: { providedBy: 'datacenter', kind: 'usb-drive', colour: 'red' } as never }))['unit.colour']).toMatch(/not a ticket field/);
    });

    it('a reverse RoundTrip needs the shipping address; a forward one ships to the data center', () => {
      expect(issues(reverseRequest({ shipping: { region: 'usa' } }))['shipping.address']).toBe('A reverse RoundTrip needs the shipping address the unit goes to.');
      expect(ticketIssues(forwardRequest({ shipping: { region: 'emea' } }))).toEqual([]);
    });

    it('needs the partner name or reseller ID (R13 label)', () => {
      expect(issues(reverseRequest({ partner: {} }))['partner']).toBe("Give the partner's name or reseller ID: one of them goes on the drive label (R13).");
      expect(ticketIssues(reverseRequest({ partner: { resellerId: 'R-9' } }))).toEqual([]);
      expect(ticketIssues(reverseRequest({ partner: { name: 'Only A Name' } }))).toEqual([]);
    });

    it('rejects duplicate systems and a backwards range', () => {
      const got = issues(
        reverseRequest({
          systems: [
            { name: 'a', points: { kind: 'latest' } },
            { name: 'a', points: { kind: 'latest' } },
            { name: 'b', points: { kind: 'range', from: 1700000500, to: 1700000000 } },
            { name: 'c', points: { kind: 'range', from: '2025-03-01', to: '2025-01-01' } },
            { name: 'd', points: { kind: 'range', from: '2025-01-01', to: 1700000000 } },
          ],
        }),
      );
      expect(got['systems[1].name']).toBe('The protected system "a" is listed twice (also at position 1).');
      expect(got['systems[2].points.to']).toBe('The last point of the range is older than the first; swap them.');
      expect(got['systems[3].points.to']).toBe('The last point of the range is older than the first; swap them.');
      expect(got['systems[4].points.to']).toBe('The last point of the range is older than the first; swap them.');
    });
  });

  describe('direction and format rules', () => {
    it('a forward RoundTrip must be ZFS datasets from the appliance', () => {
      expect(issues(forwardRequest({ format: { filesystem: 'ntfs', layout: 'browsable' } })).format).toBe(
        'A forward RoundTrip is merged into the offsite copy, so it must be ZFS datasets.',
      );
      expect(issues(forwardRequest({ source: { location: 'offsite' } }))['source.location']).toBe('A forward RoundTrip copies from the appliance: set the source to appliance.');
    });

    it('"newer-than-lock" is for forward RoundTrips only', () => {
      expect(issues(reverseRequest({ systems: [{ name: 'x', points: { kind: 'newer-than-lock' } }] }))['systems[0].points']).toMatch(/^A reverse RoundTrip restores chosen points/);
    });

    it('matches layouts to filesystems (R1)', () => {
      expect(issues(reverseRequest({ format: { filesystem: 'zfs', layout: 'browsable' } }))['format.layout']).toMatch(/^ZFS carries datasets or image exports/);
      expect(issues(reverseRequest({ format: { filesystem: 'ext4', layout: 'datasets' } }))['format.layout']).toBe('EXT4 carries browsable folders or image exports; only ZFS carries datasets.');
      expect(issues(reverseRequest({ format: { filesystem: 'ext4', layout: 'image' } }))['format.imageFormat']).toBe('An image export needs an image format: raw, vhd, vhdx or vmdk.');
      expect(issues(reverseRequest({ format: { filesystem: 'ntfs', layout: 'browsable', imageFormat: 'vhd' } }))['format.imageFormat']).toMatch(/^An image format only applies/);
      expect(issues(reverseRequest({ format: { filesystem: 'ext4', layout: 'image', imageFormat: 'qcow2' as never } }))['format.imageFormat']).toBe(
        'The image format must be one of: raw, vhd, vhdx, vmdk.',
      );
      expect(ticketIssues(reverseRequest({ format: { filesystem: 'zfs', layout: 'image', imageFormat: 'vmdk' } }))).toEqual([]);
    });

    it('R3: over 8 TB needs ZFS datasets on a NAS unit; exactly 8 TB may use USB in any format', () => {
      const big = { location: 'offsite' as const, estimatedBytes: 8 * TB + 1 };
      const got = issues(reverseRequest({ source: big }));
      expect(got['format.filesystem']).toBe('8.0 TB is more than 8 TB, which only ZFS on a NAS unit can carry (R3); choose ZFS or select fewer points.');
      expect(got['unit.kind']).toBe('8.0 TB is more than the 8 TB a USB drive may carry (R3); use a NAS unit.');
      expect(issues(reverseRequest({ source: big, format: { filesystem: 'zfs', layout: 'image', imageFormat: 'raw' }, unit: { providedBy: 'datacenter', kind: 'nas-unit' } }))['format.layout']).toMatch(
        /image export cannot go on a NAS unit/,
      );
      expect(ticketIssues(reverseRequest({ source: big, format: { filesystem: 'zfs', layout: 'datasets' }, unit: { providedBy: 'datacenter', kind: 'nas-unit' } }))).toEqual([]);
      expect(ticketIssues(reverseRequest({ source: { location: 'offsite', estimatedBytes: 8 * TB } }))).toEqual([]);
    });
  });

  describe('R15 unit rules', () => {
    it('a partner-supplied unit needs its inbound tracking number', () => {
      expect(issues(reverseRequest({ unit: { providedBy: 'partner', kind: 'usb-drive' } }))['unit.inboundTracking']).toBe(
        'A partner-supplied unit needs the tracking number of its shipment to the data center, so the bench knows to expect it.',
      );
      expect(ticketIssues(reverseRequest({ unit: { providedBy: 'partner', kind: 'usb-drive', inboundTracking: '123456789012' } }))).toEqual([]);
    });

    it('refuses a malformed tracking number, and one on our own unit', () => {
      expect(issues(reverseRequest({ unit: { providedBy: 'partner', kind: 'usb-drive', inboundTracking: '1234 5678 9012' } }))['unit.inboundTracking']).toBe(
        'The inbound tracking number must be 8 to 34 letters or digits with no spaces.',
      );
      expect(issues(reverseRequest({ unit: { providedBy: 'datacenter', kind: 'usb-drive', inboundTracking: '123456789012' } }))['unit.inboundTracking']).toMatch(
        /^Only a partner-supplied unit/,
      );
    });
  });

  it('does not mutate its input', () => {
    const raw = reverseRequest();
    const copy = structuredClone(raw);
    validateTicketInput(raw);
    expect(raw).toEqual(copy);
  });
});
