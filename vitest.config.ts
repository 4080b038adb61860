import { defineConfig } from 'vitest/config';

// Integration tests share one zfs-fuse daemon and the machine's loop devices; two workers on
// two cores keeps them fast without starving zfs-fuse.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/global-lab.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    env: { ROUNDTRIP_TEST: '1' },
    // The summary after vitest's own: CI's log is read from its end.
    reporters: ['default', './test/helpers/tail-summary-reporter.ts'],
  },
});
