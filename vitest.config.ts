import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Dates are formatted in UTC by broadsheet itself; pin the zone anyway so no test depends on the machine.
    env: { TZ: 'UTC' },
    // Each test file in a process of its own: tests may change the working folder (helpers/build.ts).
    pool: 'forks',
    // Most test time is spent waiting for builds, browsers and Pagefind in other processes and threads:
    // more test files than cores at once keep the cores busy. See docs/testing.md.
    maxWorkers: 4,
    // Generous limits, as a busy machine can be several times slower: a test fails on what it checks, not on time.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    reporters: ['default', './tests/helpers/skip-reporter.ts'],
  },
});
