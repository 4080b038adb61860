// Where a lab lives: the directory named with --dir, or the bench's default one. `lab up`, `lab
// status` and `lab down` all start here, so none of them imports another for it.
import { resolve } from 'node:path';
import { appPath } from '../system/paths.ts';

export function defaultLabDir(): string {
  return appPath('lab');
}

/** The lab directory to use, absolute: the one given, or the default. */
export function resolveLabDir(dir?: string): string {
  return resolve(dir ?? defaultLabDir());
}
