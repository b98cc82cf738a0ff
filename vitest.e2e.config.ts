import { defineConfig } from 'vitest/config';

// Browser tests: one real server and one Chromium at a time (2 shared cores), generous timeouts.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
