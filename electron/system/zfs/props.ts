// User properties ("module:property") — where RoundTrip keeps facts that travel with a dataset.
import { AppError } from '../../api/errors.ts';
import { zfs } from './exec.ts';
import { assertDatasetName, assertSnapshotName, assertUserPropName } from './names.ts';
import { parseGetRows } from './parse.ts';

function assertTarget(name: string): void {
  if (name.includes('@')) assertSnapshotName(name);
  else assertDatasetName(name);
}

/** Locally set and inherited user properties of a dataset or snapshot. */
export async function getUserProps(name: string): Promise<Record<string, string>> {
  assertTarget(name);
  const r = await zfs(['get', '-Hp', '-o', 'name,property,value', 'all', name], `read the properties of ${name}`);
  const out: Record<string, string> = {};
  for (const row of parseGetRows(r.stdout)) if (row.property.includes(':') && row.value !== '-') out[row.property] = row.value;
  return out;
}

export async function setUserProp(name: string, prop: string, value: string): Promise<void> {
  assertTarget(name);
  assertUserPropName(prop);
  if (/[\n\0]/.test(value)) throw new AppError('BAD_INPUT', `The value for ${prop} must be a single line of text.`);
  await zfs(['set', `${prop}=${value}`, name], `set ${prop} on ${name}`);
}

export async function inheritUserProp(name: string, prop: string): Promise<void> {
  assertTarget(name);
  assertUserPropName(prop);
  await zfs(['inherit', prop, name], `clear ${prop} on ${name}`);
}

/** Any native property, raw (`-p`: exact numbers). */
export async function getProp(name: string, prop: string): Promise<string> {
  assertTarget(name);
  const r = await zfs(['get', '-Hp', '-o', 'value', prop, name], `read ${prop} of ${name}`);
  return r.stdout.trim();
}

export async function setProp(name: string, prop: string, value: string): Promise<void> {
  assertTarget(name);
  if (!/^[a-z][a-z0-9_]*$/.test(prop)) throw new AppError('BAD_NAME', `"${prop}" is not a ZFS property name.`);
  await zfs(['set', `${prop}=${value}`, name], `set ${prop} on ${name}`);
}
