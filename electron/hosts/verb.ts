// What one CLI verb is. Each verb lives in its own file under hosts/verbs/ and is listed in
// hosts/verbs/index.ts; the CLI host parses, dispatches and prints.

export interface VerbArgs {
  /** Positional words after the verb (and after a sub-verb, for verbs that have them). */
  positional: string[];
  /** --flag value / --flag (true); repeated flags collect into arrays. */
  flags: Record<string, string | boolean | string[]>;
  json: boolean;
  /** Standard input, for --passphrase-stdin and imports; read only on demand. */
  readStdin(): Promise<string>;
}

export interface VerbResult {
  /** The one JSON document printed with --json. */
  json: unknown;
  /** What a person reads without --json. */
  human: string;
  /** Non-zero when the verb ran but found a problem (verify mismatch, tampered audit log). */
  exitCode?: number;
}

export interface Verb {
  name: string;
  summary: string;
  usage: string;
  run(args: VerbArgs): Promise<VerbResult>;
}

export function flagString(args: VerbArgs, name: string): string | undefined {
  const v = args.flags[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === 'string' ? v : undefined;
}

export function flagList(args: VerbArgs, name: string): string[] {
  const v = args.flags[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

export function flagBool(args: VerbArgs, name: string): boolean {
  return args.flags[name] === true || args.flags[name] === 'true';
}
