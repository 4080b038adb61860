// The lab's loop drives, registered with the engine (drivelist does not list loop devices).
// `lab up` writes the registry; drive enumeration reads it and shows those drives as lab drives.
import { existsSync, readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { appPath } from '../system/paths.ts';

export interface LabDrive {
  device: string;
  backingFile: string;
  label: string;
  sizeBytes: number;
  /** The lab directory that made it. */
  labDir: string;
}

function registryFile(): string {
  return appPath('lab-drives.json');
}

export function readLabDrives(): LabDrive[] {
  const f = registryFile();
  if (!existsSync(f)) return [];
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as LabDrive[];
  } catch {
    return [];
  }
}

export function writeLabDrives(drives: LabDrive[]): void {
  const f = registryFile();
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f + '.tmp', JSON.stringify(drives, null, 2));
  renameSync(f + '.tmp', f);
}

/** Register drives for tests and the lab; replaces entries with the same device. */
export function registerLabDrives(drives: LabDrive[]): void {
  const devs = new Set(drives.map((d) => d.device));
  writeLabDrives([...readLabDrives().filter((d) => !devs.has(d.device)), ...drives]);
}

export function unregisterLabDrives(devices: string[]): void {
  const devs = new Set(devices);
  writeLabDrives(readLabDrives().filter((d) => !devs.has(d.device)));
}
