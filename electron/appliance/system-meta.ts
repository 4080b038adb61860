// A protected system's description, stored in its dataset (".roundtrip/system.json") so it
// travels with every point through send/receive, and mirrored in user properties for listing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SystemMeta {
  name: string;
  kind: 'agent' | 'share';
  os?: 'windows' | 'linux';
  encrypted: boolean;
  volumes: Array<{ name: string; fs: 'ntfs' | 'ext4'; file: string; bytes: number }>;
}

export const META_DIR = '.roundtrip';
export const META_FILE = 'system.json';

export function writeSystemMeta(datasetMount: string, meta: SystemMeta): void {
  mkdirSync(join(datasetMount, META_DIR), { recursive: true });
  writeFileSync(join(datasetMount, META_DIR, META_FILE), JSON.stringify(meta, null, 2));
}

export function readSystemMeta(datasetMount: string): SystemMeta | null {
  const p = join(datasetMount, META_DIR, META_FILE);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as SystemMeta) : null;
}
