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

/**
 * Three or more sides timed in rounds: round r runs them in the r-th of all their orders (taken
 * round modulo n!). Over every n! rounds each side goes before each other side in half of them and
 * has every place in the order equally often, so no side is always the one after a given peer.
 */
export async function inRotation(round: number, sides: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  const all = orders(sides.length);
  for (const i of all[round % all.length]) await sides[i]();
}

function orders(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, i) => i)];
  const out: number[][] = [];
  for (let first = 0; first < n; first++) {
    for (const rest of orders(n - 1)) out.push([first, ...rest.map((x) => (x >= first ? x + 1 : x))]);
  }
  return out;
}
