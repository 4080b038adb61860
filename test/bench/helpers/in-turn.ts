// A peer and ours timed in pairs, taking turns at going first: the peer first in even runs, ours
// first in odd ones. On this VM the run that goes second in a pair is up to 2x slower, whichever it
// is (measured 2026-12-01: cp -a first 0.49-0.58 s and ours second 1.06-1.31 s; swapped, ours
// 0.48-0.53 s and cp 1.05-1.28 s). The cause is not pinned down (the first run follows the `rm` of
// both trees and reuses the memory it freed); taking turns gives both sides the same slots.

export async function inTurn(run: number, peer: () => Promise<unknown>, ours: () => Promise<unknown>): Promise<void> {
  if (run % 2 === 0) {
    await peer();
    await ours();
  } else {
    await ours();
    await peer();
  }
}
