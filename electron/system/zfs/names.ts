// Validation of pool, dataset and snapshot names before any command runs. ZFS would reject
// some of these itself, but we refuse earlier and more strictly: no shell metacharacters, no
// option-looking names, nothing a technician could mistype into a different dataset.
import { AppError } from '../../api/errors.ts';

const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const RESERVED_POOL = /^(mirror|raidz\d?|spare|log|cache|c[0-9].*)$/;
const MAX_NAME = 255;

function bad(kind: string, name: string, why: string): never {
  throw new AppError('BAD_NAME', `"${name}" is not a valid ${kind} name: ${why}.`, { data: { kind, name } });
}

export function assertPoolName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) bad('pool', String(name), 'it is empty');
  if (name.length > MAX_NAME) bad('pool', name, 'it is too long');
  if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(name)) bad('pool', name, 'it must start with a letter and hold only letters, digits, "_", "-", ".", ":"');
  if (RESERVED_POOL.test(name)) bad('pool', name, 'ZFS reserves this name');
  return name;
}

/** POOL/a/b — every component checked. */
export function assertDatasetName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) bad('dataset', String(name), 'it is empty');
  if (name.length > MAX_NAME) bad('dataset', name, 'it is too long');
  if (name.includes('@')) bad('dataset', name, 'it names a snapshot, not a dataset');
  const parts = name.split('/');
  assertPoolName(parts[0]);
  for (const p of parts.slice(1)) {
    if (!COMPONENT.test(p)) bad('dataset', name, `the part "${p}" may hold only letters, digits, "_", "-", ".", ":" and must not start with a symbol`);
  }
  return name;
}

export function assertSnapshotShortName(snap: string): string {
  if (typeof snap !== 'string' || !COMPONENT.test(snap) || snap.length > MAX_NAME) {
    bad('snapshot', String(snap), 'it may hold only letters, digits, "_", "-", ".", ":" and must not start with a symbol');
  }
  return snap;
}

/** POOL/a@snap */
export function assertSnapshotName(name: string): string {
  if (typeof name !== 'string') bad('snapshot', String(name), 'it is not text');
  const at = name.indexOf('@');
  if (at <= 0 || name.indexOf('@', at + 1) !== -1) bad('snapshot', name, 'it must look like dataset@point');
  assertDatasetName(name.slice(0, at));
  assertSnapshotShortName(name.slice(at + 1));
  return name;
}

/** User properties are "module:property" in lower case. */
export function assertUserPropName(name: string): string {
  if (!/^[a-z0-9][a-z0-9_.-]*:[a-z0-9_.:-]+$/.test(name)) {
    throw new AppError('BAD_NAME', `"${name}" is not a valid user property name: it must look like module:property in lower case.`);
  }
  return name;
}

export function splitSnapshot(name: string): { dataset: string; snap: string } {
  const at = name.indexOf('@');
  return { dataset: name.slice(0, at), snap: name.slice(at + 1) };
}
