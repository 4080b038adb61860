// `npm run dist`: the AppImage and the .deb (build/electron-builder.config.mjs). Packaging needs an
// Electron binary to put in them; without one it says so and fails.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronDist } from './electron-binary.mjs';
import { buildApp } from './build-shell.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = electronDist();
if (!dist) {
  console.error('No Electron binary is installed here (ELECTRON_SKIP_BINARY_DOWNLOAD or an offline machine), so there is nothing to package: run "npm run dist" where node_modules/electron has its dist/.');
  process.exit(1);
}
await buildApp();

// The engine runs under the system's node (the RunAsNode fuse is off), so it ships as its sources
// with production node_modules built for that node, not for Electron: staged in dist/engine.
const stage = join(root, 'dist', 'engine');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const p of ['bin', 'electron', 'resources', 'package.json', 'package-lock.json']) cpSync(join(root, p), join(stage, p), { recursive: true });
execFileSync('npm', ['ci', '--omit=dev'], { cwd: stage, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });

const { build, Platform } = await import('electron-builder');
const { config } = await import('../build/electron-builder.config.mjs');
await build({ targets: Platform.LINUX.createTarget(['AppImage', 'deb']), config: { ...config, electronDist: dist } });
