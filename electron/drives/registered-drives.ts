// Drives registered with the engine explicitly: loop devices that stand in for USB drives, which
// drivelist does not list. Whoever attaches them (the lab, a test) registers them here; drive
// enumeration reads the registry and shows them as lab drives. Stored in `lab-drives.json` under
// the app's home, as before the registry moved here from lab/.
import { appPath } from '../system/paths.ts';
import { readJsonFile, writeJsonFile } from '../system/json-file.ts';

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
  return readJsonFile<RegisteredDrive[]>(registryFile(), []);
}

/** Registers drives (the lab's, a test's); replaces entries with the same device. */
export function registerDrives(drives: RegisteredDrive[]): void {
  const devs = new Set(drives.map((d) => d.device));
  writeJsonFile(registryFile(), [...readRegisteredDrives().filter((d) => !devs.has(d.device)), ...drives]);
}

export function unregisterDrives(devices: string[]): void {
  const devs = new Set(devices);
  writeJsonFile(registryFile(), readRegisteredDrives().filter((d) => !devs.has(d.device)));
}
