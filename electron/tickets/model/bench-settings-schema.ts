// The bench's own settings: its name, the technicians who work at it (offered in the top bar), and
// the receiving address of each region's data center (R13, R15), which replaces the resource
// file's placeholder once a bench sets it. Pure, so the settings screen and the engine agree.
import { z } from 'zod';
import { REGIONS } from './ticket-schema.ts';

const oneLine = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .max(max, { error: `${what} may be at most ${max} characters.` })
    .regex(/^[^\0\r\n]*$/, { error: `${what} must be on one line.` });

const required = (what: string, max: number) => oneLine(what, max).min(1, { error: `${what} is required.` });

export const BenchIdentitySchema = z
  .strictObject({
    name: required("The bench's name", 80),
    technicians: z.array(required("A technician's name", 80), { error: 'The technicians are a list of names.' }).max(50, { error: 'At most 50 technicians.' }),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.technicians.forEach((t, i) => {
      const k = t.toLowerCase();
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: ['technicians', i], message: `${t} is in the list twice.` });
      seen.add(k);
    });
  });
export type BenchIdentity = z.infer<typeof BenchIdentitySchema>;

/** Until a bench names itself: no name, no technicians (the top bar then asks for a name). */
export const NO_BENCH_IDENTITY: BenchIdentity = { name: '', technicians: [] };

export const DataCenterAddressSchema = z.strictObject({
  attention: oneLine('The attention line', 120).optional(),
  organization: required('The organization', 120),
  street: z.array(required('A street line', 120), { error: 'The street is a list of lines.' }).min(1, { error: 'The street is required.' }).max(4, { error: 'At most 4 street lines.' }),
  city: required('The city', 80),
  state: oneLine('The state or county', 80).optional(),
  postalCode: required('The postal code', 20),
  country: required('The country', 80),
});
export type DataCenterAddress = z.infer<typeof DataCenterAddressSchema>;

/** Per region: an address that replaces the resource file's, or null to go back to it. */
export const DataCentersPatchSchema = z.strictObject(
  Object.fromEntries(REGIONS.map((r) => [r, DataCenterAddressSchema.nullable().optional()])) as Record<(typeof REGIONS)[number], z.ZodOptional<z.ZodNullable<typeof DataCenterAddressSchema>>>,
);
export type DataCentersPatch = z.infer<typeof DataCentersPatchSchema>;
