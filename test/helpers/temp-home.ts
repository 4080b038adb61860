// A private ROUNDTRIP_HOME for the tests of one describe block: set before them, put back and
// removed after them. Returns the directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function useTempHome(prefix: string): string {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const prev = process.env.ROUNDTRIP_HOME;
  beforeAll(() => {
    process.env.ROUNDTRIP_HOME = home;
  });
  afterAll(() => {
    if (prev === undefined) delete process.env.ROUNDTRIP_HOME;
    else process.env.ROUNDTRIP_HOME = prev;
    rmSync(home, { recursive: true, force: true });
  });
  return home;
}
