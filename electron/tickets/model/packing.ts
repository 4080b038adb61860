// R13-R15 as data: what goes in the box, what the unit's label says, what the return label says,
// and where a partner sends its own unit. The UI prints these; nothing here formats for paper.
import { addressLines, dataCenterFor, DATA_CENTERS, type DataCenter } from './data-centers.ts';
import { DIRECTION_LABEL, type TicketInput } from './ticket-schema.ts';

export interface PackingItem {
  id: string;
  label: string;
  /** Required items must be checked before the ticket can be marked packed. */
  required: boolean;
}

/** R14: the unit must come back in its original packaging, so the box leaves complete. */
export function packingChecklist(request: Pick<TicketInput, 'unit' | 'direction'>): PackingItem[] {
  const ours = request.unit.providedBy === 'datacenter';
  const nas = request.unit.kind === 'nas-unit';
  const items: PackingItem[] = [
    { id: 'unit-labeled', label: 'Unit labeled with the ticket number and the partner name or reseller ID', required: true },
    { id: 'box', label: 'Original box', required: true },
    { id: 'foam', label: 'Foam and packing materials', required: true },
    { id: 'usb-cables', label: nas ? 'USB and network cables that came with the unit' : 'USB data cable(s)', required: true },
    { id: 'power-supply', label: nas ? 'Power supply' : 'Power supply (only if the drive has one)', required: nas },
  ];
  // A unit we lend must come back; the partner's own unit does not.
  if (ours && request.direction === 'reverse') {
    items.push({ id: 'return-label', label: 'Prepaid overnight return label in the box (PO number = appliance serial)', required: true });
  }
  return items;
}

export function requiredPackingItems(request: Pick<TicketInput, 'unit' | 'direction'>): string[] {
  return packingChecklist(request).filter((i) => i.required).map((i) => i.id);
}

/** R13: partner name, or the reseller ID when no name was given; both when both are known. */
export function partnerLine(request: Pick<TicketInput, 'partner'>): string {
  const { name, resellerId } = request.partner;
  if (name && resellerId) return `${name} (reseller ${resellerId})`;
  return name || (resellerId ? `Reseller ${resellerId}` : '');
}

export interface UnitLabel {
  ticketNumber: string;
  partner: string;
  direction: string;
}

export function unitLabel(request: TicketInput): UnitLabel {
  return { ticketNumber: request.ticketNumber, partner: partnerLine(request), direction: DIRECTION_LABEL[request.direction] };
}

export interface ReturnLabel {
  ticketNumber: string;
  /** "Partner or reseller ID" field. */
  partner: string;
  /** R13: the PO number is the serial of the appliance the RoundTrip is for. */
  poNumber: string;
  service: 'Overnight';
  returnTo: DataCenter;
  returnAddressLines: string[];
  /** True while the data-center address is a placeholder: the print must say so. */
  placeholderAddress: boolean;
}

/** The return label goes to the data center of the ticket's region (R13, R15). */
export function returnLabel(request: TicketInput, dataCenters: readonly DataCenter[] = DATA_CENTERS): ReturnLabel {
  const dc = dataCenterFor(request.shipping.region, dataCenters);
  return {
    ticketNumber: request.ticketNumber,
    partner: partnerLine(request),
    poNumber: request.applianceSerial,
    service: 'Overnight',
    returnTo: dc,
    returnAddressLines: addressLines(dc),
    placeholderAddress: dc.placeholder === true,
  };
}

/**
 * Where the unit is sent before the sync: a partner-supplied unit to its region's data center (R15),
 * and a forward RoundTrip's unit to the data center after the sync. Null when it starts with us.
 */
export function inboundAddress(request: TicketInput, dataCenters: readonly DataCenter[] = DATA_CENTERS): DataCenter | null {
  return request.unit.providedBy === 'partner' ? dataCenterFor(request.shipping.region, dataCenters) : null;
}

/** Where the synced unit is shipped: the partner's address for a reverse RoundTrip, the data center for a forward one. */
export function outboundAddressLines(request: TicketInput, dataCenters: readonly DataCenter[] = DATA_CENTERS): string[] {
  if (request.direction === 'forward' || !request.shipping.address) return addressLines(dataCenterFor(request.shipping.region, dataCenters));
  const a = request.shipping.address;
  return [a.recipient, ...(a.company ? [a.company] : []), ...a.street, `${a.city}${a.state ? `, ${a.state}` : ''} ${a.postalCode}`, a.country];
}
