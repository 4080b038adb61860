// Bundles the Electron shell for Electron to load: dist/electron/main.js (ESM, Node platform) and
// dist/electron/preload.cjs (one CommonJS file: a sandboxed preload may require only `electron`).
// `electron` stays external in both; everything else is bundled, so app.asar needs no node_modules.
// Usage: node scripts/build-shell.mjs [outdir]
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildShell(outdir = join(root, 'dist', 'electron')) {
  const common = { bundle: true, external: ['electron'], logLevel: 'warning', target: 'node20', sourcemap: false, absWorkingDir: root };
  await build({
    ...common,
    entryPoints: [join(root, 'electron/shell/main.ts')],
    outfile: join(outdir, 'main.js'),
    platform: 'node',
    format: 'esm',
    // Bundled CommonJS dependencies call require(); an ESM bundle gets one of its own.
    banner: { js: "import { createRequire as __rtRequire } from 'node:module'; const require = __rtRequire(import.meta.url);" },
  });
  await build({
    ...common,
    entryPoints: [join(root, 'electron/shell/preload.ts')],
    outfile: join(outdir, 'preload.cjs'),
    platform: 'browser',
    format: 'cjs',
  });
  return { main: join(outdir, 'main.js'), preload: join(outdir, 'preload.cjs') };
}

/** What the app loads: the renderer's Vite build (dist/renderer), then the shell beside it. */
export async function buildApp() {
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  return buildShell();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildShell(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`built ${out.main} and ${out.preload}`);
}
