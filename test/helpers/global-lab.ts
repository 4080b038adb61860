// One practice lab per test run, built on first use: globalSetup only reserves its directory, the
// first test that calls sharedLab() builds it (under a lock, other workers wait), and globalSetup's
// teardown removes it at the end of the run, also after failures. Tests read its sources and never
// change them; tests that merge receive into pools of their own.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { forgetDeadTestPools, removeStaleTestLeftovers } from './stale-runs.ts';
import { startZfsWatchdog } from './zfs-watchdog.ts';
import { recordRunEvent } from './run-events.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    labRunDir: string;
  }
}

let runDir = '';
let stopWatchdog: (() => void) | null = null;

export async function setup(project: TestProject): Promise<void> {
  // On a fresh machine nothing runs zfs-fuse yet, and test helpers that make their own pools call
  // zpool directly: start it once here, before any test, so no file depends on running after one
  // that happened to go through the engine.
  const { ensureZfs } = await import('../../electron/system/zfs/daemon.ts');
  const { restartZfsFuse, zfsFuseWedged } = await import('./zfs-fuse-recovery.ts');
  // A zfs-fuse left deadlocked by an earlier run on this machine may still answer zpool but hang
  // every file access: every test would time out. Start afresh.
  // Asked twice: one slow answer on a busy machine is not a deadlock.
  const wedged = (await zfsFuseWedged()) && (await zfsFuseWedged());
  if (wedged) {
    console.warn(`test setup: zfs-fuse is stuck (${wedged}); restarting it`);
    await restartZfsFuse(`test setup: ${wedged}`);
    recordRunEvent(`setup restarted zfs-fuse, stuck from before the run: ${wedged}`);
  }
  await ensureZfs();
  const stale = await removeStaleTestLeftovers();
  if (stale.length) {
    console.warn(`test setup: removed what a killed earlier run left: ${stale.join(', ')}`);
    recordRunEvent(`setup removed what a killed earlier run left: ${stale.join(', ')}`);
  }
  await forgetDeadTestPools();
  stopWatchdog = startZfsWatchdog();
  runDir = mkdtempSync(join(tmpdir(), 'rt-sharedlab-'));
  project.provide('labRunDir', runDir);
}

export async function teardown(): Promise<void> {
  stopWatchdog?.();
  const dir = join(runDir, 'lab');
  if (existsSync(join(dir, 'lab.json'))) {
    process.env.ROUNDTRIP_HOME ??= join(runDir, 'home');
    const { labDown } = await import('../../electron/lab/down.ts');
    await labDown({ dir });
  }
  rmSync(runDir, { recursive: true, force: true });
}
