// The drive operations' request schemas live in the engine's contract (api/schemas/drives.ts);
// re-exported here for the drive modules that validate their own input.
export { EjectRequest, FormatRequest, ListDrivesRequest, NasHostSchema } from '../api/schemas/drives.ts';
import type { z } from 'zod';
import type { EjectRequest, FormatRequest, NasHostSchema } from '../api/schemas/drives.ts';
export type FormatRequestInput = z.infer<typeof FormatRequest>;
export type EjectRequestInput = z.infer<typeof EjectRequest>;
export type NasHostInput = z.infer<typeof NasHostSchema>;
