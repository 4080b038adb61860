// Where the Electron binary is, or null: the `electron` package names it in path.txt once its
// postinstall downloaded it (ELECTRON_SKIP_BINARY_DOWNLOAD=1 leaves neither path.txt nor dist/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

export function electronDist() {
  const bin = electronBinary();
  return bin ? dirname(bin) : null;
}
