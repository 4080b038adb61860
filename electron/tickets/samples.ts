// Sample tickets for the lab: one of each kind of job the bench runs, over the lab's own systems.
// Pure (only the ticket model), so the lab builder, tests and a demo screen can all call it.
// Names, addresses and e-mails are placeholders (example.com, "Example Partner"), never real ones.
import type { SystemSelection, TicketInputRaw } from './model/ticket-schema.ts';

export interface SampleLab {
  /** `offsite`: the system already has points offsite (so "newer than the lock" has a lock). */
  systems: Array<{ name: string; kind: 'windows' | 'linux' | 'encrypted' | 'share'; offsite?: boolean }>;
  applianceSerial: string;
}

/** Ticket numbers of the samples, fixed so a lab rebuilt from scratch gets the same tickets. */
export const SAMPLE_TICKET_NUMBERS = { forwardZfs: '9000001', reverseNtfs: '9000002', imageVhdExt4: '9000003', partnerUnit: '9000004' } as const;

const partnerAddress = {
  recipient: 'Sam Sample',
  company: 'Example Partner Ltd. (sample)',
  street: ['1 Sample Street'],
  city: 'Springfield',
  state: 'PA',
  postalCode: '19000',
  country: 'United States',
  phone: '+1 555 0100',
};
const contact = { name: 'Sam Sample', email: 'sam.sample@example.com', phone: '+1 555 0100' };
const partner = { name: 'Example Partner Ltd.', resellerId: 'R-10001' };

/** The systems of the wanted kinds, or every system when the lab has none of them. */
function pick(lab: SampleLab, kinds: Array<SampleLab['systems'][number]['kind']>): SampleLab['systems'] {
  const chosen = lab.systems.filter((s) => kinds.includes(s.kind));
  return chosen.length ? chosen : lab.systems;
}

const latest = (systems: SampleLab['systems']): SystemSelection[] => systems.map((s) => ({ name: s.name, points: { kind: 'latest' } }));

/**
 * Four tickets: a forward ZFS RoundTrip of every system; a Reverse RoundTrip as NTFS browsable
 * copies (the Windows systems); an image export as VHD on EXT4 (the Linux systems); and a Reverse
 * RoundTrip in ZFS on a partner-supplied unit (the encrypted agents, which exercise unlock on merge).
 * Every one passes validateTicketInput.
 */
export function sampleTickets(lab: SampleLab): TicketInputRaw[] {
  if (!lab.systems.length) return [];
  const common = { contact, partner, applianceSerial: lab.applianceSerial, disasterRecovery: false, notifyEmails: 'bench@example.com' } as const;
  return [
    {
      ...common,
      ticketNumber: SAMPLE_TICKET_NUMBERS.forwardZfs,
      direction: 'forward',
      format: { filesystem: 'zfs', layout: 'datasets' },
      // A system with nothing offsite yet has no lock: it is seeded with its newest point in full.
      systems: lab.systems.map((s) => ({ name: s.name, points: s.offsite === false ? { kind: 'latest' } : { kind: 'newer-than-lock' } })),
      source: { location: 'appliance' },
      shipping: { region: 'usa' },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      instructions: 'Sample: seed the offsite copy with every point not yet offsite.',
    },
    {
      ...common,
      ticketNumber: SAMPLE_TICKET_NUMBERS.reverseNtfs,
      direction: 'reverse',
      format: { filesystem: 'ntfs', layout: 'browsable' },
      systems: latest(pick(lab, ['windows'])),
      source: { location: 'offsite' },
      shipping: { region: 'usa', address: partnerAddress },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      instructions: 'Sample: browsable copies of the latest point for direct plug-and-play on Windows.',
    },
    {
      ...common,
      ticketNumber: SAMPLE_TICKET_NUMBERS.imageVhdExt4,
      direction: 'reverse',
      format: { filesystem: 'ext4', layout: 'image', imageFormat: 'vhd' },
      systems: latest(pick(lab, ['linux'])),
      source: { location: 'offsite' },
      shipping: { region: 'canada', address: { ...partnerAddress, city: 'Toronto', state: 'ON', postalCode: 'M0M 0M0', country: 'Canada' } },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      instructions: 'Sample: VHD images for a hypervisor restore.',
    },
    {
      ...common,
      ticketNumber: SAMPLE_TICKET_NUMBERS.partnerUnit,
      direction: 'reverse',
      format: { filesystem: 'zfs', layout: 'datasets' },
      systems: latest(pick(lab, ['encrypted'])),
      source: { location: 'offsite' },
      shipping: { region: 'usa', address: partnerAddress },
      unit: { providedBy: 'partner', kind: 'usb-drive', inboundTracking: '999900001111' },
      instructions: 'Sample: the partner ships its own drive to the data center; merge back and unlock the encrypted agent.',
    },
  ];
}
