import {describe, expect, it} from 'vitest'
import {erlangC, queueingKnee, responseTimeRatio} from '../../src/core/capacity/erlang-c.js'
import {analyseHeadroom, type UtilisationPoint} from '../../src/core/capacity/headroom.js'
import {DataError} from '../../src/contracts/errors.js'
import {theilSen} from '../../src/contracts/stats/theil-sen.js'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'

describe('Erlang C', () => {
  it('matches the R/S table of the reference (M/M/c)', () => {
    // ../shared/reference/host-metrics.md §4.3.
    expect(responseTimeRatio(1, 0.5)).toBeCloseTo(2, 6)
    expect(responseTimeRatio(2, 0.8)).toBeCloseTo(2.78, 2)
    expect(responseTimeRatio(4, 0.9)).toBeCloseTo(2.97, 2)
    expect(responseTimeRatio(8, 0.95)).toBeCloseTo(3.11, 2)
    expect(responseTimeRatio(16, 0.85)).toBeCloseTo(1.18, 2)
    // C(1, ρ) = ρ for a single server.
    expect(erlangC(1, 0.3)).toBeCloseTo(0.3, 12)
  })

  it('puts the knee (R/S = 1.5) where the reference does', () => {
    expect(queueingKnee(1)).toBeCloseTo(0.33, 2)
    expect(queueingKnee(2)).toBeCloseTo(0.58, 2)
    expect(queueingKnee(4)).toBeCloseTo(0.75, 2)
    expect(queueingKnee(8)).toBeCloseTo(0.85, 2)
    expect(queueingKnee(16)).toBeCloseTo(0.92, 2)
  })

  it('answers at once for any number of servers (--vcpus 433880229 hung headroom: fuzz seed 1498333615)', () => {
    const startedMs = performance.now()
    const huge = queueingKnee(433_880_229)
    // The recursion would take minutes; capped, it takes milliseconds (bounded loosely for busy machines).
    expect(performance.now() - startedMs).toBeLessThan(5000)
    expect(huge).toBe(queueingKnee(4096))
    expect(huge).toBeGreaterThan(0.99)
  })
})

describe('Theil–Sen', () => {
  it('ignores an outlier that least squares would follow', () => {
    const points: Array<[number, number]> = [0, 1, 2, 3, 4, 5, 6].map((x) => [x, 10 + 2 * x])
    points[3] = [3, 100]
    const fit = theilSen(points)
    expect(fit?.slope).toBe(2)
    expect(fit?.levelAtLast).toBe(22)
  })
})

const HOUR = 3_600_000
/** A synthetic week of 1-minute periods: CPU and memory as functions of the minute. */
function week(cpu: (minute: number) => number, mem: (minute: number) => number, days = 7): UtilisationPoint[] {
  return Array.from({length: days * 24 * 60}, (_, m) => ({
    timeMs: Date.UTC(2026, 10, 1) + m * 60_000,
    cpuPct: cpu(m),
    memPct: mem(m),
  }))
}

