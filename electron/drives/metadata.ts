// The unit's own description, metadata.json on the RTMETA partition of every drive of the unit, so
// any bench can recognise and import a unit without our database (PRODUCT.md, "What a received
// drive looks like"). The sync job adds its manifest next to it on the same partition.
import { mkdtempSync, readFileSync, rmdirSync, writeFileSync, openSync, fsyncSync, closeSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../system/run.ts';
import type { Layout } from './types.ts';

export const METADATA_FILE = 'metadata.json';

export interface UnitMember {
  index: number;
  serial: string | null;
  model: string | null;
  sizeBytes: number;
}

export interface UnitMetadata {
  format: 'roundtrip-unit';
  version: 1;
  unitId: string;
  label: string;
  ticketId: string | null;
  layout: Layout;
  createdAt: string;
  /** This drive's place in the unit (1-based) and how many drives the unit has. */
  drive: UnitMember & { device: string; count: number; dataPartition: { number: 2; partLabel: string; fsType: string; fsLabel: string | null } };
  members: UnitMember[];
  /** ZFS layout only: the pool striped over every member's data partition. */
  pool: { name: string; guid: string | null } | null;
}

export async function withMounted<T>(partition: string, readOnly: boolean, fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-meta-'));
  try {
    await run('mount', ['-t', 'ext4', '-o', `${readOnly ? 'ro,' : ''}nosuid,nodev,noexec`, partition, dir], { op: `mount the metadata partition ${partition}` });
    try {
      return await fn(dir);
    } finally {
      await run('umount', [dir], { op: `unmount the metadata partition ${partition}`, okCodes: [32] });
    }
  } finally {
    // Never recursive: if the unmount failed, the directory still shows the drive's files.
    try {
      rmdirSync(dir);
    } catch {
      /* left for the technician; harmless */
    }
  }
}

export async function writeUnitMetadata(metaPartition: string, doc: UnitMetadata): Promise<void> {
  await withMounted(metaPartition, false, (dir) => {
    const tmp = join(dir, METADATA_FILE + '.tmp');
    writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n');
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(dir, METADATA_FILE));
  });
}

export async function readUnitMetadata(metaPartition: string): Promise<UnitMetadata> {
  return withMounted(metaPartition, true, (dir) => JSON.parse(readFileSync(join(dir, METADATA_FILE), 'utf8')) as UnitMetadata);
}
