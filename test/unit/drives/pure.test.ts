// The drive modules the renderer may import (types, policy, descriptions, preview, names, schemas)
// stay pure: no Node built-ins, nothing that runs tools, no npm package but zod.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', '..', '..', 'electron', 'drives');
const PURE = ['types.ts', 'policy.ts', 'describe.ts', 'preview.ts', 'naming.ts', 'schemas.ts'];
const ALLOWED = new Set([...PURE.map((f) => `./${f}`), '../api/errors.ts', '../api/schemas/drives.ts', '../chain/units.ts', 'zod']);

describe('pure drive modules', () => {
  it.each(PURE)('%s imports only other pure modules and zod', (f) => {
    const src = readFileSync(join(dir, f), 'utf8');
    const specs = [...src.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
    expect(specs.filter((s) => !ALLOWED.has(s))).toEqual([]);
  });
});
