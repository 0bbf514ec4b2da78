import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Most tests wait on servers (PostgreSQL, emulators, hubs), not the CPU: run at least two files at
// once (vitest's default leaves a core idle, which is one worker on a 2-core machine).
const workers = Math.max(2, os.availableParallelism() - 1);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: workers,
    minWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
