// Progress of a long operation as a stream of snapshots: step, bytes done and total, rate over a
// sliding window, average rate and ETA, per item (system) and overall — emitted at a steady pace.
import { EventEmitter } from 'node:events';

export interface ProgressSnapshot {
  jobId: string;
  step: string;
  /** The system or point being worked on, when there is one. */
  item?: string;
  bytesDone: number;
  bytesTotal: number;
  itemBytesDone: number;
  itemBytesTotal: number;
  /** Bytes per second over the last `windowMs`. */
  rate: number;
  averageRate: number;
  /** Seconds left at the window rate (average rate before the window fills); null when unknown. */
  etaSeconds: number | null;
  percent: number;
  elapsedMs: number;
  /** When the snapshot was made (ms since the epoch): a client far from the engine sees how old it is. */
  at: number;
}

export class ProgressMeter extends EventEmitter {
  private samples: Array<[number, number]> = [];
  private started: number;
  private step = 'starting';
  private item?: string;
  private bytesDone = 0;
  private itemDone = 0;
  private itemTotal = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly jobId: string,
    private bytesTotal: number,
    private readonly opts: { intervalMs?: number; windowMs?: number; now?: () => number } = {},
  ) {
    super();
    this.started = this.now();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  start(): this {
    this.timer = setInterval(() => this.emit('progress', this.snapshot()), this.opts.intervalMs ?? 250);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.emit('progress', this.snapshot());
  }

  setStep(step: string, item?: string, itemTotal = 0): void {
    // The item that ends, with all its bytes: between two ticks they were in no snapshot yet.
    if (this.item !== undefined && this.itemDone > 0) this.emit('progress', this.snapshot());
    this.step = step;
    this.item = item;
    this.itemDone = 0;
    this.itemTotal = itemTotal;
    this.emit('progress', this.snapshot());
  }

  setTotal(bytesTotal: number): void {
    this.bytesTotal = bytesTotal;
  }

  add(bytes: number): void {
    this.bytesDone += bytes;
    this.itemDone += bytes;
    const t = this.now();
    this.samples.push([t, this.bytesDone]);
    const windowMs = this.opts.windowMs ?? 2000;
    while (this.samples.length > 2 && t - this.samples[0][0] > windowMs) this.samples.shift();
  }

  snapshot(): ProgressSnapshot {
    const t = this.now();
    const elapsedMs = t - this.started;
    const averageRate = elapsedMs > 0 ? (this.bytesDone * 1000) / elapsedMs : 0;
    let rate = averageRate;
    if (this.samples.length >= 2) {
      const [t0, b0] = this.samples[0];
      const [t1, b1] = this.samples[this.samples.length - 1];
      if (t1 > t0) rate = ((b1 - b0) * 1000) / (t1 - t0);
    }
    // A window with no new bytes means the stream stalls: the rate falls to 0 as time passes.
    if (this.samples.length && t - this.samples[this.samples.length - 1][0] > (this.opts.windowMs ?? 2000)) rate = 0;
    const total = Math.max(this.bytesTotal, this.bytesDone);
    const left = total - this.bytesDone;
    const etaSeconds = left <= 0 ? 0 : rate > 0 ? left / rate : null;
    return {
      jobId: this.jobId,
      step: this.step,
      item: this.item,
      bytesDone: this.bytesDone,
      bytesTotal: total,
      itemBytesDone: this.itemDone,
      itemBytesTotal: Math.max(this.itemTotal, this.itemDone),
      rate,
      averageRate,
      etaSeconds,
      percent: total > 0 ? Math.min(100, (this.bytesDone * 100) / total) : 0,
      elapsedMs,
      at: Date.now(),
    };
  }
}
