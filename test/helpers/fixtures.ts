/** Result fixtures built from hand-chosen latencies, for report tests. */
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {buildRunResult} from '../../src/core/engine/build-run-result.js'
import type {EngineResult} from '../../src/core/engine/load-engine.js'
import type {CapacityResult} from '../../src/contracts/results/capacity-result.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {createLatencyHistogram, encodeHistogram, recordLatencyMs} from '../../src/contracts/stats/histogram.js'

export function encoded(latenciesMs: readonly number[]): string {
  const h = createLatencyHistogram()
  for (const ms of latenciesMs) recordLatencyMs(h, ms)
  return encodeHistogram(h)
}

/** One thread's result with these latencies, all status 200, over 2 s. */
export function engineResult(latenciesMs: readonly number[], overrides: Partial<EngineResult> = {}): EngineResult {
  const half = Math.ceil(latenciesMs.length / 2)
  return {
    startedAtEpochMs: Date.UTC(2026, 10, 25, 12),
    elapsedMs: 2000,
    measuredMs: 2000,
    stopReason: 'duration',
    counters: {
      sent: latenciesMs.length,
      completed: latenciesMs.length,
      httpErrors: 0,
      transportErrors: 0,
      dropped: 0,
      aborted: 0,
      warmup: 0,
      bytesSent: 1000,
      bytesReceived: 2000,
      connectionsOpened: 0,
      http2Connections: 0,
    },
    errors: {timeout: 0, refused: 0, reset: 0, dns: 0, tls: 0, other: 0},
    statusCodes: {'200': latenciesMs.length},
    errorCodes: {},
    corrected: encoded(latenciesMs),
    uncorrected: encoded(latenciesMs),
    seconds: [
      {
        second: 0,
        durationMs: 1000,
        requests: half,
        errors: 0,
        dropped: 0,
        histogram: encoded(latenciesMs.slice(0, half)),
      },
      {
        second: 1,
        durationMs: 1000,
        requests: latenciesMs.length - half,
        errors: 0,
        dropped: 0,
        histogram: encoded(latenciesMs.slice(half)),
      },
    ],
    ...overrides,
  }
}

/** A run of 100 responses at 1..100 ms (scaled), judged against the given thresholds. */
export function runResultFixture(thresholds: string[] = [], scale = 1): RunResult {
  const options = resolveRunOptions({url: 'http://127.0.0.1:8080/', flags: {connections: '4', threshold: thresholds}})
  return buildRunResult({
    options,
    results: [engineResult(Array.from({length: 100}, (_, i) => (i + 1) * scale))],
    toolVersion: '0.0.0-test',
  })
}

export function capacityResultFixture(sustainable: number | null = 388): CapacityResult {
  const step = (index: number, phase: 'ramp' | 'bisect' | 'confirm', rate: number, p99: number, passed: boolean) => ({
    index,
    phase,
    offeredRatePerSec: rate,
    achievedRatePerSec: Math.min(rate, 390),
    p50Ms: p99 / 2,
    p90Ms: p99 * 0.8,
    p99Ms: p99,
    maxMs: p99 * 1.2,
    errorRatio: 0,
    droppedRatio: 0,
    passed,
    failures: passed ? [] : ['p99<100ms'],
    durationMs: 2000,
  })
  const steps =
    sustainable === null
      ? [step(0, 'ramp', 50, 500, false), step(1, 'ramp', 25, 450, false)]
      : [
          step(0, 'ramp', 200, 14, true),
          step(1, 'ramp', 400, 180, false),
          step(2, 'bisect', 300, 30, true),
          step(3, 'bisect', 388, 70, true),
          step(4, 'confirm', 388, 72, true),
        ]
  return {
    schema: 'loadplan/capacity-result',
    version: 1,
    tool: {name: 'loadplan', version: '0.0.0-test'},
    service: 'checkout-api',
    target: 'http://127.0.0.1:8080',
    startedAt: '2026-11-25T12:00:00.000Z',
    durationMs: 12_000,
    stopReason: sustainable === null ? 'nothing-sustainable' : 'converged',
    slo: ['p99<100ms', 'errors<1%'],
    settings: {
      startRatePerSec: 200,
      growthFactor: 2,
      maxRatePerSec: 10_000,
      precision: 0.05,
      stepDurationMs: 2000,
      warmupMs: 500,
      maxDurationMs: 300_000,
      maxErrorRatio: 0.2,
    },
    sustainableRatePerSec: sustainable,
    breakingRatePerSec: sustainable === null ? 25 : 400,
    atSustainable: sustainable === null ? null : {p50Ms: 36, p90Ms: 57.6, p99Ms: 72, errorRatio: 0},
    steps,
    host: {
      vCpus: 2,
      physicalCores: 1,
      memoryGiB: 24,
      cpuModel: 'AMD EPYC',
      os: 'Debian GNU/Linux 12 (linux)',
      instanceType: 'c7g.large',
    },
    passed: sustainable !== null,
  }
}
