// The renderer's API client: typed calls and event subscriptions over an injected transport,
// reconnecting with back-off when the engine goes away, and catching up on the jobs it follows
// after a reconnect (it asks for their state again, so a UI never shows a stale job). Pure: it
// imports only the contract, so it runs in the browser, in Electron's renderer and in tests.
import type { EventData, EventName, MethodName, MethodParams, MethodResult } from '../../electron/api/contract.ts';
import type { SerializedError } from '../../electron/api/errors.ts';
import type { JobView } from '../../electron/api/schemas/jobs.ts';
import { isEvent, type ServerMessage } from '../../electron/api/wire.ts';
import type { Connect, Transport } from './transport.ts';

export type ClientStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** An error the engine answered with, or ENGINE_UNREACHABLE when the call never got an answer. */
export class EngineError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly step?: string;
  readonly data?: Record<string, unknown>;
  constructor(e: Omit<SerializedError, 'code'> & { code: string }) {
    super(e.message);
    this.name = 'EngineError';
    this.code = e.code;
    this.hint = e.hint;
    this.step = e.step;
    this.data = e.data;
  }
}

export interface ClientOptions {
  /** First wait before a reconnect; doubled each failed try up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Calls wait at most this long for their answer. */
  callTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

type Listener<E extends EventName> = (data: EventData<E>) => void;

interface Pending {
  resolve(v: unknown): void;
  reject(e: EngineError): void;
  timer: unknown;
}

export class EngineClient {
  private transport: Transport | null = null;
  private statusNow: ClientStatus = 'connecting';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Calls made while not connected, sent once the connection opens (by id, so a timeout takes one back). */
  private readonly queue = new Map<number, string>();
  private readonly listeners = new Map<EventName, Set<Listener<never>>>();
  private readonly statusListeners = new Set<(s: ClientStatus) => void>();
  /** Jobs a screen follows: asked for again after every reconnect. */
  private readonly followed = new Map<string, number>();
  private backoff: number;
  private reconnectTimer: unknown = null;
  private stopped = false;
  private readonly opts: Required<ClientOptions>;

  constructor(
    private readonly connect: Connect,
    opts: ClientOptions = {},
  ) {
    this.opts = {
      backoffMs: opts.backoffMs ?? 250,
      maxBackoffMs: opts.maxBackoffMs ?? 5000,
      callTimeoutMs: opts.callTimeoutMs ?? 120_000,
      setTimer: opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)),
    };
    this.backoff = this.opts.backoffMs;
    this.open(false);
  }

  get status(): ClientStatus {
    return this.statusNow;
  }

  onStatus(fn: (s: ClientStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    if (this.stopped) return Promise.reject(new EngineError({ code: 'ENGINE_UNREACHABLE', message: 'The connection to the engine was closed.' }));
    const id = this.nextId++;
    const text = JSON.stringify({ id, method, params });
    return new Promise<MethodResult<M>>((resolve, reject) => {
      const timer = this.opts.setTimer(() => {
        this.pending.delete(id);
        // Not sent yet: it never will be (the screen was told it failed).
        this.queue.delete(id);
        reject(new EngineError({ code: 'ENGINE_UNREACHABLE', message: `The engine did not answer ${method} in time.` }));
      }, this.opts.callTimeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      if (this.statusNow === 'open' && this.transport) this.transport.send(text);
      else this.queue.set(id, text);
    });
  }

  on<E extends EventName>(event: E, fn: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => set!.delete(fn as Listener<never>);
  }

  /**
   * Follows one job: its state and progress as they come, and its state asked for again after a
   * reconnect (events sent while the client was away are not replayed; the job's view is).
   */
  followJob(jobId: string, fn: { state?: (job: JobView) => void; progress?: Listener<'job.progress'>; log?: Listener<'job.log'> }): () => void {
    this.followed.set(jobId, (this.followed.get(jobId) ?? 0) + 1);
    const offs = [
      this.on('job.state', (d) => d.jobId === jobId && fn.state?.(d.job)),
      this.on('job.progress', (d) => d.jobId === jobId && fn.progress?.(d)),
      this.on('job.log', (d) => d.jobId === jobId && fn.log?.(d)),
    ];
    const catchUp = (job: JobView) => fn.state?.(job);
    const offCatchUp = this.onCatchUp(jobId, catchUp);
    return () => {
      offs.forEach((o) => o());
      offCatchUp();
      const n = (this.followed.get(jobId) ?? 1) - 1;
      if (n <= 0) this.followed.delete(jobId);
      else this.followed.set(jobId, n);
    };
  }

  close(): void {
    this.stopped = true;
    if (this.reconnectTimer) this.opts.clearTimer(this.reconnectTimer);
    this.transport?.close();
    this.setStatus('closed');
    this.failPending('The connection to the engine was closed.');
    this.queue.clear();
  }

  // --- internals

  private readonly catchUps = new Map<string, Set<(job: JobView) => void>>();

  private onCatchUp(jobId: string, fn: (job: JobView) => void): () => void {
    let set = this.catchUps.get(jobId);
    if (!set) this.catchUps.set(jobId, (set = new Set()));
    set.add(fn);
    return () => set!.delete(fn);
  }

  private open(again: boolean): void {
    this.setStatus(again ? 'reconnecting' : 'connecting');
    this.transport = this.connect({
      onOpen: () => {
        this.backoff = this.opts.backoffMs;
        this.setStatus('open');
        for (const text of this.queue.values()) this.transport?.send(text);
        this.queue.clear();
        if (again) void this.resubscribe();
      },
      onMessage: (text) => this.receive(text),
      onClose: () => {
        this.transport = null;
        // Calls sent on the lost connection may never be answered; they fail now rather than hang.
        // (Re-sending them could start a job twice.) Calls still queued go out after the reconnect.
        this.failPending('The connection to the engine was lost before it answered.', true);
        if (this.stopped) return;
        this.setStatus('reconnecting');
        const wait = this.backoff;
        this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs);
        this.reconnectTimer = this.opts.setTimer(() => {
          this.reconnectTimer = null;
          if (!this.stopped) this.open(true);
        }, wait);
      },
    });
  }

  private async resubscribe(): Promise<void> {
    for (const jobId of this.followed.keys()) {
      try {
        const job = await this.call('jobs.get', { jobId });
        for (const fn of this.catchUps.get(jobId) ?? []) fn(job);
      } catch {
        /* the job may be gone from this bench; the screen keeps what it had */
      }
    }
  }

  private receive(text: string): void {
    let m: ServerMessage;
    try {
      m = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (isEvent(m)) {
      for (const fn of this.listeners.get(m.event as EventName) ?? []) {
        try {
          (fn as (d: unknown) => void)(m.data);
        } catch {
          /* one screen's listener must not stop the others */
        }
      }
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.opts.clearTimer(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new EngineError(m.error));
  }

  private failPending(message: string, onlySent = false): void {
    for (const [id, p] of this.pending) {
      if (onlySent && this.queue.has(id)) continue;
      this.pending.delete(id);
      this.opts.clearTimer(p.timer);
      p.reject(new EngineError({ code: 'ENGINE_UNREACHABLE', message }));
    }
  }

  private setStatus(s: ClientStatus): void {
    if (this.statusNow === s) return;
    this.statusNow = s;
    for (const fn of this.statusListeners) fn(s);
  }
}
