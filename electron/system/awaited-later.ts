// A child's `done` promise is made when the child starts, but its caller awaits it only once the
// rest of the pipeline is set up (the other process started, pipe ends closed). A cancel in that
// window ends the child and rejects `done` before anything listens, which Node reports as an
// unhandled rejection (and a test run as an error) although the caller reads the result moments
// later. Marking it handled here keeps the rejection for whoever awaits it.

/** The same promise, marked as handled: its rejection still reaches every later await. */
export function awaitedLater<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
