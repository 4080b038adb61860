// The points of a file sync overlap by one: while point N+1 is read and written, point N is
// proven (its images compared, checked and hashed), flushed and journaled. An image's checks read
// it again after its convert, and on two cores they cost about as much as the convert; beside the
// next convert they are nearly free (docs/files-and-images.md, Speed).
//
// The order stays the journal's: a point is settled only once the point before it is, and the next
// point's settle waits for this one, so at most one point is ever behind. A failed settle stops the
// work in progress (through `signal`) and is the error reported: it happened first.

export class OneBehind {
  private behind: Promise<void> | null = null;
  private readonly failed = new AbortController();
  /** For the work: aborts with the job's own signal (its reason kept), or with a failed settle's error. */
  readonly signal: AbortSignal;

  constructor(outer: AbortSignal) {
    this.signal = AbortSignal.any([outer, this.failed.signal]);
  }

  /**
   * Runs `work` beside the settle of the point before, then queues `settle` with its result.
   * `release` frees what the result holds when it will never be settled (the point before failed).
   */
  async next<T>(work: (signal: AbortSignal) => Promise<T>, settle: (r: T) => Promise<void>, release: (r: T) => Promise<void>): Promise<void> {
    let r: T;
    try {
      r = await work(this.signal);
    } catch (e) {
      await this.drain();
      throw e;
    }
    try {
      await this.drain();
    } catch (e) {
      await release(r).catch(() => undefined);
      throw e;
    }
    const p = settle(r);
    p.catch((e: unknown) => this.failed.abort(e));
    this.behind = p;
  }

  /** Waits for the settle in progress, if any; rejects with its failure. */
  async drain(): Promise<void> {
    const b = this.behind;
    this.behind = null;
    if (b) await b;
  }
}
