import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
    projects: [
      {
        // Pure code (no sockets, no processes, no timing): files run in parallel.
        extends: true,
        test: {name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}', 'test/engine/**/*.test.ts'], sequence: {groupOrder: 0}},
      },
      {
        // Commands in-process, the spawned binary and real servers measure latency and rates on
        // this 2-core machine: one file at a time, so no test's timing depends on another's load.
        // Built first (test/global-setup.ts) so the spawned binary is never stale.
        extends: true,
        test: {
          name: 'load',
          include: ['test/app/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/golden/**/*.test.ts', 'test/regression/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: false,
          sequence: {groupOrder: 1},
        },
      },
    ],
  },
})
