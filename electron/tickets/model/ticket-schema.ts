// The ticket as a request form fills it in (R16 plus the R10/R13/R15 fields), as zod schemas.
// Every leaf carries its own technician sentence, so validate.ts never shows zod's wording.
// Pure: the renderer and the engine both import this.
import { z } from 'zod';
import { SelectionSchema } from '../../chain/selection-schema.ts';
import type { Selection } from '../../chain/types.ts';

/**
 * Support ticket number: 6 to 10 digits, optionally written with a leading "T" (T1234567).
 * Desks quote them both ways, so the "T" is accepted and dropped: the canonical form, used as the
 * ticket's id, is the digits alone (leading zeros kept). Nothing else (spaces, dashes) is accepted,
 * because the number is printed on labels and matched by scripts.
 */
export const TICKET_NUMBER_RE = /^[Tt]?(\d{6,10})$/;
export const TICKET_NUMBER_RULE = '6 to 10 digits, optionally starting with T (for example T1234567)';

export function canonicalTicketNumber(raw: string): string | null {
  const m = TICKET_NUMBER_RE.exec(raw.trim());
  return m ? m[1] : null;
}

export const DIRECTIONS = ['forward', 'reverse'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const DIRECTION_LABEL: Record<Direction, string> = { forward: 'RoundTrip', reverse: 'Reverse RoundTrip' };

// R1: three filesystems; ZFS carries datasets, NTFS/EXT4 browsable folders; an image export fits on any.
export const FILESYSTEMS = ['zfs', 'ntfs', 'ext4'] as const;
export const LAYOUTS = ['datasets', 'browsable', 'image'] as const;
export const IMAGE_FORMATS = ['raw', 'vhd', 'vhdx', 'vmdk'] as const;
export type Filesystem = (typeof FILESYSTEMS)[number];
export type Layout = (typeof LAYOUTS)[number];
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const UNIT_KINDS = ['usb-drive', 'nas-unit'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** Who supplies the physical unit: our data center, or the partner (R15). */
export const UNIT_PROVIDERS = ['datacenter', 'partner'] as const;
export type UnitProvider = (typeof UNIT_PROVIDERS)[number];

/** R15's four regions; each has one receiving data center in resources/data-centers.json. */
export const REGIONS = ['usa', 'emea', 'canada', 'anz'] as const;
export type Region = (typeof REGIONS)[number];

export const SOURCE_LOCATIONS = ['appliance', 'offsite'] as const;

/** Carrier tracking numbers: FedEx/UPS/DHL all fit 8 to 34 letters or digits once spaces are gone. */
export const TRACKING_RE = /^[A-Za-z0-9]{8,34}$/;
export const TRACKING_RULE = '8 to 34 letters or digits with no spaces';

/** Appliance serials are hex MACs or vendor serials; letters, digits and dashes cover both. */
export const SERIAL_RE = /^[A-Za-z0-9][A-Za-z0-9-]{3,31}$/;

/** Protected system names as the appliance shows them: hostnames, IPs, share names. */
export const SYSTEM_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

// --- message helpers: one sentence for "missing", one for "wrong" ---------------------------------

type Iss = { input?: unknown; code?: string };
const say = (label: string, rule: string) => (iss: Iss) =>
  iss.input === undefined || iss.input === null ? `${label} is required.` : `${label} ${rule}`;

function text(label: string, max: number, rule = 'must be text.') {
  return z
    .string({ error: say(label, rule) })
    .trim()
    .min(1, { error: `${label} is required.` })
    .max(max, { error: `${label} must be at most ${max} characters.` });
}
function optText(label: string, max: number) {
  return z.string({ error: say(label, 'must be text.') }).trim().max(max, { error: `${label} must be at most ${max} characters.` }).optional();
}
function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: say(label, `must be one of: ${values.join(', ')}.`) });
}
// --- parts -----------------------------------------------------------------------------------------

/**
 * R16 snapshot selection per protected system: the chain's own schema (chain/selection-schema.ts),
 * so a ticket's selection goes to the planner unchanged. "newer-than-lock" is a forward RoundTrip's
 * "every point not yet offsite".
 */
export const PointSelectionSchema = SelectionSchema;
export type PointSelection = Selection;

export const SystemSelectionSchema = z.strictObject(
  {
    name: text('The protected system name', 128).regex(SYSTEM_NAME_RE, {
      error: 'The protected system name must start with a letter or digit and use only letters, digits, dots, dashes, underscores or colons.',
    }),
    points: PointSelectionSchema,
  },
  { error: say('Each protected system', 'must be an object with a name and a point selection.') },
);
export type SystemSelection = z.infer<typeof SystemSelectionSchema>;

