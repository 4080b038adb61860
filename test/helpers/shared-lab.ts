// The run's shared practice lab (see global-lab.ts), built by the first test that asks for it.
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { labUp } from '../../electron/lab/build.ts';
import { readState, type LabState } from '../../electron/lab/state.ts';

export async function sharedLab(): Promise<LabState> {
  const runDir = inject('labRunDir');
  const dir = join(runDir, 'lab');
  const lock = join(runDir, 'build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    const st = readState(dir);
    if (st?.complete) return st;
    return (await labUp({ dir })).state;
  } finally {
    rmdirSync(lock);
  }
}
