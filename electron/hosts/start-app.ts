// Starts the app for a person: the Electron shell when its binary exists, `roundtrip serve` otherwise.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve } from './serve.ts';

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown as string;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null; // the npm package throws when its binary was never downloaded
  }
}

export async function startApp(): Promise<void> {
  if (electronBinary()) {
    process.stderr.write('The Electron shell is not built yet on this bench; starting the browser host instead.\n');
  } else {
    process.stderr.write('No Electron binary on this machine: starting "roundtrip serve" instead.\n');
  }
  const h = await serve();
  process.stdout.write(`RoundTrip Bench is running. Open this address in a browser on this machine:\n  ${h.url}\nPress Ctrl+C to stop.\n`);
  await new Promise(() => {}); // until Ctrl+C
}
