// The renderer's build: `renderer/` → `dist/renderer/`, served by `roundtrip serve` and, in the
// app, by Electron's app:// protocol. Relative asset paths so both can serve it from any root.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or eval: the pages run under a strict Content-Security-Policy.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
});
