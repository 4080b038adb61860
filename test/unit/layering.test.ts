// Pure modules (the API contract, chain rules, the ticket model) must run in the renderer:
// no Node built-ins, nothing from system/, no npm package but zod, only JSON data from resources/.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const PURE = ['electron/api', 'electron/chain', 'electron/tickets/model'];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('layering', () => {
  it('keeps pure modules free of Node, system/ and npm packages other than zod', () => {
    const offenders: string[] = [];
    for (const d of PURE) {
      for (const f of files(join(root, d))) {
        const src = readFileSync(f, 'utf8');
        for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
          const spec = m[1] ?? m[2];
          const bad = spec.startsWith('node:') || /\/system\//.test(spec) || (!spec.startsWith('.') && spec !== 'zod');
          // Data files from resources/ are fine: the renderer's bundler inlines JSON.
          const target = join(f, '..', spec);
          const data = target.startsWith(join(root, 'resources')) && spec.endsWith('.json');
          const escapes = spec.startsWith('.') && !data && !PURE.some((p) => target.startsWith(join(root, p)));
          if (bad || escapes) offenders.push(`${relative(root, f)} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has at least one pure module in each pure folder', () => {
    for (const d of PURE) expect(files(join(root, d)).length).toBeGreaterThan(0);
  });
});
