// `npm start`: builds the renderer and the shell, then runs the app in Electron. Without an
// Electron binary it says so and points at the lab, the same screens in a browser.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';
import { buildApp } from './build-shell.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = electronBinary();
if (!bin) {
  console.error('No Electron binary is installed here (node_modules/electron has no dist/), so the desktop app cannot start: run "npm run lab" for the same UI in the browser.');
  process.exit(1);
}
await buildApp();
const child = spawn(bin, [join(root, 'dist', 'electron', 'main.js')], { cwd: root, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
