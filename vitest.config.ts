import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Native modules (better-sqlite3, keytar) are safest in child processes.
    pool: 'forks',
    testTimeout: 30_000,
    // expect.poll waits on UI and event-driven state; this bounds how long, it asserts no timing.
    expect: { poll: { timeout: 10_000, interval: 25 } },
    hookTimeout: 30_000,
    // The two cores of CI are shared by the fake servers, the app and Chromium.
    maxWorkers: 2,
  },
});
