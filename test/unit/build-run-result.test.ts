import {describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {buildRunResult} from '../../src/core/engine/build-run-result.js'
import {renderSummary} from '../../src/report/summary-table.js'
import {MAX_ERROR_CODES} from '../../src/contracts/results/run-result.js'
import {engineResult} from '../helpers/fixtures.js'

const options = resolveRunOptions({
  url: 'http://127.0.0.1:8080/',
  flags: {
    connections: '4',
    workers: '2',
    threshold: ['p99<50ms', 'errors<1%', 'rps>=100'],
    header: ['Authorization: Bearer top-secret'],
  },
})

describe('buildRunResult', () => {
  // Worker A saw 100 fast responses (1..100 ms); worker B 100 slow ones (101..200 ms).
  const a = engineResult(Array.from({length: 100}, (_, i) => i + 1))
  const b = engineResult(
    Array.from({length: 100}, (_, i) => i + 101),
    {
      counters: {
        sent: 102,
        completed: 100,
        httpErrors: 2,
        transportErrors: 2,
        dropped: 0,
        aborted: 0,
        warmup: 0,
        bytesSent: 1000,
        bytesReceived: 2000,
        connectionsOpened: 0,
        http2Connections: 0,
      },
      statusCodes: {'200': 98, '500': 2},
      errors: {timeout: 2, refused: 0, reset: 0, dns: 0, tls: 0, other: 0},
      stopReason: 'interrupted',
    },
  )
  const result = buildRunResult({options, results: [a, b], toolVersion: '0.0.0-test'})

  it('adds counters, status codes and error classes', () => {
    expect(result.totals).toMatchObject({
      sent: 202,
      completed: 200,
      errors: 4,
      httpErrors: 2,
      transportErrors: 2,
      bytesSent: 2000,
      bytesReceived: 4000,
    })
    // By hand: 4 errors over 200 responses + 2 transport failures.
    expect(result.totals.errorRatio).toBeCloseTo(4 / 202, 12)
    expect(result.totals.requestsPerSec).toBe(100) // 200 in 2 s
    expect(result.statusCodes).toEqual({'200': 198, '500': 2})
    expect(result.errors.timeout).toBe(2)
    expect(result.stopReason).toBe('interrupted')
  })

  it('adds error codes across workers and keeps at most MAX_ERROR_CODES, the rarest counted as other', () => {
    // Worker A: codes C0..C19 once each and 'other' twice; worker B: C10..C29, C29 ten times.
    const codes = (from: number, to: number) =>
      Object.fromEntries(Array.from({length: to - from + 1}, (_, i) => [`C${from + i}`, from + i === 29 ? 10 : 1]))
    const merged = buildRunResult({
      options,
      results: [
        engineResult([1], {errorCodes: {...codes(0, 19), other: 2}}),
        engineResult([1], {errorCodes: codes(10, 29)}),
      ],
      toolVersion: '0',
    })
    const errorCodes = merged.errorCodes as Record<string, number>
    expect(Object.keys(errorCodes)).toHaveLength(MAX_ERROR_CODES)
    // By hand: A counts 20 + 2 = 22 errors, B 19 + 10 = 29: 51 over 30 named codes. Kept 23: C29 (10),
    // C10..C19 (2 each), then 12 of the codes seen once; other = A's 2 + the 7 codes left over.
    expect(errorCodes.C29).toBe(10)
    expect(errorCodes.C15).toBe(2)
    expect(Object.values(errorCodes).reduce((a, b) => a + b, 0)).toBe(51)
    expect(errorCodes.other).toBe(2 + 7)
  })

  it('merges latency exactly: percentiles of the union, not averages', () => {
    // The union is 1..200 ms: nearest-rank p50 = 100 ms, p99 = 198 ms, max 200 ms.
    expect(result.latency.corrected.count).toBe(200)
    expect(result.latency.corrected.percentilesMs['50']).toBeCloseTo(100, 0)
    expect(result.latency.corrected.percentilesMs['99']).toBeCloseTo(198, 0)
    expect(result.latency.corrected.maxMs).toBeCloseTo(200, 0)
  })

  it('merges the per-second series by second', () => {
    expect(result.seconds.map((s) => [s.second, s.requests, s.requestsPerSec])).toEqual([
      [0, 100, 100],
      [1, 100, 100],
    ])
    // Second 0 holds 1..50 and 101..150 ms: its p50 is 50 ms.
    expect(result.seconds[0]?.p50Ms).toBeCloseTo(50, 0)
  })

  it('judges thresholds against the merged result', () => {
    expect(result.thresholds.map((t) => [t.name, t.passed])).toEqual([
      ['p99', false],
      ['errors', false],
      ['rps', true],
    ])
    expect(result.passed).toBe(false)
  })

  it('redacts secrets and carries its schema version', () => {
    expect(result).toMatchObject({
      schema: 'loadplan/run-result',
      version: 1,
      tool: {name: 'loadplan', version: '0.0.0-test'},
    })
    expect(JSON.stringify(result)).not.toContain('top-secret')
    expect(result.options.scenarios[0]?.headers).toEqual({Authorization: '[redacted]'})
  })

  it('renders a summary a person can read', () => {
    const text = renderSummary(result, {color: false})
    expect(text).toMatchInlineSnapshot(`
      "loadplan run  http://127.0.0.1:8080/  2.00 s  [interrupted: partial result]
      closed model, 4 connections, 2 workers

      ┌─────────────┬────────┬────────┬────────┬────────┬────────┬────────┬────────┬─────────┐
      │ latency     │    p50 │    p90 │    p95 │    p99 │  p99.9 │    max │   mean │   stdev │
      ├─────────────┼────────┼────────┼────────┼────────┼────────┼────────┼────────┼─────────┤
      │ corrected   │ 100 ms │ 180 ms │ 190 ms │ 198 ms │ 200 ms │ 200 ms │ 101 ms │ 57.7 ms │
      │ uncorrected │ 100 ms │ 180 ms │ 190 ms │ 198 ms │ 200 ms │ 200 ms │ 101 ms │ 57.7 ms │
      └─────────────┴────────┴────────┴────────┴────────┴────────┴────────┴────────┴─────────┘

      requests   200 completed, 100.0/s, errors 4 (1.98%)
      status     200: 198, 500: 2
      transport  timeout: 2
      bytes      sent 2.00 kB (1.00 kB/s), received 4.00 kB (2.00 kB/s)

      thresholds
        ✗ FAIL  p99<50ms  p99 was 198 ms, limit < 50.0 ms
        ✗ FAIL  errors<1%  errors was 1.98%, limit < 1.00%
        ✓ pass  rps>=100  rps was 100.0/s, limit >= 100.0/s
      "
    `)
  })
})
