import {XMLParser} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {compareRuns, comparisonToMarkdown, renderComparison} from '../../src/report/compare-runs.js'
import {renderCapacitySummary} from '../../src/report/capacity-summary.js'
import {capacityResultToJunit, runResultToJunit} from '../../src/report/junit.js'
import {capacityResultToMarkdown, runResultToMarkdown} from '../../src/report/markdown.js'
import {errorCodeLines} from '../../src/report/error-reasons.js'
import {renderSummary} from '../../src/report/summary-table.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import type {CapacityStep} from '../../src/contracts/results/capacity-result.js'
import {withGenerator} from '../../src/core/engine/generator-load.js'
import {capacityResultFixture, runResultFixture} from '../helpers/fixtures.js'

type Attrs = Record<string, string>
type Testcase = {name: string; classname: string; failure?: Attrs}

/**
 * Checks the JUnit shape CI systems read (the de-facto schema of Ant/Jenkins/GitLab): a
 * <testsuites> root with <testsuite> children whose tests/failures counts match their
 * <testcase>s; each testcase has name and classname; a <failure> carries a message.
 */
function parseJunit(xml: string): {suites: Attrs; suite: Attrs; cases: Testcase[]} {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true)
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testcase' || name === 'testsuite',
  }).parse(xml) as {
    testsuites: Attrs & {testsuite: Array<Attrs & {testcase: Testcase[]}>}
  }
  const suites = doc.testsuites
  expect(suites.testsuite).toHaveLength(1)
  const suite = suites.testsuite[0] as Attrs & {testcase: Testcase[]}
  const cases = suite.testcase
  for (const attrs of [suites, suite]) {
    expect(Number(attrs.tests)).toBe(cases.length)
    expect(Number(attrs.failures)).toBe(cases.filter((c) => c.failure).length)
    expect(attrs.errors).toBe('0')
    expect(Number(attrs.time)).toBeGreaterThanOrEqual(0)
  }
  expect(suite.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
  for (const c of cases) {
    expect(c.name).toBeTruthy()
    expect(c.classname).toBeTruthy()
    if (c.failure) expect(c.failure.message).toBeTruthy()
  }
  return {suites, suite, cases}
}

describe('JUnit XML', () => {
  it('makes each threshold of a run a test case; failures carry value and limit', () => {
    const result = runResultFixture(['p99<50ms', 'errors<1%', 'max <= 2s'])
    const {cases} = parseJunit(runResultToJunit(result))
    expect(cases.map((c) => [c.name, Boolean(c.failure)])).toEqual([
      ['p99<50ms', true],
      ['errors<1%', false],
      ['max <= 2s', false],
    ])
    // By hand: p99 of 1..100 ms is 99 ms.
    expect(cases[0]?.failure?.message).toBe('p99 was 99.0 ms, limit < 50.0 ms')
  })

  it('escapes names and reports capacity objectives', () => {
    const {cases, suite} = parseJunit(capacityResultToJunit(capacityResultFixture()))
    expect(suite.name).toBe('loadplan capacity checkout-api')
    expect(cases.map((c) => c.name)).toEqual([
      'a sustainable rate meets the SLO',
      'p99<100ms at 388/s',
      'errors<1% at 388/s',
    ])
    expect(cases.every((c) => !c.failure)).toBe(true)
    const failed = parseJunit(capacityResultToJunit(capacityResultFixture(null)))
    expect(failed.cases.map((c) => Boolean(c.failure))).toEqual([true, true, false])
    expect(failed.cases[1]?.failure?.message).toBe('p99<100ms not met at 25/s')
  })
})

