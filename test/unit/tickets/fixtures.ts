// Valid request forms to start each test from; each call returns a fresh copy to mutate.
import type { TicketInputRaw } from '../../../electron/tickets/model/ticket-schema.ts';

export function reverseRequest(over: Partial<TicketInputRaw> = {}): Record<string, any> {
  return {
    ticketNumber: 'T1234567',
    direction: 'reverse',
    format: { filesystem: 'ntfs', layout: 'browsable' },
    systems: [{ name: 'win01', points: { kind: 'latest' } }],
    source: { location: 'offsite', estimatedBytes: 1.5e12 },
    shipping: {
      region: 'usa',
      address: { recipient: 'Sam Sample', street: ['1 Sample St'], city: 'Springfield', state: 'PA', postalCode: '19000', country: 'United States' },
    },
    contact: { name: 'Sam Sample', email: 'sam@example.com' },
    partner: { name: 'Example Partner', resellerId: 'R-1' },
    applianceSerial: 'A1B2C3D4E5F6',
    unit: { providedBy: 'datacenter', kind: 'usb-drive' },
    disasterRecovery: false,
    notifyEmails: 'a@example.com,b@example.com',
    ...structuredClone(over),
  };
}

export function forwardRequest(over: Partial<TicketInputRaw> = {}): Record<string, any> {
  return reverseRequest({
    ticketNumber: '7654321',
    direction: 'forward',
    format: { filesystem: 'zfs', layout: 'datasets' },
    systems: [{ name: 'win01', points: { kind: 'newer-than-lock' } }],
    source: { location: 'appliance' },
    shipping: { region: 'usa' },
    ...over,
  });
}
