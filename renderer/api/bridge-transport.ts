// The renderer's transport in the desktop app: the preload's bridge (window.roundtrip, from
// electron/shell/bridge.ts) wrapped as the same text-message Connect the WebSocket offers, so the
// API client does not know which host it runs under. A request goes to the bridge's function for
// its method; events come from one subscribe per event. The connection is open while the engine
// runs and closes when it stops, so the client fails waiting calls and reconnects as it does for
// a WebSocket. Pure: the bridge is injected.
import type { Connect } from './transport.ts';

type Answer = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };
export interface EngineStateView {
  state: 'starting' | 'running' | 'refused' | 'died' | 'stopped';
  message: string | null;
  /** A read-only engine answers tickets and plans while the privileged one is not running. */
  readOnly?: boolean;
}

/** The shape of window.roundtrip. */
export interface BridgeLike {
  methods: Record<string, (params?: unknown) => Promise<Answer>>;
  events: Record<string, (fn: (data: unknown) => void) => () => void>;
  engine: {
    state(): Promise<EngineStateView>;
    onState(fn: (s: EngineStateView) => void): () => void;
    retry(): Promise<EngineStateView>;
  };
}

export function bridgeTransport(bridge: BridgeLike): Connect {
  return (h) => {
    let open = false;
    let closed = false;
    const offs: Array<() => void> = [];
    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      offs.splice(0).forEach((off) => off());
      h.onClose(reason);
    };
    // Open while an engine answers; a switch between the privileged and the read-only engine is
    // a close, so the client fails what waited and asks the jobs it follows again.
    let served: 'privileged' | 'read-only' | null = null;
    const judge = (s: EngineStateView) => {
      const now = s.state === 'running' ? 'privileged' : s.readOnly ? 'read-only' : null;
      if (now && !open && !closed) {
        open = true;
        served = now;
        h.onOpen();
      } else if (open && now !== served) close(s.message ?? `engine ${s.state}`);
      else if (!open && !now && s.state !== 'starting') close(s.message ?? `engine ${s.state}`);
    };
    for (const [name, subscribe] of Object.entries(bridge.events)) offs.push(subscribe((data) => !closed && h.onMessage(JSON.stringify({ event: name, data }))));
    offs.push(bridge.engine.onState(judge));
    void bridge.engine.state().then(judge, () => close('the app did not say how the engine is'));
    return {
      send(text) {
        const req = JSON.parse(text) as { id: number | string; method: string; params?: unknown };
        const fn = bridge.methods[req.method];
        const answer: Promise<Answer> = fn
          ? fn(req.params)
          : Promise.resolve({ ok: false, error: { code: 'UNKNOWN_VERB', message: `The engine has no method "${req.method}".` } });
        void answer.then((a) => !closed && h.onMessage(JSON.stringify({ id: req.id, ...a })));
      },
      close: () => close('closed'),
    };
  };
}
