// A private ROUNDTRIP_HOME per test file, and a clock the test moves by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTicketDb } from '../../../electron/tickets/db.ts';

export function tempHome(prefix = 'rt-tickets-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const before = process.env.ROUNDTRIP_HOME;
  process.env.ROUNDTRIP_HOME = dir;
  return {
    dir,
    cleanup() {
      closeTicketDb();
      if (before === undefined) delete process.env.ROUNDTRIP_HOME;
      else process.env.ROUNDTRIP_HOME = before;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export class TestClock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  advanceDays(d: number): void {
    this.t += d * 86_400_000;
  }
  advanceMs(ms: number): void {
    this.t += ms;
  }
}
