// electron/chain/ is pure: no node:*, nothing from electron/system/, no npm package but zod.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../../electron/chain');

describe('electron/chain purity', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    it(`${file} imports only pure modules`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
      for (const s of specs) {
        const ok = s === 'zod' || s === '../api/errors.ts' || (s.startsWith('./') && !s.includes('/', 2));
        expect(ok, `${file} imports ${s}`).toBe(true);
      }
    });
  }
});
