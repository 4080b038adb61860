// Every external command the engine starts is announced here before it runs, so a test can
// prove from the command runner itself that a request ran no tool (a refused request must not).
export interface CommandNote {
  cmd: string;
  args: readonly string[];
  op: string;
}

const observers = new Set<(c: CommandNote) => void>();

export function observeCommands(fn: (c: CommandNote) => void): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

export function noteCommand(cmd: string, args: readonly string[], op: string): void {
  for (const o of observers) o({ cmd, args, op });
}