export const FormatSchema = z.strictObject(
  {
    filesystem: oneOf('The filesystem', FILESYSTEMS),
    layout: oneOf('The layout', LAYOUTS),
    imageFormat: oneOf('The image format', IMAGE_FORMATS).optional(),
  },
  { error: say('The file format', 'must be an object with filesystem and layout.') },
);
export type TicketFormat = z.infer<typeof FormatSchema>;

export const SourceSchema = z.strictObject(
  {
    location: oneOf('The source', SOURCE_LOCATIONS),
    /** The appliance hostname or offsite node the points come from, as the request names it. */
    host: optText('The source host', 253),
    /** Size estimate from the Offsite Audit Report, in bytes (R2/R3 checks use it). */
    estimatedBytes: z
      .number({ error: say('The estimated size', 'must be a number of bytes.') })
      .nonnegative({ error: 'The estimated size cannot be negative.' })
      .finite({ error: 'The estimated size must be a finite number of bytes.' })
      .optional(),
  },
  { error: say('The source', 'must be an object with a location.') },
);

export const AddressSchema = z.strictObject(
  {
    recipient: text('The recipient', 120),
    company: optText('The company', 120),
    street: z
      .array(text('A street line', 120), { error: say('The street', 'must be a list of address lines.') })
      .min(1, { error: 'The street needs at least one line.' })
      .max(3, { error: 'The street can have at most 3 lines.' }),
    city: text('The city', 80),
    state: optText('The state or province', 80),
    postalCode: text('The postal code', 20),
    country: text('The country', 60),
    phone: optText('The phone number', 40),
  },
  { error: say('The shipping address', 'must be an object with recipient, street, city, postal code and country.') },
);
export type Address = z.infer<typeof AddressSchema>;

export const ShippingSchema = z.strictObject(
  {
    /** Where the unit goes. Required for a reverse RoundTrip; a forward one ships to the region's data center. */
    address: AddressSchema.optional(),
    /** Picks the data center for partner-supplied units (R15) and for the return label. */
    region: oneOf('The shipping region', REGIONS),
  },
  { error: say('Shipping (region and address)', 'must be an object with a region.') },
);

export const ContactSchema = z.strictObject(
  {
    name: text("The technical contact's name", 120),
    email: text("The technical contact's e-mail", 254),
    phone: optText("The technical contact's phone", 40),
  },
  { error: say('The partner technical contact', 'must be an object with name and e-mail.') },
);

export const PartnerSchema = z.strictObject(
  {
    name: optText('The partner name', 120),
    resellerId: optText('The reseller ID', 40),
  },
  { error: say('The partner', 'must be an object with a name or a reseller ID.') },
);

export const UnitSchema = z.strictObject(
  {
    providedBy: oneOf('Who provides the unit', UNIT_PROVIDERS),
    kind: oneOf('The unit kind', UNIT_KINDS),
    /** A partner-supplied unit's tracking number on its way to the data center (R15). */
    inboundTracking: optText('The inbound tracking number', 40),
  },
  { error: say('The unit', 'must be an object with providedBy and kind.') },
);

/** Everything a request form carries. Import, export and create all go through this one shape. */
export const TicketInputSchema = z.strictObject(
  {
    ticketNumber: z
      .string({ error: say('The ticket number', `must be ${TICKET_NUMBER_RULE}.`) })
      .trim()
      .regex(TICKET_NUMBER_RE, { error: `The ticket number must be ${TICKET_NUMBER_RULE}.` }),
    direction: oneOf('The direction', DIRECTIONS),
    format: FormatSchema,
    systems: z
      .array(SystemSelectionSchema, { error: say('The list of protected systems', 'must be a list.') })
      .min(1, { error: 'Select at least one protected system.' })
      .max(500, { error: 'A ticket can hold at most 500 protected systems.' }),
    source: SourceSchema,
    shipping: ShippingSchema,
    contact: ContactSchema,
    partner: PartnerSchema,
    /** R13: printed as the label's PO number. */
    applianceSerial: text('The appliance serial', 32).regex(SERIAL_RE, {
      error: 'The appliance serial must be 4 to 32 letters, digits or dashes (it is printed as the PO number).',
    }),
    instructions: optText('The specific instructions', 4000),
    unit: UnitSchema,
    disasterRecovery: z.boolean({ error: say('The disaster-recovery flag', 'must be true or false.') }).default(false),
    /** R10: a comma-separated list with no spaces, kept exactly in that form. Empty means nobody. */
    notifyEmails: z.string({ error: say('The notification e-mails', 'must be text.') }).max(2000).default(''),
  },
  { error: say('The ticket', 'must be a JSON object.') },
);

/** What a request form holds after validation (defaults filled, ticket number canonical). */
export type TicketInput = z.infer<typeof TicketInputSchema>;
/** What a caller may send: defaults may be left out. */
export type TicketInputRaw = z.input<typeof TicketInputSchema>;

export interface FieldIssue {
  /** Dotted path, e.g. "shipping.address.postalCode" or "systems[2].points.from". */
  field: string;
  message: string;
}
