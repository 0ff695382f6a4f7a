import {describe, expect, it} from 'vitest'
import {backtestCut, monthlyPeaks, scorePlanBacktest} from '../../src/core/planning/plan-backtest.js'
import type {CapacityPlanResult, PlanMonth} from '../../src/contracts/results/plan-document.js'

const HOUR = 3_600_000
/** Hourly observations from `fromMs` for `hours`, each hour's value from its index. */
const hourly = (fromMs: number, hours: number, value: (i: number) => number) =>
  Array.from({length: hours}, (_, i) => ({timeMs: fromMs + i * HOUR, value: value(i)}))

describe('plan backtest', () => {
  it('cuts whole months off the end and finds each month’s peak', () => {
    // 2026-01-01 to the last hour of 2026-03-31: three whole months; a 4th partial month is left out.
    const jan = Date.UTC(2026, 0, 1)
    const whole = hourly(jan, (31 + 28 + 31) * 24, (i) => 100 + (i % 24))
    expect(backtestCut(whole, 1, 'mean')).toMatchObject({cutMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 3, 1)})
    const partial = [...whole, ...hourly(Date.UTC(2026, 3, 1), 48, () => 500)]
    expect(backtestCut(partial, 2, 'mean').cutMs).toBe(Date.UTC(2026, 1, 1))
    // A spike of 900 on 2026-02-10 03:00 is February's peak; the others peak at 123 (hour 23).
    const spiked = whole.map((o) => (o.timeMs === Date.UTC(2026, 1, 10, 3) ? {...o, value: 900} : o))
    expect(monthlyPeaks(spiked, 'mean', jan, Date.UTC(2026, 3, 1))).toEqual([
      {startMs: jan, peak: 123},
      {startMs: Date.UTC(2026, 1, 1), peak: 900},
      {startMs: Date.UTC(2026, 2, 1), peak: 123},
    ])
  })

  it('scores each month against what happened, by hand', () => {
    // Two months planned at 100 req/s per instance, 100 % ceiling, n+1, $50 an instance-month, no cache.
    const month = (m: number, instances: number, range: [number, number]): PlanMonth =>
      ({
        month: m,
        startMs: Date.UTC(2026, m - 1, 1),
        peakRps: 300,
        peakHi80: 300,
        peakHi95: 300,
        meanRps: 150,
        peakQuantiles: {p10: 250, p25: 280, p50: 300, p75: 330, p90: 380, p80: 360, p95: 400},
        type: 'c7g.large',
        instances,
        sizedPeakRps: 400,
        sizedForRps: 400,
        overloadProbability: 0,
        utilizationAtPeak: 1,
        range: {instances: {p10: range[0], p50: range[0], p90: range[1]}, totalUsd: {p10: 0, p50: 0, p90: 0}},
        computeUsd: 0,
        storageGB: 0,
        storageUsd: 0,
        egressGB: 0,
        egressUsd: 0,
        totalUsd: 0,
      }) as PlanMonth
    const plan = {
      risk: 0.05,
      months: [month(1, 5, [4, 5]), month(2, 5, [4, 5])],
      totals: {computeUsd: 0, storageUsd: 0, egressUsd: 0, totalUsd: 0, totalUsdRange: {p10: 0, p50: 0, p90: 0}},
      events: [],
      options: [
        {
          type: 'c7g.large',
          vcpu: 2,
          perInstanceRps: 100,
          horizonComputeUsd: 0,
          firstMonthInstances: 5,
          lastMonthInstances: 5,
        },
      ],
    } as CapacityPlanResult
    // Month 1 peaked at 290/s: inside P25–P75, needs ⌈2.9⌉ + 1 = 4 (inside 4–5), 1 instance-month
    // bought beyond it. Month 2 at 450/s: above P90, needs 5 + 1 = 6 (outside 4–5), 1 short; the
    // fleet without its spare carries 400/s: overloaded.
    const scored = scorePlanBacktest(
      plan,
      [
        {startMs: Date.UTC(2026, 0, 1), peak: 290},
        {startMs: Date.UTC(2026, 1, 1), peak: 450},
      ],
      {targetUtilization: 1, redundancy: {kind: 'n+k', spare: 1}, unitUsdPerMonth: () => 50},
    )
    expect(
      scored.months.map((m) => [m.inside80, m.inside50, m.neededInstances, m.neededInsideRange, m.overloaded]),
    ).toEqual([
      [true, true, 4, true, false],
      [false, false, 6, false, true],
    ])
    expect(scored.summary).toMatchObject({
      months: 2,
      coverage80: 0.5,
      coverage50: 0.5,
      neededInsideRange: 0.5,
      overProvisionedInstanceMonths: 1,
      underProvisionedInstanceMonths: 1,
      overloadedMonths: 1,
      computeUsd: 500,
      neededComputeUsd: 500,
    })
    // |300 − 290| / 290 = 3.4 %, |300 − 450| / 450 = 33 %: the lower median of two is 3.4 %.
    expect(scored.summary.medianAbsErrorP50).toBeCloseTo(10 / 290, 9)
  })
})
