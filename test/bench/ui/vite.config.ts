// The range picker bench's page (ui-picker.bench.ts builds it into a temporary folder): the
// RangePicker with 10,000 points, built for production as the app's renderer would be.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: { emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
});
