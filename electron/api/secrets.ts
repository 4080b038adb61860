// Secret fields (passphrases, the SMTP password) are marked in the contract's schemas with
// `secret()`, and `redactSecrets` replaces them wherever a request is logged, journaled or kept in
// a job's record. It walks the schema beside the value, so a field is secret because the contract
// says so, not because of its name. Pure.
import { z } from 'zod';

const SECRET = new WeakSet<z.ZodType>();
export const REDACTED = '[redacted]';

/** Marks a schema as secret: its values never leave memory. */
export function secret<T extends z.ZodType>(schema: T): T {
  SECRET.add(schema);
  return schema;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  discriminator?: string;
  values?: unknown[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** True when the schema, or anything inside it, is marked secret. */
export function hasSecrets(schema: z.ZodType, seen = new Set<z.ZodType>()): boolean {
  if (SECRET.has(schema)) return true;
  if (seen.has(schema)) return false;
  seen.add(schema);
  const d = defOf(schema);
  const inner = [d.innerType, d.element, d.valueType, d.in, ...(d.options ?? []), ...Object.values(d.shape ?? {})].filter(Boolean) as z.ZodType[];
  return inner.some((s) => hasSecrets(s, seen));
}

/** The schemas a value at one place may be checked by: wrappers taken off, unions opened up. */
function checkedBy(list: z.ZodType[]): z.ZodType[] {
  return list.flatMap((schema) => {
    if (SECRET.has(schema)) return [schema];
    const d = defOf(schema);
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type) && d.innerType) return checkedBy([d.innerType]);
    if (d.type === 'pipe' && d.in) return checkedBy([d.in]);
    if (d.type === 'union') return checkedBy(d.options ?? []);
    return [schema];
  });
}

/**
 * How much of a path into a request may be shown in an error: up to the first secret field, and
 * never below it (a record's keys under a secret are the secret's own text).
 */
export function visiblePath(schema: z.ZodType, path: readonly PropertyKey[]): PropertyKey[] {
  let here = checkedBy([schema]);
  for (let i = 0; i < path.length; i++) {
    if (here.some((s) => SECRET.has(s))) return [...path.slice(0, i), '…'];
    const seg = path[i];
    const next: z.ZodType[] = [];
    for (const s of here) {
      const d = defOf(s);
      if (d.type === 'object' && d.shape && typeof seg === 'string' && Object.hasOwn(d.shape, seg)) next.push(d.shape[seg]);
      else if (d.type === 'array' && d.element) next.push(d.element);
      else if (d.type === 'record' && d.valueType) next.push(d.valueType);
    }
    if (!next.length) return [...path];
    here = checkedBy(next);
  }
  return [...path];
}

/** The option of a discriminated union whose discriminator literal is `tag`. */
function optionFor(options: z.ZodType[], discriminator: string, tag: unknown): z.ZodType | undefined {
  return options.find((o) => {
    const field = defOf(o).shape?.[discriminator];
    return field !== undefined && (defOf(field).values ?? []).includes(tag);
  });
}

/** The value with every field the schema marks secret replaced by "[redacted]". */
export function redactSecrets(schema: z.ZodType, value: unknown): unknown {
  if (value === undefined) return value;
  if (SECRET.has(schema)) return REDACTED;
  const d = defOf(schema);
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return d.innerType ? redactSecrets(d.innerType, value) : value;
    case 'pipe':
      return d.in ? redactSecrets(d.in, value) : value;
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = d.shape && Object.hasOwn(d.shape, k) ? redactSecrets(d.shape[k], v) : v;
      return out;
    }
    case 'array':
      return Array.isArray(value) && d.element ? value.map((v) => redactSecrets(d.element!, v)) : value;
    case 'record': {
      if (!value || typeof value !== 'object' || !d.valueType) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = redactSecrets(d.valueType, v);
      return out;
    }
    case 'union': {
      // The option the value is: by its discriminator where the union has one (no parse of the
      // whole value), else the first option that accepts it; a value no option takes keeps every
      // option's secrets out (redacted by each in turn).
      const options = d.options ?? [];
      const match = d.discriminator && value && typeof value === 'object' ? optionFor(options, d.discriminator, (value as Record<string, unknown>)[d.discriminator]) : options.find((o) => o.safeParse(value).success);
      if (match) return redactSecrets(match, value);
      return options.reduce<unknown>((v, o) => redactSecrets(o, v), value);
    }
    default:
      return value;
  }
}
