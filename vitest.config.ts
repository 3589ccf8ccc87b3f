import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'views/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-file.ts'],
    pool: 'forks',
    // A test file per core, and two on a two-core machine, where vitest's default (cores - 1)
    // runs one: files wait on browsers, child processes and Postgres, so two keep both cores
    // busy (the PGlite suite took 521 s with two, 670 s with one).
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    sequence: { shuffle: true },
  },
})
