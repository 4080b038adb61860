// How the renderer's API client reaches the engine: a WebSocket under `roundtrip serve`, Electron's
// preload (window.roundtrip) in the app. The client knows only this interface.
export interface TransportHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  onClose(reason: string): void;
}

export interface Transport {
  send(text: string): void;
  close(): void;
}

/** Opens one connection; the client calls it again to reconnect. */
export type Connect = (handlers: TransportHandlers) => Transport;

/** The WebSocket constructor of a browser (or `ws` in Node), injected so this module stays pure. */
export interface WebSocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export function webSocketTransport(url: string, WebSocketImpl: new (url: string) => WebSocketLike): Connect {
  return (h) => {
    const ws = new WebSocketImpl(url);
    let closed = false;
    const closeOnce = (reason: string) => {
      if (closed) return;
      closed = true;
      h.onClose(reason);
    };
    ws.onopen = () => h.onOpen();
    ws.onmessage = (ev) => h.onMessage(typeof ev.data === 'string' ? ev.data : String(ev.data));
    ws.onclose = (ev) => closeOnce(`closed${ev?.code ? ` (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})` : ''}`);
    ws.onerror = () => closeOnce('connection failed');
    return {
      send: (text) => ws.send(text),
      close: () => ws.close(),
    };
  };
}
