// Where the app keeps its own files. ROUNDTRIP_HOME overrides it (tests, several benches on one machine).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function appHome(): string {
  if (process.env.ROUNDTRIP_HOME) return process.env.ROUNDTRIP_HOME;
  if (process.getuid?.() === 0) return '/var/lib/roundtrip-bench';
  return join(homedir(), '.local', 'share', 'roundtrip-bench');
}

export function appPath(...parts: string[]): string {
  return join(appHome(), ...parts);
}