describe('analyseHeadroom', () => {
  const base = {
    periodMs: 60_000,
    catalog: shippedCatalog,
    provider: 'aws' as const,
    region: 'us-east-1',
    families: ['m7g', 'c7g', 'r7g'],
  }

  it('finds the binding resource and the headroom factor (user-facing profile)', () => {
    // Given CPU at 20 % (flat) and memory at 30 % (flat) on an m7g.xlarge (4 vCPU, 16 GiB).
    const result = analyseHeadroom({
      ...base,
      history: week(
        () => 20,
        () => 30,
      ),
      current: {vcpu: 4, memoryGiB: 16, type: 'm7g.xlarge'},
      profile: 'user-facing',
    })
    // By hand: CPU target min(40 %, knee(4) = 75 %) = 40 % → scale 0.5; memory target 60 % → 0.5.
    // Equal scales: CPU is reported as binding; H = 1 / 0.5 = 2.
    expect(result.resources.map((r) => [r.resource, r.judged, r.targetPct])).toEqual([
      ['cpu', 20, 40],
      ['memory', 30, 60],
    ])
    expect(result.headroomFactor).toBeCloseTo(2, 9)
    expect(result.binding).toBe('cpu')
  })

  it('recommends the cheapest type that meets every target, with the cost difference', () => {
    // Given a CPU-heavy host: m7g.2xlarge (8 vCPU, 32 GiB) at 30 % CPU p95 and 10 % memory.
    const result = analyseHeadroom({
      ...base,
      history: week(
        (m) => (m % 60 < 10 ? 30 : 15),
        () => 10,
      ),
      current: {vcpu: 8, memoryGiB: 32, type: 'm7g.2xlarge'},
      profile: 'batch',
    })
    // By hand: CPU p95 = 30 % of 8 vCPUs = 2.4 vCPUs busy; memory 10 % of 32 = 3.2 GiB.
    // On 4 vCPUs: 60 % ≤ min(80 %, knee(4) = 75 %) ✓; on 2 vCPUs: 120 % ✗. Memory fits anywhere ≥ 4 GiB.
    // Cheapest 4-vCPU Graviton: c7g.xlarge at $0.145/h (m7g.xlarge $0.1632). Current m7g.2xlarge $0.3264/h.
    expect(result.rightClass).toBe('compute')
    expect(result.recommendation?.instance.type).toBe('c7g.xlarge')
    expect(result.recommendation?.projectedCpuPct).toBeCloseTo(60, 6)
    expect(result.direction).toBe('down')
    expect(result.monthlyDifferenceUsd).toBeCloseTo((0.145 - 0.3264) * 730, 6)
    expect(result.recommendation?.risk).toBe(0)
  })

  it('applies the AWS profile (p99.5 + 20 %) and scores the risk of a tight fit', () => {
    // Given CPU mostly 40 % on 4 vCPUs with 0.6 % of minutes at 70 %.
    const cpu = (m: number) => (m % 1000 < 6 ? 70 : 40)
    const result = analyseHeadroom({
      ...base,
      history: week(cpu, () => 20),
      current: {vcpu: 4, memoryGiB: 16},
      profile: 'aws',
    })
    // By hand: p99.5 = 70 % → 2.8 vCPUs busy at the judged statistic.
    expect(result.resources[0]?.judged).toBe(70)
    const pick = result.recommendation
    expect(pick).toBeDefined()
    // The pick keeps p99.5 under its target, so at most 0.5 % of minutes can exceed it: risk ≤ 2.
    expect(pick?.risk).toBeLessThanOrEqual(2)
    expect(pick?.instance.vcpu).toBeGreaterThanOrEqual(4)
  })

  it('reports a significant upward trend and its time to exhaustion', () => {
    // Given memory rising 1 pp per day from 20 %, flat CPU, over 14 days.
    const result = analyseHeadroom({
      ...base,
      history: week(
        () => 10,
        (m) => 20 + m / 1440,
        14,
      ),
      current: {vcpu: 2, memoryGiB: 8},
      profile: 'batch',
    })
    const memory = result.exhaustion.find((e) => e.resource === 'memory')
    // By hand: daily max on day 13 is 20 + 13.999 ≈ 34 %; 80 % is (80 − 34)/1 ≈ 46 days away.
    expect(memory?.significant).toBe(true)
    expect(memory?.slopePerDay).toBeCloseTo(1, 3)
    expect(memory?.days).toBeCloseTo(46, 0)
    expect(result.exhaustion.find((e) => e.resource === 'cpu')?.significant).toBe(false)
  })

  it('does not downsize while a resource reaches its target within the planning horizon (issue 18)', () => {
    // Given a m7g.2xlarge (8 vCPU, 32 GiB) with CPU at 5 % and memory rising 2 pp a day to 40 % now:
    // batch targets memory at 80 %, reached in about 20 days, within the 30-day horizon.
    const input = {
      ...base,
      history: week(
        () => 5,
        (m) => 12 + (2 * m) / 1440,
        14,
      ),
      current: {vcpu: 8, memoryGiB: 32, type: 'm7g.2xlarge'},
      profile: 'batch' as const,
    }
    const result = analyseHeadroom(input)
    expect(result.exhaustion.find((e) => e.resource === 'memory')?.days).toBeCloseTo(20, 0)
    // Judged at 30 days: 40 + 2 × 30 = 100 % of 32 GiB = 32 GiB needed against an 80 % target, so 40 GiB.
    expect(result.direction).not.toBe('down')
    expect((result.recommendation?.instance.memoryGiB ?? 0) * 0.8).toBeGreaterThanOrEqual(32 * 1.0 - 1e-9)
    expect(result.warnings.join(' ')).toContain('judged at the planning horizon (30 days)')
    // With a 10-day horizon the trend is not yet binding: today's 40 % fits a smaller type.
    expect(analyseHeadroom({...input, planningHorizonDays: 10}).direction).toBe('down')
  })

  it('carries CPU use to another type by its stress-ng speed where the table has both (arm64 vs x86)', () => {
    // m6i.large scores 1,923 bogo-ops/s on all cores, c7g.large 3,043 (the performance table):
    // 40 % busy on m6i.large is 40 × 1,923 / 3,043 = 25.28 % of a c7g.large, not 40 % (same vCPUs).
    const scores: Record<string, number> = {'m6i.large': 1923, 'c7g.large': 3043}
    const result = analyseHeadroom({
      ...base,
      families: ['c7g', 'm6i'],
      history: week(
        () => 40,
        () => 30,
      ),
      current: {vcpu: 2, memoryGiB: 8, type: 'm6i.large'},
      profile: 'aws',
      allCoresScore: (_p, type) => scores[type],
    })
    const c7g = [result.recommendation, ...result.alternatives].find((r) => r?.instance.type === 'c7g.large')
    expect(c7g?.projectedCpuPct).toBeCloseTo((40 * 1923) / 3043, 9)
  })

  it('needs 30 h of history and warns below a week', () => {
    expect(() =>
      analyseHeadroom({
        ...base,
        history: week(
          () => 1,
          () => 1,
          1,
        ),
        current: {vcpu: 2, memoryGiB: 8},
        profile: 'aws',
      }),
    ).toThrow(DataError)
    const twoDays = analyseHeadroom({
      ...base,
      history: week(
        () => 1,
        () => 1,
        2,
      ),
      current: {vcpu: 2, memoryGiB: 8},
      profile: 'aws',
    })
    expect(twoDays.warnings[0]).toContain('48 h of history')
    expect(twoDays.hours).toBe(48)
  })
})
void HOUR
