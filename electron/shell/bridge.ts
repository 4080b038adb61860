// What the preload exposes to the page as `window.roundtrip`: one function per contract method
// (`methods['drives.list'](params)` → the engine's answer), one subscribe per event
// (`events['job.state'](fn)` → unsubscribe), and the engine's state with "try again". Built from
// the contract's own lists, so the names cannot drift. The page never sees ipcRenderer, and
// listeners get the data alone, never Electron's event object (it carries the sender).
import { events, methods, type EventName, type MethodName } from '../api/contract.ts';
import type { RpcResponse } from '../api/wire.ts';
import { CHANNELS, type EngineState } from './channels.ts';

/** The engine's answer to one call, without the id (the main process assigns ids). */
export type BridgeAnswer = { ok: true; result: unknown } | { ok: false; error: Extract<RpcResponse, { ok: false }>['error'] };

export interface RoundtripBridge {
  methods: Record<MethodName, (params?: unknown) => Promise<BridgeAnswer>>;
  events: Record<EventName, (fn: (data: unknown) => void) => () => void>;
  engine: {
    state(): Promise<EngineState>;
    onState(fn: (s: EngineState) => void): () => void;
    retry(): Promise<EngineState>;
  };
}

/** The parts of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function buildBridge(ipc: IpcRendererLike): RoundtripBridge {
  const eventListeners = new Map<string, Set<(data: unknown) => void>>();
  // One IPC listener for all events; each subscriber gets its event's data alone.
  ipc.on(CHANNELS.event, (_event, message) => {
    const m = message as { event?: unknown; data?: unknown } | null;
    if (!m || typeof m.event !== 'string') return;
    for (const fn of eventListeners.get(m.event) ?? []) fn(m.data);
  });
  const subscribe = (name: string) => (fn: (data: unknown) => void) => {
    if (typeof fn !== 'function') throw new TypeError('subscribe takes a function');
    let set = eventListeners.get(name);
    if (!set) eventListeners.set(name, (set = new Set()));
    set.add(fn);
    return () => void set!.delete(fn);
  };
  const call = (name: string) => (params?: unknown) => ipc.invoke(CHANNELS.call, name, params ?? {}) as Promise<BridgeAnswer>;
  return {
    methods: Object.fromEntries(METHOD_NAMES.map((m) => [m, call(m)])) as RoundtripBridge['methods'],
    events: Object.fromEntries(EVENT_NAMES.map((e) => [e, subscribe(e)])) as RoundtripBridge['events'],
    engine: {
      state: () => ipc.invoke(CHANNELS.getState) as Promise<EngineState>,
      onState(fn) {
        const listener = (_event: unknown, s: unknown) => fn(s as EngineState);
        ipc.on(CHANNELS.state, listener);
        return () => void ipc.removeListener(CHANNELS.state, listener);
      },
      retry: () => ipc.invoke(CHANNELS.retry) as Promise<EngineState>,
    },
  };
}
