// Drives registered with the engine explicitly: loop devices that stand in for USB drives, which
// drivelist does not list. Whoever attaches them (the lab, a test) registers them here; drive
// enumeration reads the registry and shows them as lab drives. Stored in `lab-drives.json` under
// the app's home, as before the registry moved here from lab/.
import { existsSync, readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { appPath } from '../system/paths.ts';

export interface RegisteredDrive {
  device: string;
  backingFile: string;
  label: string;
  sizeBytes: number;
  /** The lab directory that made it. */
  labDir: string;
}

/** The registry's file; the hot-plug watcher polls it too. */
export function registryFile(): string {
  return appPath('lab-drives.json');
}

export function readRegisteredDrives(): RegisteredDrive[] {
  const f = registryFile();
  if (!existsSync(f)) return [];
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as RegisteredDrive[];
  } catch {
    return [];
  }
}

function writeRegisteredDrives(drives: RegisteredDrive[]): void {
  const f = registryFile();
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f + '.tmp', JSON.stringify(drives, null, 2));
  renameSync(f + '.tmp', f);
}

/** Registers drives (the lab's, a test's); replaces entries with the same device. */
export function registerDrives(drives: RegisteredDrive[]): void {
  const devs = new Set(drives.map((d) => d.device));
  writeRegisteredDrives([...readRegisteredDrives().filter((d) => !devs.has(d.device)), ...drives]);
}

export function unregisterDrives(devices: string[]): void {
  const devs = new Set(devices);
  writeRegisteredDrives(readRegisteredDrives().filter((d) => !devs.has(d.device)));
}