describe('Markdown', () => {
  it('summarises a run compactly', () => {
    expect(runResultToMarkdown(runResultFixture(['p99<50ms', 'errors<1%']))).toMatchInlineSnapshot(`
      "### loadplan run: http://127.0.0.1:8080/ ❌ failed

      Closed model, 2.00 s, started 2026-11-25T12:00:00.000Z.

      | requests | rate | errors | dropped | p50 | p90 | p99 | max | p99 uncorrected |
      |---:|---:|---:|---:|---:|---:|---:|---:|---:|
      | 100 | 50.0/s | 0 (0.00%) | 0 | 50.0 ms | 90.0 ms | 99.0 ms | 100 ms | 99.0 ms |

      | threshold | value | limit | result |
      |---|---:|---:|---|
      | \`p99<50ms\` | 99.0 ms | < 50.0 ms | ❌ fail |
      | \`errors<1%\` | 0.00% | < 1.00% | ✅ pass |
      "
    `)
  })

  it('summarises a capacity search', () => {
    expect(capacityResultToMarkdown(capacityResultFixture())).toMatchInlineSnapshot(`
      "### loadplan capacity: checkout-api ✅ 388/s sustainable

      SLO \`p99<100ms\`, \`errors<1%\`; breaks at 400/s; c7g.large.

      | step | phase | offered | achieved | p50 | p99 | errors | verdict |
      |---:|---|---:|---:|---:|---:|---:|---|
      | 1 | ramp | 200/s | 200.0/s | 7.00 ms | 14.0 ms | 0.00% | ✅ |
      | 2 | ramp | 400/s | 390.0/s | 90.0 ms | 180 ms | 0.00% | ❌ p99<100ms |
      | 3 | bisect | 300/s | 300.0/s | 15.0 ms | 30.0 ms | 0.00% | ✅ |
      | 4 | bisect | 388/s | 388.0/s | 35.0 ms | 70.0 ms | 0.00% | ✅ |
      | 5 | confirm | 388/s | 388.0/s | 36.0 ms | 72.0 ms | 0.00% | ✅ |
      "
    `)
  })
})

