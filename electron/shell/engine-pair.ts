// The app's engines: the privileged one, and a read-only one as the user's own process for when
// the privileged one is refused or dies, so tickets and plans stay readable (`engine --stdio
// --read-only` refuses every other method with ENGINE_READ_ONLY). Requests go to the privileged
// engine while it runs, to the read-only one otherwise. "Try again" stops the read-only engine and
// starts the privileged one again; if that fails too the read-only one comes back.
import type { RpcEvent } from '../api/wire.ts';
import type { BridgeAnswer } from './bridge.ts';
import type { EngineState } from './channels.ts';
import type { EngineLaunch } from './engine-launch.ts';
import { EngineRelay } from './engine-relay.ts';

export interface PairOptions {
  privileged: () => EngineLaunch;
  readOnly: () => EngineLaunch;
  onEvent: (e: RpcEvent) => void;
  onState: (s: EngineState) => void;
  env?: Record<string, string>;
}

export class EnginePair {
  readonly privileged: EngineRelay;
  readonly readOnly: EngineRelay;

  constructor(private readonly opts: PairOptions) {
    const report = () => opts.onState(this.state);
    // A privileged engine that dies on its own leaves the read-only one serving.
    const privilegedState = (s: EngineState) => {
      report();
      if (s.state === 'died') void this.readOnly.start();
    };
    this.privileged = new EngineRelay({ launch: opts.privileged, onEvent: opts.onEvent, onState: privilegedState, env: opts.env });
    this.readOnly = new EngineRelay({ launch: opts.readOnly, onEvent: opts.onEvent, onState: report, env: opts.env });
  }

  /** The privileged engine's state, and whether the read-only one serves meanwhile. */
  get state(): EngineState {
    const p = this.privileged.state;
    return { ...p, readOnly: p.state !== 'running' && this.readOnly.state.state === 'running' };
  }

  /** Starts the privileged engine; on a refusal or a death, the read-only one. */
  async start(): Promise<EngineState> {
    const s = await this.privileged.start();
    if (s.state === 'running') await this.readOnly.stop();
    else await this.readOnly.start();
    return this.state;
  }

  request(method: unknown, params: unknown): Promise<BridgeAnswer> {
    const to = this.privileged.state.state === 'running' || this.readOnly.state.state !== 'running' ? this.privileged : this.readOnly;
    return to.request(method, params);
  }

  /** "Try again": the privileged engine once more. */
  async retry(): Promise<EngineState> {
    await this.privileged.stop();
    return this.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.privileged.stop(), this.readOnly.stop()]);
  }
}
