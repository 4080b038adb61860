// Ticket validation: the zod shape first, then the rules that tie fields together (R3, R10, R15, R16).
// Every failing field is reported with its own sentence, all at once, so a technician fixes a form
// in one pass; nothing is written anywhere unless this returns.
import { AppError } from '../../api/errors.ts';
import { USB_LIMIT_BYTES } from '../../chain/media.ts';
import { TB } from '../../chain/units.ts';
import {
  TicketInputSchema,
  canonicalTicketNumber,
  TRACKING_RE,
  TRACKING_RULE,
  type FieldIssue,
  type TicketInput,
} from './ticket-schema.ts';

// Deliberately plain: the address must look like local@domain.tld; mail servers judge the rest.
const EMAIL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmail(s: string): boolean {
  return s.length <= 254 && EMAIL_RE.test(s);
}

/** R10: "a@x.com,b@y.com". Returns the addresses, or the one sentence that explains what is wrong. */
export function parseEmailList(raw: string): { emails: string[] } | { error: string } {
  if (raw === '') return { emails: [] };
  if (/\s/.test(raw)) {
    return { error: 'Notification e-mails must be separated by commas with no spaces (for example a@example.com,b@example.com).' };
  }
  const parts = raw.split(',');
  if (parts.some((p) => p === '')) {
    return { error: 'Notification e-mails contain an empty entry: remove the extra comma (for example a@example.com,b@example.com).' };
  }
  const bad = parts.filter((p) => !isEmail(p));
  if (bad.length) return { error: `Notification e-mails: "${bad[0]}" is not an e-mail address.` };
  const seen = new Set<string>();
  for (const p of parts) {
    const k = p.toLowerCase();
    if (seen.has(k)) return { error: `Notification e-mails list "${p}" twice.` };
    seen.add(k);
  }
  return { emails: parts };
}

function fieldName(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(ticket)';
}

/** Issues from the zod shape, reworded where zod's own words would leak through. */
function shapeIssues(raw: unknown): { issues: FieldIssue[]; value?: TicketInput } {
  const r = TicketInputSchema.safeParse(raw);
  if (r.success) return { issues: [], value: r.data };
  const issues: FieldIssue[] = [];
  for (const iss of r.error.issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const k of iss.keys) {
        issues.push({ field: fieldName([...iss.path, k]), message: `"${k}" is not a ticket field: remove it or check its spelling.` });
      }
      continue;
    }
    // One sentence per field: the first rule that failed (an empty serial fails "required" and the pattern).
    const field = fieldName(iss.path);
    if (!issues.some((i) => i.field === field)) issues.push({ field, message: iss.message });
  }
  return { issues };
}

/** Safe reads of the raw input for the cross-field rules, which run even when the shape failed elsewhere. */
function at(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}
/** Epoch ms of a point given as epoch seconds or an ISO date; null for a snapshot name (chain/ resolves those). */
function pointTime(v: unknown): number | null {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);

