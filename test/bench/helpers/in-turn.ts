// A peer and ours timed in pairs, taking turns at going first: the peer first in even runs, ours
// first in odd ones. On this VM the run that goes second in a pair is up to 2x slower, whichever it
// is (measured on the 2-core development VM: cp -a first 0.49-0.58 s and ours second 1.06-1.31 s;
// swapped, ours 0.48-0.53 s and cp 1.05-1.28 s). The most likely cause, its mechanism measured
// (docs/sync.md): this VM hands freed memory back to the host (free page reporting) seconds after
// it is freed; writing into such pages is about as fast as usual from one core, but 4x slower when
// both cores do it at once. The first run of a pair reuses the memory the `rm` of both trees just
// freed; the second gets what was handed back. Taking turns gives both sides the same slots.

export async function inTurn(run: number, peer: () => Promise<unknown>, ours: () => Promise<unknown>): Promise<void> {
  if (run % 2 === 0) {
    await peer();
    await ours();
  } else {
    await ours();
    await peer();
  }
}
