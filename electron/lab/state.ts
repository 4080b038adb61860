// The lab's own record of everything it made, written as each thing is made, so that `lab down`
// removes exactly that (also after a build that failed half-way) and nothing else.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabSystemKind } from './config.ts';

export interface LabSystemState {
  name: string;
  kind: LabSystemKind;
  dataset: string;
  offsiteDataset: string | null;
  localPoints: number;
  offsitePoints: number;
}

export interface LabState {
  version: 1;
  id: string;
  dir: string;
  complete: boolean;
  /** The lab directory did not exist before `lab up`, so `lab down` removes it too. */
  createdDir: boolean;
  createdAt: string;
  appliancePool: string;
  offsitePool: string;
  applianceSerial: string;
  /** Files the lab created (pool backing files, drive images). */
  files: string[];
  /** Pools the lab created. */
  pools: string[];
  /** Loop devices the lab attached, with their backing files. */
  loops: Array<{ device: string; file: string; label: string; sizeBytes: number }>;
  /** Mountpoints the lab mounted (transient; empty once built). */
  mounts: string[];
  systems: LabSystemState[];
  tickets: Array<{ id: string; title: string }>;
}

export function statePath(dir: string): string {
  return join(dir, 'lab.json');
}

export function readState(dir: string): LabState | null {
  const p = statePath(dir);
  if (!existsSync(p)) return null;
  return JSON.parse(readFileSync(p, 'utf8')) as LabState;
}

export function writeState(state: LabState): void {
  mkdirSync(state.dir, { recursive: true });
  const p = statePath(state.dir);
  writeFileSync(p + '.tmp', JSON.stringify(state, null, 2));
  renameSync(p + '.tmp', p);
}
