// The engine's API contract: every method with the zod schema of its request and of its result,
// and every event the engine pushes. One module both sides import; the engine validates every
// request against it before doing anything (it may run as root), and its answers against the
// result schema. Pure: no Node import, so the renderer uses it as it is.
import type { z } from 'zod';
import { engineMethods } from './schemas/engine.ts';
import { driveMethods } from './schemas/drive-methods.ts';
import { ticketMethods } from './schemas/tickets.ts';
import { planMethods } from './schemas/plan.ts';
import { unitListMethods, unitMethods } from './schemas/units.ts';
import { jobMethods } from './schemas/jobs.ts';

export interface MethodSpec {
  params: z.ZodType;
  result: z.ZodType;
}

export const methods = {
  ...engineMethods,
  ...driveMethods,
  ...ticketMethods,
  ...planMethods,
  ...unitMethods,
  ...unitListMethods,
  ...jobMethods,
} as const satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof methods;
/** What a client sends (defaults may be left out). */
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** What a handler receives: the request after validation. */
export type MethodRequest<M extends MethodName> = z.infer<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;

export function isMethod(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

export { events, type EventName, type EventData } from './schemas/events.ts';
export type { RpcRequest, RpcResponse, RpcEvent, ServerMessage } from './wire.ts';
