// The shell's bundles as Electron loads them: scripts/build-shell.mjs builds main.js and a
// single-file CommonJS preload; the sandboxed preload may require nothing but `electron`, and
// main.js only Node built-ins and `electron` (app.asar carries no node_modules).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'rt-shell-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const requires = (code: string) => [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const imports = (code: string) => [...code.matchAll(/^\s*import\s[^'"]*["']([^"']+)["']/gm), ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);

describe('the shell bundles (scripts/build-shell.mjs)', () => {
  it('builds a preload that requires only electron, and a main that loads only electron and Node built-ins', async () => {
    const { buildShell }: any = await import(pathToFileURL(join(root, 'scripts', 'build-shell.mjs')).href);
    const b = await buildShell(out);
    const preload = readFileSync(b.preload, 'utf8');
    expect([...new Set(requires(preload))]).toEqual(['electron']);
    expect(imports(preload)).toEqual([]);
    expect(preload).toContain('exposeInMainWorld');
    // The contract's names are in it: the bridge is built from them in the sandbox.
    expect(preload).toContain('drives.list');

    const main = readFileSync(b.main, 'utf8');
    const loaded = [...new Set([...requires(main), ...imports(main)])];
    const builtin = (s: string) => s.startsWith('node:') || builtinModules.includes(s.split('/')[0]);
    expect(loaded.filter((s) => s !== 'electron' && !builtin(s))).toEqual([]);
    expect(loaded).toContain('electron');
  }, 60_000);
});
