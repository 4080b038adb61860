// The messages every transport carries (WebSocket, the stdio engine's JSON lines, Electron IPC):
// a request, its answer, and events the engine pushes. Pure: the renderer imports it.
import type { SerializedError } from './errors.ts';

/** The largest message a host accepts; a longer one is refused whole, never buffered. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface RpcRequest {
  id: number | string;
  method: string;
  params?: unknown;
}

export type RpcResponse =
  | { id: number | string | null; ok: true; result: unknown }
  | { id: number | string | null; ok: false; error: SerializedError };

/** An event pushed by the engine; `event` names a member of the contract's `events`. */
export interface RpcEvent {
  event: string;
  data: unknown;
}

export type ServerMessage = RpcResponse | RpcEvent;

export function isEvent(m: ServerMessage): m is RpcEvent {
  return typeof (m as RpcEvent).event === 'string';
}

/** The answer to a message that is not a request at all (not JSON, too long, no id). */
export function protocolError(id: RpcRequest['id'] | null, code: 'BAD_INPUT' | 'UNKNOWN_VERB', message: string): RpcResponse {
  return { id, ok: false, error: { code, message } };
}
