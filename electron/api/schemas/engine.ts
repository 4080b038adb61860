// The engine itself and the lab in the contract. Pure.
import { z } from 'zod';
import { loose } from './common.ts';

export const engineMethods = {
  'engine.ping': { params: z.object({}).strict(), result: z.object({ pong: z.literal(true), pid: z.number() }).strict() },
  'engine.info': {
    params: z.object({}).strict(),
    result: z
      .object({
        version: z.string(),
        host: z.enum(['cli', 'serve', 'stdio', 'electron', 'test']),
        pid: z.number(),
        root: z.boolean(),
        zfs: loose({}),
      })
      .strict(),
  },
  'zfs.probe': { params: z.object({}).strict(), result: loose({}) },
  'lab.status': {
    params: z.object({ dir: z.string().min(1).max(4096).optional() }).strict(),
    result: loose({ dir: z.string(), up: z.boolean(), healthy: z.boolean(), systems: z.array(loose({ name: z.string() })) }),
  },
} as const;
