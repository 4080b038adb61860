// The Electron main process's engine relay without Electron, against a real
// `roundtrip engine --stdio`: requests and answers both ways, engine events to the window, a
// refused elevation and a dead engine reported (calls then answered ENGINE_UNREACHABLE), a
// restart that recovers, and the engine gone when the relay stops or its process is killed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../../electron/api/wire.ts';
import type { EngineState } from '../../../electron/shell/channels.ts';
import type { EngineLaunch } from '../../../electron/shell/engine-launch.ts';
import { EngineRelay } from '../../../electron/shell/engine-relay.ts';
import { EnginePair } from '../../../electron/shell/engine-pair.ts';
import { forwardRequest } from '../../unit/tickets/fixtures.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'roundtrip.mjs');
const home = mkdtempSync(join(tmpdir(), 'rt-relay-home-'));
const relays: EngineRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const engine: EngineLaunch = { cmd: process.execPath, args: [BIN, 'engine', '--stdio', '--no-drive-events'], elevated: false };

function relayWith(launch: () => EngineLaunch) {
  const events: RpcEvent[] = [];
  const states: EngineState[] = [];
  const relay = new EngineRelay({ launch, onEvent: (e) => events.push(e), onState: (s) => states.push(s), env: { ROUNDTRIP_HOME: home } });
  relays.push(relay);
  return { relay, events, states };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function gone(pid: number, ms = 30_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('the engine relay (a real roundtrip engine --stdio child)', () => {
  it('relays requests and answers, the engine\'s validation errors and its events', async () => {
    const { relay, events, states } = relayWith(() => engine);
    expect(await relay.start()).toEqual({ state: 'running', message: null });
    expect(states.map((s) => s.state)).toEqual(['starting', 'running']);
    expect(await relay.request('engine.info', {})).toMatchObject({ ok: true, result: { host: 'stdio', pid: relay.pid } });
    // Nothing is checked on the way: the engine answers what the page sent.
    expect(await relay.request('disks.wipeEverything', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_VERB' } });
    expect(await relay.request('units.inspect', { device: 42 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    // Several at once come back each to its caller.
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => relay.request(i % 2 ? 'engine.ping' : 'jobs.list', {})));
    many.forEach((a, i) => expect(a.ok && (i % 2 ? (a.result as any).pong : Array.isArray(a.result))).toBe(true));

    const created = await relay.request('tickets.create', { request: forwardRequest(), actor: 'jane' });
    expect(created).toMatchObject({ ok: true });
    const id = (created as any).result.id ?? (created as any).result.ticket?.id;
    await expect.poll(() => events.filter((e) => e.event === 'ticket.changed').length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(events.find((e) => e.event === 'ticket.changed')!.data).toMatchObject({ ticketId: id ?? expect.any(String) });
  }, 90_000);

  it('reports a dead engine, answers calls ENGINE_UNREACHABLE while it is down, and recovers on restart', async () => {
    const { relay, states } = relayWith(() => engine);
    await relay.start();
    const pid = relay.pid!;
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => relay.state.state, { timeout: 10_000 }).toBe('died');
    expect(relay.state.message).toMatch(/engine stopped \(signal SIGKILL\).*Try again/);
    expect(states.at(-1)!.state).toBe('died');
    expect(await relay.request('engine.ping', {})).toMatchObject({ ok: false, error: { code: 'ENGINE_UNREACHABLE' } });

    expect(await relay.restart()).toMatchObject({ state: 'running' });
    expect(relay.pid).not.toBe(pid);
    expect(await relay.request('engine.ping', {})).toMatchObject({ ok: true, result: { pong: true } });
  }, 90_000);

  it('says so when elevation is refused (pkexec exits 126), and Try again starts the engine', async () => {
    let launch: EngineLaunch = { cmd: 'sh', args: ['-c', 'exit 126'], elevated: true };
    const { relay } = relayWith(() => launch);
    expect(await relay.start()).toMatchObject({ state: 'refused', message: expect.stringMatching(/administrator rights were refused.*Try again/) });
    expect(await relay.request('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'ENGINE_UNREACHABLE' } });
    launch = engine;
    expect(await relay.restart()).toMatchObject({ state: 'running' });
  }, 60_000);

  it('ends the engine when the relay stops, and when the relay\'s process is killed', async () => {
    const { relay } = relayWith(() => engine);
    await relay.start();
    const pid = relay.pid!;
    await relay.stop();
    expect(await gone(pid)).toBe(true);
    expect(relay.state.state).toBe('stopped');

    const host = execa(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'relay-host.ts'), BIN], { env: { ROUNDTRIP_HOME: home }, reject: false, buffer: false });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        host.stdout!.once('data', (c: Buffer) => resolve(String(c)));
        setTimeout(() => reject(new Error('the relay host did not start its engine')), 60_000).unref();
      });
      const started = JSON.parse(first) as { state: string; pid: number };
      expect(started.state).toBe('running');
      host.kill('SIGKILL');
      await host;
      // Its stdin closes with the relay's process, or the engine sees itself re-parented.
      expect(await gone(started.pid)).toBe(true);
    } finally {
      host.kill('SIGKILL');
    }
  }, 120_000);

  it('serves tickets and plans read-only while elevation is refused or the engine is dead, and Try again brings the privileged engine back', async () => {
    let privileged: EngineLaunch = { cmd: 'sh', args: ['-c', 'exit 126'], elevated: true };
    const readOnly: EngineLaunch = { cmd: process.execPath, args: [BIN, 'engine', '--stdio', '--read-only'], elevated: false };
    const states: EngineState[] = [];
    const pair = new EnginePair({ privileged: () => privileged, readOnly: () => readOnly, onEvent: () => {}, onState: (s) => states.push(s), env: { ROUNDTRIP_HOME: home } });
    try {
      expect(await pair.start()).toMatchObject({ state: 'refused', readOnly: true });
      expect(await pair.request('tickets.list', {})).toMatchObject({ ok: true });
      expect(await pair.request('engine.info', {})).toMatchObject({ ok: true, result: { pid: pair.readOnly.pid } });
      for (const m of ['drives.list', 'jobs.start', 'tickets.create', 'tickets.update', 'drives.eject']) {
        expect(await pair.request(m, {}), m).toMatchObject({ ok: false, error: { code: 'ENGINE_READ_ONLY', message: expect.stringMatching(/read-only/) } });
      }
      const readOnlyPid = pair.readOnly.pid!;

      privileged = engine;
      expect(await pair.retry()).toMatchObject({ state: 'running', readOnly: false });
      expect(await gone(readOnlyPid)).toBe(true);
      expect(await pair.request('engine.info', {})).toMatchObject({ ok: true, result: { pid: pair.privileged.pid } });
      expect(await pair.request('drives.list', {})).not.toMatchObject({ error: { code: 'ENGINE_READ_ONLY' } });

      // The privileged engine dies: the read-only one takes over by itself.
      process.kill(pair.privileged.pid!, 'SIGKILL');
      await expect.poll(() => pair.state, { timeout: 30_000 }).toMatchObject({ state: 'died', readOnly: true });
      expect(await pair.request('tickets.list', {})).toMatchObject({ ok: true });
      expect(states.some((s) => s.state === 'died' && s.readOnly)).toBe(true);
    } finally {
      await pair.stop();
    }
  }, 120_000);
});
