// The intake form's state as the inputs hold it (strings and booleans), to and from the request
// the engine validates. The engine's field paths ("shipping.address.postalCode",
// "systems[2].points.from") are the form's keys too, so its errors land next to their inputs.
import type { TicketInputRaw } from '../../../../electron/tickets/model/ticket-schema.ts';

export interface SystemRow {
  name: string;
  kind: 'newer-than-lock' | 'latest' | 'one' | 'range';
  point: string;
  from: string;
  to: string;
}

export interface TicketFormState {
  ticketNumber: string;
  direction: 'forward' | 'reverse';
  filesystem: 'zfs' | 'ntfs' | 'ext4';
  layout: 'datasets' | 'browsable' | 'image';
  imageFormat: 'raw' | 'vhd' | 'vhdx' | 'vmdk';
  systems: SystemRow[];
  sourceLocation: 'appliance' | 'offsite';
  sourceHost: string;
  /** In GB as typed (decimal, like drive labels). */
  estimatedGb: string;
  region: 'usa' | 'emea' | 'canada' | 'anz';
  withAddress: boolean;
  recipient: string;
  company: string;
  street: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  phone: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  partnerName: string;
  resellerId: string;
  applianceSerial: string;
  instructions: string;
  providedBy: 'datacenter' | 'partner';
  unitKind: 'usb-drive' | 'nas-unit';
  inboundTracking: string;
  disasterRecovery: boolean;
  notifyEmails: string;
}

export function emptySystem(direction: 'forward' | 'reverse'): SystemRow {
  return { name: '', kind: direction === 'forward' ? 'newer-than-lock' : 'latest', point: '', from: '', to: '' };
}

export function emptyForm(): TicketFormState {
  return {
    ticketNumber: '',
    direction: 'forward',
    filesystem: 'zfs',
    layout: 'datasets',
    imageFormat: 'vhd',
    systems: [emptySystem('forward')],
    sourceLocation: 'appliance',
    sourceHost: '',
    estimatedGb: '',
    region: 'usa',
    withAddress: false,
    recipient: '',
    company: '',
    street: '',
    city: '',
    state: '',
    postalCode: '',
    country: '',
    phone: '',
    contactName: '',
    contactEmail: '',
    contactPhone: '',
    partnerName: '',
    resellerId: '',
    applianceSerial: '',
    instructions: '',
    providedBy: 'datacenter',
    unitKind: 'usb-drive',
    inboundTracking: '',
    disasterRecovery: false,
    notifyEmails: '',
  };
}

const opt = (s: string) => (s.trim() === '' ? undefined : s);

function pointRef(s: string): string | number {
  return /^\d+$/.test(s.trim()) ? Number(s.trim()) : s;
}

function selectionOf(r: SystemRow): unknown {
  if (r.kind === 'one') return { kind: 'one', point: pointRef(r.point) };
  if (r.kind === 'range') return { kind: 'range', from: pointRef(r.from), to: pointRef(r.to) };
  return { kind: r.kind };
}

/** The request as the engine takes it: empty optional fields left out, so the engine's defaults apply. */
export function toRequest(f: TicketFormState): TicketInputRaw {
  const gb = f.estimatedGb.trim();
  const est = gb === '' ? undefined : Number(gb) * 1e9;
  return {
    ticketNumber: f.ticketNumber,
    direction: f.direction,
    format: { filesystem: f.filesystem, layout: f.layout, ...(f.layout === 'image' ? { imageFormat: f.imageFormat } : {}) },
    systems: f.systems.map((r) => ({ name: r.name, points: selectionOf(r) })) as TicketInputRaw['systems'],
    source: { location: f.sourceLocation, host: opt(f.sourceHost), estimatedBytes: est },
    shipping: {
      region: f.region,
      ...(f.withAddress || f.direction === 'reverse'
        ? {
            address: {
              recipient: f.recipient,
              company: opt(f.company),
              street: f.street.split('\n').filter((l) => l.trim() !== ''),
              city: f.city,
              state: opt(f.state),
              postalCode: f.postalCode,
              country: f.country,
              phone: opt(f.phone),
            },
          }
        : {}),
    },
    contact: { name: f.contactName, email: f.contactEmail, phone: opt(f.contactPhone) },
    partner: { name: opt(f.partnerName), resellerId: opt(f.resellerId) },
    applianceSerial: f.applianceSerial,
    instructions: opt(f.instructions),
    unit: { providedBy: f.providedBy, kind: f.unitKind, inboundTracking: opt(f.inboundTracking) },
    disasterRecovery: f.disasterRecovery,
    notifyEmails: f.notifyEmails,
  } as TicketInputRaw;
}

function rowOf(s: { name: string; points: { kind: string; point?: unknown; from?: unknown; to?: unknown } }): SystemRow {
  const p = s.points;
  return {
    name: s.name,
    kind: (['newer-than-lock', 'latest', 'one', 'range'].includes(p.kind) ? p.kind : 'latest') as SystemRow['kind'],
    point: p.point === undefined ? '' : String(p.point),
    from: p.from === undefined ? '' : String(p.from),
    to: p.to === undefined ? '' : String(p.to),
  };
}

/** A stored ticket's request back into the form. */
export function fromRequest(r: TicketInputRaw): TicketFormState {
  const a = r.shipping.address;
  return {
    ...emptyForm(),
    ticketNumber: r.ticketNumber,
    direction: r.direction,
    filesystem: r.format.filesystem,
    layout: r.format.layout,
    imageFormat: r.format.imageFormat ?? 'vhd',
    systems: r.systems.map((s) => rowOf(s as never)),
    sourceLocation: r.source.location,
    sourceHost: r.source.host ?? '',
    estimatedGb: r.source.estimatedBytes === undefined ? '' : String(r.source.estimatedBytes / 1e9),
    region: r.shipping.region,
    withAddress: a !== undefined,
    recipient: a?.recipient ?? '',
    company: a?.company ?? '',
    street: (a?.street ?? []).join('\n'),
    city: a?.city ?? '',
    state: a?.state ?? '',
    postalCode: a?.postalCode ?? '',
    country: a?.country ?? '',
    phone: a?.phone ?? '',
    contactName: r.contact.name,
    contactEmail: r.contact.email,
    contactPhone: r.contact.phone ?? '',
    partnerName: r.partner.name ?? '',
    resellerId: r.partner.resellerId ?? '',
    applianceSerial: r.applianceSerial,
    instructions: r.instructions ?? '',
    providedBy: r.unit.providedBy,
    unitKind: r.unit.kind,
    inboundTracking: r.unit.inboundTracking ?? '',
    disasterRecovery: r.disasterRecovery ?? false,
    notifyEmails: r.notifyEmails ?? '',
  };
}

/** The engine's field path → the form input that shows it ("shipping.address.street[1]" → "shipping.address.street"). */
export function inputKeyOf(field: string): string {
  const systems = /^systems\[(\d+)\](?:\.(name|points))?/.exec(field);
  if (systems) return `systems[${systems[1]}].${systems[2] ?? 'name'}`;
  return field.replace(/\[\d+\]$/, '');
}

export function errorsByInput(issues: ReadonlyArray<{ field: string; message: string }>): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const i of issues) {
    const k = inputKeyOf(i.field);
    m.set(k, [...(m.get(k) ?? []), i.message]);
  }
  return m;
}
