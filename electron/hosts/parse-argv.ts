// Minimal, predictable argv parsing: --name value, --name=value, --flag, and positionals.
// A flag followed by another flag (or nothing) is boolean. Flags listed in `booleans` never take a value.
import type { VerbArgs } from './verb.ts';

const BOOLEAN_FLAGS = new Set(['json', 'yes', 'unmount', 'resume', 'start', 'passphrase-stdin', 'force', 'help', 'keep', 'confirm-internal', 'confirm-data', 'no-eject', 'allow-internal', 'no-source', 'dry-run', 'stdio', 'no-drive-events', 'points', 'estimate', 'plan', 'no-verify', 'packing-slip', 'seal', 'unencrypted', 'unit-passphrase-stdin', 'read-only', 'no-pause-local-backups']);

export function parseArgv(argv: string[], readStdin: () => Promise<string>): { verb?: string; args: VerbArgs } {
  const positional: string[] = [];
  const flags: Record<string, string | boolean | string[]> = {};
  const put = (k: string, v: string | boolean) => {
    const prev = flags[k];
    if (prev === undefined || typeof v === 'boolean') flags[k] = v;
    else if (Array.isArray(prev)) prev.push(v as string);
    else if (typeof prev === 'string') flags[k] = [prev, v as string];
    else flags[k] = v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        put(a.slice(2, eq), a.slice(eq + 1));
        continue;
      }
      const name = a.slice(2);
      const next = argv[i + 1];
      if (!BOOLEAN_FLAGS.has(name) && next !== undefined && !next.startsWith('--')) {
        put(name, next);
        i++;
      } else put(name, true);
      continue;
    }
    positional.push(a);
  }
  const verb = positional.shift();
  return { verb, args: { positional, flags, json: flags.json === true, readStdin } };
}
