// The engine's API contract: every method's request schema, in one module both sides import.
// The engine validates every request against it before doing anything (it may run as root).
import { z } from 'zod';

export const methods = {
  'engine.ping': z.object({}).strict(),
  'zfs.probe': z.object({}).strict(),
  'lab.status': z.object({ dir: z.string().min(1).optional() }).strict(),
} as const;

export type MethodName = keyof typeof methods;
export type MethodRequest<M extends MethodName> = z.infer<(typeof methods)[M]>;

export interface RpcRequest {
  id: number | string;
  method: string;
  params?: unknown;
}

export type RpcResponse =
  | { id: number | string; ok: true; result: unknown }
  | { id: number | string; ok: false; error: { code: string; message: string; hint?: string; data?: Record<string, unknown> } };