describe('capacity summary', () => {
  it('names the sustainable and the breaking rate', () => {
    const text = renderCapacitySummary(capacityResultFixture(), {color: false})
    expect(text).toMatch(/sustainable {2}388\/s \(p99 72\.0 ms, errors 0\.00%\)/)
    expect(text).toMatch(/breaks at {4}400\/s/)
    // Where loadplan ran and where the service ran are two lines, not one mixed one (issue 18).
    expect(text).toMatch(/host {9}2 vCPUs, .* \(where loadplan ran\)/)
    expect(text).toContain('service on   c7g.large (--instance-type)')
    const calibration = {
      schema: 'loadplan/calibration',
      version: 1,
      measuredAt: '2026-11-30T00:00:00.000Z',
      stressngVersion: '0.15.06',
      method: 'div16',
      durationSec: 20,
      cpuModel: 'AMD EPYC',
      cores: 2,
      singleCore: 2750,
      allCores: 5600,
    } as const
    const fixture = capacityResultFixture()
    const calibrated = renderCapacitySummary(
      {...fixture, host: {...fixture.host, instanceType: undefined}, serviceHost: {calibration}},
      {color: false},
    )
    expect(calibrated).toContain(
      'service on   a calibrated host: AMD EPYC, 2 vCPUs, stress-ng div16 5600 bogo-ops/s on all cores (--service-host)',
    )
    expect(renderCapacitySummary(capacityResultFixture(null), {color: false})).toContain('no sustainable rate')
  })

  it('marks a step measured on a saturated load generator as unreliable, and a search that never broke as a lower bound (issue 18)', () => {
    const base = capacityResultFixture()
    const steps = base.steps.map((step, i) =>
      withGenerator(step, i === 1 ? {cpuPct: 97, eventLoopLagP99Ms: 4} : {cpuPct: 40, eventLoopLagP99Ms: 2}, 1),
    )
    expect(steps[0]?.unreliable).toBeUndefined()
    expect(steps[0]?.generator).toEqual({cpuPct: 40, eventLoopLagP99Ms: 2})
    // 97 % of one core ≥ 90 %: saturated. With 2 workers the same CPU is 48.5 % per core: not.
    expect(steps[1]?.unreliable).toMatch(/^the load generator was saturated \(CPU 97% of one core/)
    expect(
      withGenerator(base.steps[1] as CapacityStep, {cpuPct: 97, eventLoopLagP99Ms: 4}, 2).unreliable,
    ).toBeUndefined()
    expect(withGenerator(base.steps[1] as CapacityStep, {cpuPct: 10, eventLoopLagP99Ms: 25}, 1).unreliable).toContain(
      'event-loop lag p99 25.0 ms',
    )
    const text = renderCapacitySummary({...base, steps, stopReason: 'max-rate'}, {color: false})
    expect(text).toMatch(/✗ p99<100ms \(unreliable\)/)
    expect(text).toContain('step 2 unreliable: the load generator was saturated')
    expect(text).toContain('reached --max-rate without breaking the SLO: the sustainable rate is a lower bound')
  })

  it('says a USL fit with a poor R² is not to be used (issue 18: R² 0.014 was used without a warning)', () => {
    const fit = {
      sigma: 0.1,
      kappa: 0.001,
      lambda: 100,
      rSquared: 0.014,
      rmse: 50,
      peakConcurrency: 30,
      peakThroughput: 900,
      optimalConcurrency: 10,
      optimalThroughput: 500,
      limitThroughput: 1000,
    }
    const sweep = [1, 2, 4].map((concurrency) => ({concurrency, throughput: 100 * concurrency, p99Ms: 10}))
    const poor = renderCapacitySummary({...capacityResultFixture(), usl: {sweep, fit}}, {color: false})
    expect(poor).toContain(
      'the fit explains little of the measurements (R² 0.014 < 0.8): do not size on σ, κ or the peak',
    )
    expect(
      renderCapacitySummary({...capacityResultFixture(), usl: {sweep, fit: {...fit, rSquared: 0.97}}}, {color: false}),
    ).not.toContain('explains little')
  })
})

describe('compareRuns', () => {
  const withP99 = (p99Scale: number, errorRatio = 0): RunResult => {
    const result = runResultFixture([], p99Scale)
    return {...result, totals: {...result.totals, errorRatio}}
  }

  it('flags p99 worse by more than the allowed ratio', () => {
    // By hand: p99 99 ms → 113.9 ms (×1.15) is +15 % > 10 %; ×1.05 is +5 %.
    expect(compareRuns(withP99(1), withP99(1.15), 0.1).regressed).toBe(true)
    expect(compareRuns(withP99(1), withP99(1.05), 0.1).regressed).toBe(false)
    expect(compareRuns(withP99(1), withP99(0.5), 0.1).regressed).toBe(false)
  })

  it('flags the error ratio, ignoring changes under 0.1 percentage point', () => {
    expect(compareRuns(withP99(1, 0), withP99(1, 0.0005), 0.1).regressed).toBe(false)
    expect(compareRuns(withP99(1, 0.01), withP99(1, 0.012), 0.1).regressed).toBe(true) // +20 %, +0.2 pp
    expect(compareRuns(withP99(1, 0.01), withP99(1, 0.0105), 0.1).regressed).toBe(false) // +5 %
  })

  it('prints the side-by-side table', () => {
    const comparison = compareRuns(withP99(1), withP99(1.15), 0.1)
    expect(renderComparison(comparison)).toMatchInlineSnapshot(`
      "metric       baseline  current  change  verdict (>10% worse)
      p50           50.0 ms  57.5 ms  +15.0%
      p90           90.0 ms   104 ms  +15.0%
      p99           99.0 ms   114 ms  +15.0%  REGRESSION
      max            100 ms   115 ms  +15.0%
      requests/s     50.0/s   50.0/s   +0.0%
      error ratio     0.00%    0.00%     ±0%  ok
      "
    `)
    expect(comparisonToMarkdown(comparison)).toContain('| p99 | 99.0 ms | 114 ms | +15.0% | ❌ regression |')
  })
})

describe('transport error reasons', () => {
  it('names the TLS failure (self-signed, expired, wrong host) with the way out, in the summary and in Markdown', () => {
    const result: RunResult = {
      ...runResultFixture(),
      errorCodes: {
        ERR_TLS_CERT_ALTNAME_INVALID: 3,
        CERT_HAS_EXPIRED: 136,
        DEPTH_ZERO_SELF_SIGNED_CERT: 7,
        E_SOMETHING_NEW: 1,
      },
    }
    const lines = errorCodeLines(result.errorCodes, String)
    expect(lines).toEqual([
      'CERT_HAS_EXPIRED ×136: certificate has expired; --insecure skips certificate checks (for test servers only)',
      'DEPTH_ZERO_SELF_SIGNED_CERT ×7: self-signed certificate; --insecure skips certificate checks (for test servers only)',
      'ERR_TLS_CERT_ALTNAME_INVALID ×3: certificate is for another host name; use the name the certificate was issued for, or --insecure skips certificate checks (for test servers only)',
      'E_SOMETHING_NEW ×1',
    ])
    expect(renderSummary(result, {color: false})).toContain('           CERT_HAS_EXPIRED ×136: certificate has expired')
    expect(runResultToMarkdown(result)).toContain('- DEPTH_ZERO_SELF_SIGNED_CERT ×7: self-signed certificate')
    expect(errorCodeLines(undefined, String)).toEqual([]) // results saved before errorCodes existed
  })
})
