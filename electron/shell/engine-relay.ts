// The main process's side of the engine child: starts `roundtrip engine --stdio` (engine-launch.ts),
// writes each window request as one JSON line with an id of its own, hands each answer back to
// its caller and each event to the window. It checks nothing the engine checks: method names and
// parameters go as the page sent them, and the engine validates every request. When the child
// refuses to start (elevation refused) or dies, every waiting call is answered ENGINE_UNREACHABLE
// and the state says why; `restart()` starts it again. `stop()` closes its stdin, which ends it.
import { createInterface } from 'node:readline';
import type { RpcEvent, ServerMessage } from '../api/wire.ts';
import { spawnTool } from '../system/run.ts';
import type { BridgeAnswer } from './bridge.ts';
import type { EngineState } from './channels.ts';
import { earlyExitMeaning, type EngineLaunch } from './engine-launch.ts';

type Child = ReturnType<typeof spawnTool>;

export interface RelayOptions {
  launch: () => EngineLaunch;
  onEvent: (e: RpcEvent) => void;
  onState: (s: EngineState) => void;
  /** Extra environment for the child (tests give it a ROUNDTRIP_HOME). */
  env?: Record<string, string>;
  /** How long the first answer may take (a password dialog is in between). */
  startTimeoutMs?: number;
}

const unreachable = (message: string): BridgeAnswer => ({ ok: false, error: { code: 'ENGINE_UNREACHABLE', message } });

export class EngineRelay {
  private child: Child | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (a: BridgeAnswer) => void>();
  private current: EngineState = { state: 'stopped', message: null };
  private stderrTail = '';
  private starting: Promise<EngineState> | null = null;

  constructor(private readonly opts: RelayOptions) {}

  get state(): EngineState {
    return this.current;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private setState(s: EngineState): void {
    this.current = s;
    this.opts.onState(s);
  }

  /** Starts the engine (if not running) and resolves once it answered, or with why it did not. */
  start(): Promise<EngineState> {
    if (this.child && this.current.state === 'running') return Promise.resolve(this.current);
    if (this.starting) return this.starting;
    this.starting = this.spawn().finally(() => (this.starting = null));
    return this.starting;
  }

  private async spawn(): Promise<EngineState> {
    const launch = this.opts.launch();
    this.setState({ state: 'starting', message: null });
    this.stderrTail = '';
    const child = spawnTool(launch.cmd, launch.args, { op: 'run the engine for the app', stdin: 'pipe', env: this.opts.env });
    this.child = child;
    let answered = false;
    createInterface({ input: child.stdout! }).on('line', (line) => this.receive(line));
    child.stderr?.on('data', (c: Buffer) => (this.stderrTail = (this.stderrTail + c.toString('utf8')).slice(-2000)));
    child.stdin?.on('error', () => {}); // a dead child's pipe: its exit says what happened
    const exited = child.then((r) => {
      if (this.child !== child) return;
      this.child = null;
      const code = typeof r.exitCode === 'number' ? r.exitCode : undefined;
      const meaning = answered ? 'died' : earlyExitMeaning(launch, code);
      const message =
        meaning === 'refused'
          ? 'The engine was not started: administrator rights were refused. Tickets and plans cannot be changed until it runs; choose "Try again" to ask again.'
          : `The engine stopped (${r.signal ? `signal ${r.signal}` : `exit ${code ?? '?'}`}). Nothing reaches the drives until it runs again; choose "Try again" to restart it.${this.stderrTail.trim() ? ` Its last words: ${this.stderrTail.trim().split('\n').slice(-1)[0]}` : ''}`;
      for (const resolve of this.pending.values()) resolve(unreachable(message));
      this.pending.clear();
      this.setState({ state: meaning, message });
    });
    const first = this.request('engine.ping', {}).then((a) => {
      if (a.ok) {
        answered = true;
        this.setState({ state: 'running', message: null });
      }
    });
    const timeout = new Promise<void>((r) => setTimeout(r, this.opts.startTimeoutMs ?? 120_000).unref());
    await Promise.race([first, exited, timeout]);
    if (!answered && this.child === child) {
      // No answer in time: stop it, and its exit tells the window.
      child.kill('SIGTERM');
      await exited;
    }
    return this.current;
  }

  private receive(line: string): void {
    let m: ServerMessage;
    try {
      m = JSON.parse(line) as ServerMessage;
    } catch {
      return; // the engine writes only JSON lines; anything else is not an answer
    }
    if ('event' in m && typeof m.event === 'string') {
      this.opts.onEvent(m);
      return;
    }
    const r = m as Extract<ServerMessage, { ok: boolean }>;
    if (typeof r.id !== 'number') return;
    const resolve = this.pending.get(r.id);
    if (!resolve) return;
    this.pending.delete(r.id);
    resolve(r.ok ? { ok: true, result: r.result } : { ok: false, error: r.error });
  }

  /** Sends one request as the page made it; the engine validates it. */
  request(method: unknown, params: unknown): Promise<BridgeAnswer> {
    const child = this.child;
    if (!child?.stdin || child.stdin.destroyed) return Promise.resolve(unreachable(this.current.message ?? 'The engine is not running.'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.stdin!.write(JSON.stringify({ id, method, params }) + '\n');
    });
  }

  /** Stops the child (if any) and starts it again. */
  async restart(): Promise<EngineState> {
    await this.stop();
    return this.start();
  }

  /** Closes the engine's stdin: it cancels its jobs cleanly and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    child.stdin?.end();
    await child;
    for (const resolve of this.pending.values()) resolve(unreachable('The engine was stopped.'));
    this.pending.clear();
    this.setState({ state: 'stopped', message: null });
  }
}
