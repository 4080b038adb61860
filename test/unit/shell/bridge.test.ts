// The preload's bridge and the main process's IPC guard: the exposed names are the contract's
// methods and events, listeners never see Electron's event object, a message from a forged
// sender frame is refused before the engine hears of it, and the renderer's transport over the
// bridge carries requests, answers and events for the API client.
import { describe, expect, it } from 'vitest';
import { events, methods } from '../../../electron/api/contract.ts';
import { EVENT_NAMES, METHOD_NAMES, buildBridge, type IpcRendererLike } from '../../../electron/shell/bridge.ts';
import { CHANNELS, type EngineState } from '../../../electron/shell/channels.ts';
import { ForgedSenderError, guarded, isTrustedSender } from '../../../electron/shell/sender-check.ts';
import { EngineClient } from '../../../renderer/api/client.ts';
import { bridgeTransport, type BridgeLike } from '../../../renderer/api/bridge-transport.ts';

function fakeIpc(answer: (channel: string, args: unknown[]) => unknown) {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return answer(channel, args);
    },
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l({ sender: 'ELECTRON-EVENT', senderId: 1 }, ...args));
  return { ipc, invoked, emit, listeners };
}

describe('the preload bridge', () => {
  it('exposes one function per contract method and one subscribe per event, by the contract\'s names', () => {
    const b = buildBridge(fakeIpc(() => null).ipc);
    expect(Object.keys(b).sort()).toEqual(['engine', 'events', 'methods']);
    expect(Object.keys(b.methods).sort()).toEqual(Object.keys(methods).sort());
    expect(Object.keys(b.events).sort()).toEqual(Object.keys(events).sort());
    expect(METHOD_NAMES.length).toBeGreaterThan(20);
    expect(EVENT_NAMES).toContain('drives.changed');
    for (const f of Object.values(b.methods)) expect(typeof f).toBe('function');
    expect(Object.keys(b.engine).sort()).toEqual(['onState', 'retry', 'state']);
    // Nothing of ipcRenderer leaks: no invoke, send, on or the object itself anywhere in it.
    const seen = JSON.stringify(b, (_k, v) => (typeof v === 'function' ? 'fn' : v));
    expect(seen).not.toMatch(/invoke|ipcRenderer|sendSync/);
  });

  it('sends a method call on the call channel with its name and params', async () => {
    const f = fakeIpc((channel, args) => (channel === CHANNELS.call ? { ok: true, result: { echoed: args } } : null));
    const b = buildBridge(f.ipc);
    const a = await b.methods['drives.list']({ all: true });
    expect(f.invoked).toEqual([{ channel: CHANNELS.call, args: ['drives.list', { all: true }] }]);
    expect(a).toEqual({ ok: true, result: { echoed: ['drives.list', { all: true }] } });
  });

  it('gives each subscriber its event\'s data alone, never the Electron event object, and unsubscribes', () => {
    const f = fakeIpc(() => null);
    const b = buildBridge(f.ipc);
    const got: unknown[][] = [];
    const off = b.events['ticket.changed']((...args: unknown[]) => got.push(args));
    b.events['job.log'](() => got.push(['wrong event']));
    f.emit(CHANNELS.event, { event: 'ticket.changed', data: { ticketId: 'T1', reason: 'r' } });
    expect(got).toEqual([[{ ticketId: 'T1', reason: 'r' }]]);
    off();
    f.emit(CHANNELS.event, { event: 'ticket.changed', data: { ticketId: 'T2', reason: 'r' } });
    expect(got).toHaveLength(1);
    const states: unknown[][] = [];
    b.engine.onState((...args: unknown[]) => states.push(args));
    f.emit(CHANNELS.state, { state: 'died', message: 'gone' });
    expect(states).toEqual([[{ state: 'died', message: 'gone' }]]);
  });
});

describe('the main process\'s IPC handlers', () => {
  const app = { senderFrame: { url: 'app://bench/index.html#/tickets', parent: null } };
  it('run for the app\'s own top frame', async () => {
    const calls: unknown[][] = [];
    const h = guarded((method: unknown, params: unknown) => (calls.push([method, params]), 'answered'));
    expect(h(app, 'engine.ping', {})).toBe('answered');
    expect(calls).toEqual([['engine.ping', {}]]);
  });

  it('refuse a forged sender frame before the engine hears of it', () => {
    const calls: unknown[] = [];
    const h = guarded((method: unknown) => calls.push(method));
    const forged = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'file:///home/u/index.html', parent: null } },
      { senderFrame: { url: 'app://other/index.html', parent: null } },
      { senderFrame: { url: 'app://user:pw@bench/index.html', parent: null } },
      { senderFrame: { url: 'app://bench:99/index.html', parent: null } },
      { senderFrame: { url: 'app://bench/index.html', parent: { url: 'app://bench/' } } },
      { senderFrame: { url: 'not a url', parent: null } },
      { senderFrame: null },
      {},
    ];
    for (const e of forged) {
      expect(isTrustedSender(e), JSON.stringify(e)).toBe(false);
      expect(() => h(e, 'drives.list'), JSON.stringify(e)).toThrow(ForgedSenderError);
    }
    expect(calls).toEqual([]);
  });
});

describe('the renderer\'s transport over the bridge', () => {
  function fakeBridge(state: EngineState) {
    const f = fakeIpc((channel, args) => {
      if (channel === CHANNELS.getState) return state;
      if (channel === CHANNELS.call && args[0] === 'engine.ping') return { ok: true, result: { pong: true } };
      return { ok: false, error: { code: 'UNKNOWN_VERB', message: 'no' } };
    });
    return { bridge: buildBridge(f.ipc) as unknown as BridgeLike, emit: f.emit };
  }

  it('carries calls and events for the API client while the engine runs', async () => {
    const { bridge, emit } = fakeBridge({ state: 'running', message: null });
    const client = new EngineClient(bridgeTransport(bridge));
    expect(await client.call('engine.ping', {})).toEqual({ pong: true });
    const got: unknown[] = [];
    client.on('ticket.changed', (d) => got.push(d));
    emit(CHANNELS.event, { event: 'ticket.changed', data: { ticketId: 'T9', reason: 'x' } });
    expect(got).toEqual([{ ticketId: 'T9', reason: 'x' }]);
    await expect(client.call('drives.list', {})).rejects.toMatchObject({ code: 'UNKNOWN_VERB' });
    client.close();
  });

  it('closes when the engine dies, so the client fails its calls and reconnects', async () => {
    const { bridge, emit } = fakeBridge({ state: 'running', message: null });
    const client = new EngineClient(bridgeTransport(bridge), { backoffMs: 10 });
    await client.call('engine.ping', {});
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    emit(CHANNELS.state, { state: 'died', message: 'The engine stopped.' });
    expect(statuses[0]).toBe('reconnecting');
    client.close();
  });

  it('stays usable on a read-only engine, and reconnects when the privileged engine takes over', async () => {
    const { bridge, emit } = fakeBridge({ state: 'refused', message: 'refused', readOnly: true });
    const client = new EngineClient(bridgeTransport(bridge), { backoffMs: 10 });
    expect(await client.call('engine.ping', {})).toEqual({ pong: true });
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    emit(CHANNELS.state, { state: 'running', message: null, readOnly: false });
    expect(statuses[0]).toBe('reconnecting');
    client.close();
  });
});
