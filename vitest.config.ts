import {defineConfig} from 'vitest/config'

/** Tests that send load or measure time, one file at a time (see the 'load' project). */
const TIMED = [
  'test/app/capacity.test.ts',
  'test/app/run.test.ts',
  'test/app/k8s.test.ts',
  'test/app/prometheus-remote-write.test.ts',
  'test/integration/**/*.test.ts',
  'test/cli/smoke.test.ts',
  'test/cli/dashboard-tmux.test.ts',
  'test/cli/monitor-tmux.test.ts',
]

export default defineConfig({
  test: {
    // Both cores for the projects that run files in parallel (vitest's default leaves one idle).
    maxWorkers: 2,
    testTimeout: 60_000,
    globalSetup: ['test/temp-root.ts'],
    hookTimeout: 30_000,
    projects: [
      {
        // Pure code (no sockets, no processes, no timing): files run in parallel.
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/engine/**/*.test.ts'],
          sequence: {groupOrder: 0},
        },
      },
      {
        // The models against theory (the fleet simulation against queueing formulas): seconds of
        // simulation each, kept out of the unit project so that it stays a fast loop.
        extends: true,
        test: {name: 'models', include: ['test/models/**/*.test.ts'], sequence: {groupOrder: 0}},
      },
      {
        // Commands in-process and the built binary where nothing measures time: in parallel, after
        // dist/ is built (test/global-setup.ts) so that no test runs a stale build.
        extends: true,
        test: {
          name: 'app',
          include: [
            'test/app/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/golden/**/*.test.ts',
            'test/regression/**/*.test.ts',
          ],
          exclude: TIMED,
          globalSetup: ['test/global-setup.ts'],
          sequence: {groupOrder: 1},
        },
      },
      {
        // Property-based fuzzing of every parser and loader (FUZZ_RUNS=10000 for the nightly size).
        extends: true,
        test: {name: 'fuzz', include: ['test/fuzz/**/*.test.ts'], sequence: {groupOrder: 1}},
      },
      {
        // Real servers and processes measuring latency and rates on this 2-core machine: one file
        // at a time, so that no test's timing depends on another's load.
        extends: true,
        test: {name: 'load', include: TIMED, fileParallelism: false, sequence: {groupOrder: 2}},
      },
    ],
  },
})
