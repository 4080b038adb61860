// `roundtrip engine --stdio` as a child process for tests: send requests, wait for answers and
// events by what they say, keep every line it wrote (to scan for secrets), kill it.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'roundtrip.mjs');

export interface StdioEngine {
  child: ResultPromise;
  /** Every line it wrote on stdout, as written. */
  raw: string[];
  send(msg: unknown): void;
  /** Sends a request and waits for its answer. */
  request(method: string, params: unknown, timeoutMs?: number): Promise<any>;
  /** Waits for a message (answer or event) not yet taken that satisfies `match`. */
  next(match: (m: any) => boolean, timeoutMs?: number): Promise<any>;
}

/** `extra`: more engine flags; `asUser`: run it as that uid/gid (setpriv), as the app's read-only engine runs. */
export function startStdioEngine(home: string, opts: { extra?: string[]; asUser?: number } = {}): StdioEngine {
  const argv = [BIN, 'engine', '--stdio', '--no-drive-events', ...(opts.extra ?? [])];
  const [cmd, args] = opts.asUser === undefined ? ['node', argv] : ['setpriv', [`--reuid=${opts.asUser}`, `--regid=${opts.asUser}`, '--clear-groups', process.execPath, ...argv]];
  const child = execa(cmd, args, { env: { ROUNDTRIP_HOME: home }, reject: false, stdin: 'pipe', stdout: 'pipe', buffer: false });
  const raw: string[] = [];
  const pending: any[] = [];
  let wake: () => void = () => {};
  createInterface({ input: child.stdout! }).on('line', (l) => {
    raw.push(l);
    pending.push(JSON.parse(l));
    wake();
  });
  let id = 1;
  const next = async (match: (m: any) => boolean, timeoutMs = 60_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const i = pending.findIndex(match);
      if (i >= 0) return pending.splice(i, 1)[0];
      if (Date.now() > until) throw new Error(`the engine sent nothing matching in ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 250);
      });
    }
  };
  const send = (msg: unknown) => child.stdin!.write(JSON.stringify(msg) + '\n');
  return {
    child,
    raw,
    send,
    next,
    async request(method, params, timeoutMs) {
      const my = id++;
      send({ id: my, method, params });
      return next((m) => m.id === my, timeoutMs);
    },
  };
}
