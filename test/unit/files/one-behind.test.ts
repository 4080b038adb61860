// The order a file sync keeps while a point settles beside the next one's copy: settles one at a
// time and in order, never more than one behind, and a failed settle stops the copy in progress
// and is the error the technician sees.
import { describe, it, expect } from 'vitest';
import { OneBehind } from '../../../electron/jobs/files/one-behind.ts';

/** A promise and the functions that end it, for steering the order by hand. */
function gate<T = void>() {
  let open!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const p = new Promise<T>((res, rej) => {
    open = res;
    fail = rej;
  });
  return { p, open, fail };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('points settled one behind', () => {
  it('copies the next point while the one before settles, and settles them one at a time, in order', async () => {
    const b = new OneBehind(new AbortController().signal);
    const log: string[] = [];
    const settle1 = gate();
    await b.next(async () => log.push('copy 1'), async () => {
      log.push('settle 1 start');
      await settle1.p;
      log.push('settle 1 end');
    }, async () => undefined);
    // Point 2 is copied while point 1 is still settling; its settle waits for point 1's.
    const second = b.next(async () => {
      log.push('copy 2');
      await tick();
      log.push('copy 2 end');
    }, async () => {
      log.push('settle 2');
    }, async () => undefined);
    await tick();
    await tick();
    expect(log).toEqual(['copy 1', 'settle 1 start', 'copy 2', 'copy 2 end']);
    settle1.open();
    await second;
    await b.drain();
    expect(log).toEqual(['copy 1', 'settle 1 start', 'copy 2', 'copy 2 end', 'settle 1 end', 'settle 2']);
  });

  it('a settle that fails stops the copy in progress, and its error is the one reported', async () => {
    const b = new OneBehind(new AbortController().signal);
    const settle1 = gate();
    await b.next(async () => 'p1', () => settle1.p, async () => undefined);
    let stoppedBy: unknown = null;
    const second = b.next(
      (signal) =>
        new Promise((_res, rej) => {
          signal.addEventListener('abort', () => {
            stoppedBy = signal.reason;
            rej(new Error('copy stopped'));
          });
        }),
      async () => undefined,
      async () => undefined,
    );
    const mismatch = Object.assign(new Error('image of p1 differs'), { code: 'VERIFY_MISMATCH' });
    settle1.fail(mismatch);
    await expect(second).rejects.toBe(mismatch);
    expect(stoppedBy).toBe(mismatch);
  });

  it('frees a copied point that will never settle because the one before failed', async () => {
    const b = new OneBehind(new AbortController().signal);
    const settle1 = gate();
    await b.next(async () => 'p1', () => settle1.p, async () => undefined);
    const released: string[] = [];
    const settled: string[] = [];
    const second = b.next(async () => 'p2', async (r) => void settled.push(r), async (r) => void released.push(r));
    await tick();
    settle1.fail(new Error('flush of p1 failed'));
    await expect(second).rejects.toThrow('flush of p1 failed');
    expect(released).toEqual(['p2']);
    expect(settled).toEqual([]);
  });

  it("a copy that fails on its own waits for the point before, and reports its own error when that one settled", async () => {
    const b = new OneBehind(new AbortController().signal);
    const settle1 = gate();
    let settled1 = false;
    await b.next(async () => 'p1', async () => {
      await settle1.p;
      settled1 = true;
    }, async () => undefined);
    const second = b.next(async () => {
      throw new Error('unit full');
    }, async () => undefined, async () => undefined);
    await tick();
    expect(settled1).toBe(false);
    settle1.open();
    await expect(second).rejects.toThrow('unit full');
    expect(settled1).toBe(true);
  });

  it("passes the job's cancel on to the copy with its reason", async () => {
    const job = new AbortController();
    const b = new OneBehind(job.signal);
    const reason = new Error('drive /dev/sdx was pulled');
    job.abort(reason);
    expect(b.signal.aborted).toBe(true);
    expect(b.signal.reason).toBe(reason);
  });
});
