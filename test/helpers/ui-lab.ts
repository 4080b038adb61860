// The bench UI on the shared lab, for the browser tests: a private home that knows the lab's
// appliance and offsite pools, blank practice drives, `serve` in this process, and a cleanup that
// removes what the test made (its units' pools, its guards, its drives) even after a failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerSite } from '../../electron/appliance/default-sites.ts';
import type { LabState } from '../../electron/lab/state.ts';
import { serve, type ServeHandle } from '../../electron/hosts/serve.ts';
import { makeScratch, type Scratch } from './scratch.ts';
import { sharedLab } from './shared-lab.ts';
import { blankDrives, releaseGuards } from './units.ts';
import { zfsCmd } from './zfs-cmd.ts';

export interface UiLab {
  lab: LabState;
  scratch: Scratch;
  /** `serve` in this process (null when the test runs its own as a child). */
  server: ServeHandle;
  home: string;
  drives(n: number, size?: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Must be called before anything reads ROUNDTRIP_HOME in this test file's process. */
export async function startUiLab(tag: string, tickets: string[], opts: { serve?: boolean } = {}): Promise<UiLab> {
  const home = mkdtempSync(join(tmpdir(), `rt-${tag}-home-`));
  process.env.ROUNDTRIP_HOME = home;
  const lab = await sharedLab();
  registerSite({ applianceSerial: lab.applianceSerial, appliance: lab.appliancePool, offsite: lab.offsitePool, owner: `test:${tag}` });
  const scratch = makeScratch(tag);
  const server = opts.serve === false ? (null as unknown as ServeHandle) : await serve();
  return {
    lab,
    scratch,
    server,
    home,
    drives: (n, size) => blankDrives(scratch, n, size),
    async cleanup() {
      await server?.close();
      for (const t of tickets) await releaseGuards(lab, t).catch(() => undefined);
      const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
      for (const p of pools.filter((p) => tickets.some((t) => p.startsWith(`rt_${t}_`)))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
      await scratch.cleanup();
      rmSync(home, { recursive: true, force: true });
    },
  };
}


export { serveProcess } from './serve-process.ts';
