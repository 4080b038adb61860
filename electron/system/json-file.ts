// The app's small JSON records under its home (the drive and site registries): read whole, with a
// fallback when the file is absent or unreadable; written whole through a temporary file and a
// rename, so a reader in another process never sees half of one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function readJsonFile<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  // Each process its own temporary name: two registering at once must not write into one file.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, path);
}

/** The same, on the disk before the rename: a record that a kill -9 or a power cut must not lose or tear. */
export function writeJsonFileDurably(path: string, value: unknown): void {
  writeFileDurably(path, JSON.stringify(value));
}

/** Any file's bytes written that way: a temporary file, fsynced, renamed over `path`. */
export function writeFileDurably(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
