// Starts the app for a person: the Electron shell when its binary exists, `roundtrip serve` otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { serve } from './serve.ts';

/**
 * The Electron binary the npm package installed, or null. Looked up from the package's own files
 * (path.txt names the binary under dist/): requiring 'electron' instead would try to download a
 * missing binary, printing the failed download's stack trace on a machine without network.
 */
function electronBinary(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const name = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), name);
    return name && existsSync(p) ? p : null;
  } catch {
    return null; // no package, or its binary was never downloaded
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
