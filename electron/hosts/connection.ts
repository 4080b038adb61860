// One client connection of a host that speaks the contract as text messages (serve's WebSocket,
// the stdio engine's JSON lines): each message is a request answered by `dispatch`, and every
// engine event goes out to the client. Answers and events are JSON; a message that is not JSON,
// or is too long, gets a typed error, never a stack.
import { protocolError, MAX_MESSAGE_BYTES, type RpcRequest, type ServerMessage } from '../api/wire.ts';
import { dispatch } from '../engine/dispatch.ts';
import { subscribe } from '../engine/events.ts';

export interface Connection {
  /** Handles one message from the client (one line, one WebSocket frame). */
  receive(text: string): Promise<void>;
  close(): void;
}

export interface ConnectionOptions {
  /** A read-only engine: every method outside this set is refused with ENGINE_READ_ONLY. */
  only?: ReadonlySet<string>;
}

export function openConnection(send: (m: ServerMessage) => void, opts: ConnectionOptions = {}): Connection {
  const unsubscribe = subscribe((e) => send(e));
  return {
    async receive(text) {
      if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
        send({ id: null, ok: false, error: { code: 'MESSAGE_TOO_LARGE', message: `A request may be at most ${MAX_MESSAGE_BYTES} bytes long; this one was refused unread.` } });
        return;
      }
      let req: RpcRequest;
      try {
        req = JSON.parse(text) as RpcRequest;
      } catch {
        send(protocolError(null, 'BAD_INPUT', 'The message is not JSON: send one request object per message.'));
        return;
      }
      if (opts.only && req && typeof req === 'object' && !opts.only.has(String(req.method))) {
        send({ id: req.id ?? null, ok: false, error: { code: 'ENGINE_READ_ONLY', message: `This engine runs read-only (the privileged one is not running), so it does not answer ${String(req.method)}: tickets and plans can be read, nothing can be changed.` } });
        return;
      }
      send(await dispatch(req));
    },
    close: unsubscribe,
  };
}
