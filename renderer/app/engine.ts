// The one engine connection of the window. Under `roundtrip serve` it is the page's WebSocket
// (the session token comes from the page's own address); in the Electron app the preload offers
// a transport as `window.roundtrip`. Screens import `engine` and never know which.
import { EngineClient } from '../api/client.ts';
import { webSocketTransport, type Connect, type WebSocketLike } from '../api/transport.ts';
import { bridgeTransport, type BridgeLike } from '../api/bridge-transport.ts';

declare global {
  interface Window {
    /** Set by the Electron preload (electron/shell/bridge.ts): one function per method, one subscribe per event. */
    roundtrip?: BridgeLike;
  }
}

function socketUrl(): string {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`;
}

function transport(): Connect {
  if (window.roundtrip?.methods) return bridgeTransport(window.roundtrip);
  return webSocketTransport(socketUrl(), WebSocket as unknown as new (url: string) => WebSocketLike);
}

export const engine = new EngineClient(transport());
