import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Native modules (better-sqlite3, keytar) are safest in child processes.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The two cores of CI are shared by the fake servers, the app and Chromium.
    maxWorkers: 2,
  },
});
