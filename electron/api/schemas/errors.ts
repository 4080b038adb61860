// The serialized AppError as the contract carries it. Pure.
import { z } from 'zod';

export const SerializedErrorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    step: z.string().optional(),
    hint: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