function crossIssues(raw: unknown, taken: Set<string>): FieldIssue[] {
  const out: FieldIssue[] = [];
  const add = (field: string, message: string) => {
    if (!taken.has(field)) out.push({ field, message });
  };
  const direction = str(at(raw, 'direction'));
  const fs = str(at(raw, 'format', 'filesystem'));
  const layout = str(at(raw, 'format', 'layout'));
  const imageFormat = at(raw, 'format', 'imageFormat');

  // R1: which layouts each filesystem can carry.
  if (fs === 'zfs' && layout === 'browsable') add('format.layout', 'ZFS carries datasets or image exports, not browsable folders: choose NTFS or EXT4 for browsable copies.');
  if ((fs === 'ntfs' || fs === 'ext4') && layout === 'datasets') add('format.layout', `${fs.toUpperCase()} carries browsable folders or image exports; only ZFS carries datasets.`);
  if (layout === 'image' && imageFormat === undefined) add('format.imageFormat', 'An image export needs an image format: raw, vhd, vhdx or vmdk.');
  if (layout !== undefined && layout !== 'image' && imageFormat !== undefined) add('format.imageFormat', 'An image format only applies to an image export; remove it or set the layout to image.');

  // A forward RoundTrip is merged into the offsite ZFS copy, so it can only be ZFS datasets from the appliance.
  if (direction === 'forward') {
    if ((fs && fs !== 'zfs') || (layout && layout !== 'datasets')) add('format', 'A forward RoundTrip is merged into the offsite copy, so it must be ZFS datasets.');
    const loc = str(at(raw, 'source', 'location'));
    if (loc && loc !== 'appliance') add('source.location', 'A forward RoundTrip copies from the appliance: set the source to appliance.');
  }

  const systems = at(raw, 'systems');
  if (Array.isArray(systems)) {
    const seen = new Map<string, number>();
    systems.forEach((s, i) => {
      const name = str(at(s, 'name'));
      if (name) {
        if (seen.has(name)) add(`systems[${i}].name`, `The protected system "${name}" is listed twice (also at position ${seen.get(name)! + 1}).`);
        else seen.set(name, i);
      }
      const kind = at(s, 'points', 'kind');
      if (kind === 'newer-than-lock' && direction === 'reverse') {
        add(`systems[${i}].points`, 'A reverse RoundTrip restores chosen points: pick latest, one point or a range ("newer-than-lock" is for forward RoundTrips).');
      }
      const from = pointTime(at(s, 'points', 'from'));
      const to = pointTime(at(s, 'points', 'to'));
      if (kind === 'range' && from !== null && to !== null && from > to) {
        add(`systems[${i}].points.to`, 'The last point of the range is older than the first; swap them.');
      }
    });
  }

  // R16: a reverse RoundTrip goes to the partner, so we need where.
  if (direction === 'reverse' && at(raw, 'shipping', 'address') === undefined && at(raw, 'shipping') !== undefined) {
    add('shipping.address', 'A reverse RoundTrip needs the shipping address the unit goes to.');
  }

  const partnerName = str(at(raw, 'partner', 'name'));
  const resellerId = str(at(raw, 'partner', 'resellerId'));
  if (at(raw, 'partner') !== undefined && !partnerName && !resellerId) {
    add('partner', "Give the partner's name or reseller ID: one of them goes on the drive label (R13).");
  }

  const contactEmail = str(at(raw, 'contact', 'email'));
  if (contactEmail && !isEmail(contactEmail)) add('contact.email', `The technical contact's e-mail "${contactEmail}" is not an e-mail address.`);

  const emails = at(raw, 'notifyEmails');
  if (typeof emails === 'string') {
    const r = parseEmailList(emails);
    if ('error' in r) add('notifyEmails', r.error);
  }

  // R15: a partner-supplied unit is expected at the data center by its tracking number.
  const provider = str(at(raw, 'unit', 'providedBy'));
  const tracking = str(at(raw, 'unit', 'inboundTracking'));
  if (provider === 'partner' && !tracking) {
    add('unit.inboundTracking', 'A partner-supplied unit needs the tracking number of its shipment to the data center, so the bench knows to expect it.');
  } else if (provider === 'datacenter' && tracking) {
    add('unit.inboundTracking', 'Only a partner-supplied unit has an inbound tracking number; remove it or set who provides the unit to partner.');
  } else if (tracking && !TRACKING_RE.test(tracking)) {
    add('unit.inboundTracking', `The inbound tracking number must be ${TRACKING_RULE}.`);
  }

  // R3: over 8 TB is ZFS on a NAS unit only.
  const size = at(raw, 'source', 'estimatedBytes');
  if (typeof size === 'number' && size > USB_LIMIT_BYTES) {
    const tb = (size / TB).toFixed(1);
    if (fs && fs !== 'zfs') add('format.filesystem', `${tb} TB is more than 8 TB, which only ZFS on a NAS unit can carry (R3); choose ZFS or select fewer points.`);
    // Same reading as chain/media.ts: above 8 TB only ZFS datasets, not an image export on ZFS.
    else if (layout === 'image') add('format.layout', `${tb} TB is more than 8 TB: an image export cannot go on a NAS unit (R3); choose ZFS datasets or select fewer points.`);
    const kind = str(at(raw, 'unit', 'kind'));
    if (kind === 'usb-drive') add('unit.kind', `${tb} TB is more than the 8 TB a USB drive may carry (R3); use a NAS unit.`);
  }
  return out;
}

/** A one-line summary for the error's message, naming the fields so the CLI user sees them too. */
function sentence(issues: FieldIssue[]): string {
  const names = issues.map((i) => i.field);
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  return issues.length === 1
    ? `The ticket is not valid: ${issues[0].message}`
    : `The ticket has ${issues.length} problems (${shown}); fix each field and try again.`;
}

/** Every issue with a ticket, or none. Never throws. */
export function ticketIssues(raw: unknown): FieldIssue[] {
  const { issues } = shapeIssues(raw);
  const taken = new Set(issues.map((i) => i.field));
  return [...issues, ...crossIssues(raw, taken)];
}

/**
 * The validated, canonical ticket input, or AppError TICKET_INVALID with
 * data.fields = [{ field, message }] listing every failing field.
 */
export function validateTicketInput(raw: unknown): TicketInput {
  const { issues, value } = shapeIssues(raw);
  const taken = new Set(issues.map((i) => i.field));
  const all = [...issues, ...crossIssues(raw, taken)];
  if (all.length || !value) {
    throw new AppError('TICKET_INVALID', sentence(all), {
      data: { fields: all },
      hint: all.length > 1 ? all.map((i) => `${i.field}: ${i.message}`).join('\n  ') : undefined,
    });
  }
  return { ...value, ticketNumber: canonicalTicketNumber(value.ticketNumber)! };
}
