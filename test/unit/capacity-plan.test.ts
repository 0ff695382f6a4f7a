import {describe, expect, it} from 'vitest'
import {egressFor, findInstance} from '../../src/core/catalog/catalog-lookup.js'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'
import {
  buildCapacityPlan,
  demandFromGrowth,
  instancesFor,
  type PlanCandidate,
} from '../../src/core/planning/capacity-plan.js'

const candidate = (type: string): PlanCandidate => {
  const instance = findInstance(shippedCatalog, type)
  if (!instance) throw new Error(type)
  return {instance, priceUsdPerHour: instance.priceUsdPerHour['us-east-1'] as number}
}
const start = Date.UTC(2026, 10, 15)

describe('plan arithmetic', () => {
  it('counts instances with n+k spares and across zones', () => {
    // 1000 req/s on 315 req/s per instance at 70 %: ⌈1000 / 220.5⌉ = 5.
    expect(instancesFor(1000, 315, 0.7, {kind: 'n+k', spare: 0})).toBe(5)
    expect(instancesFor(1000, 315, 0.7, {kind: 'n+k', spare: 1})).toBe(6)
    // 3 zones: any 2 must carry 5 → ⌈5/2⌉ = 3 per zone → 9.
    expect(instancesFor(1000, 315, 0.7, {kind: 'zones', zones: 3})).toBe(9)
  })

  it('works out a month by hand: growth, peak, redundancy, rounding, 730-hour cost', () => {
    // Given 1,000 req/s at peak growing 8 % a month (compound), 450 req/s measured on one c7g.large
    // (2 vCPU), 70 % target utilisation, n+1, 100 GB of storage growing 5 %/month at $0.08,
    // 20 kB per request, AWS us-east-1 egress tiers, and mean load half the peak.
    const demand = demandFromGrowth(
      {currentPeakRps: 1000, perMonth: 0.08, kind: 'compound', meanToPeak: 0.5},
      12,
      start,
    )
    const plan = buildCapacityPlan({
      demand,
      // Capacities per type as translation gives them (here: by vCPUs, to keep the hand arithmetic short).
      perInstanceRps: {'c7g.large': 450, 'c7g.xlarge': 900, 'c7g.2xlarge': 1800},
      targetUtilization: 0.7,
      redundancy: {kind: 'n+k', spare: 1},
      risk: 0.05,
      candidates: ['c7g.large', 'c7g.xlarge', 'c7g.2xlarge'].map(candidate),
      holdType: false,
      storage: {nowGB: 100, growthPerMonth: 0.05, usdPerGBMonth: 0.08, kind: 'ebs-gp3'},
      egress: {bytesPerRequest: 20_000, tiers: egressFor(shippedCatalog, 'aws', 'us-east-1')?.tiers ?? []},
    })
    const m1 = plan.months[0]
    // Month 1 is now (issue 29: it carried a month of growth, 1,080/s and 105 GB): the current
    // calendar month, peak 1000 req/s. c7g.large carries 450 × 0.7 = 315 → ⌈3.17⌉ = 4, +1 = 5 at
    // 5 × $0.0725 × 730 = $264.625. (c7g.xlarge: ⌈1000/630⌉ + 1 = 3 × $0.145 × 730 = $317.55.)
    expect(m1?.startMs).toBe(Date.UTC(2026, 10, 1))
    expect(m1?.peakRps).toBe(1000)
    expect(m1?.type).toBe('c7g.large')
    expect(m1?.instances).toBe(5)
    expect(m1?.computeUsd).toBeCloseTo(264.625, 9)
    // Storage: 100 GB now × $0.08 = $8.00; month 2: 105 GB.
    expect(m1?.storageGB).toBe(100)
    expect(m1?.storageUsd).toBeCloseTo(8, 9)
    expect(plan.months[1]?.storageGB).toBeCloseTo(105, 9)
    // Egress, in the GB of 2^30 bytes the tiers are stated in (10 TB = 10,240 GB): 500 req/s mean ×
    // 2,628,000 s × 20 kB = 2.628e13 bytes = 24,475.157 GB: 100 free + 10,140 × $0.09 +
    // 14,235.157 × $0.085 = $912.60 + $1,209.988 = $2,122.588. (In 10^9-byte GB: 26,280, 7.4 % more.)
    expect(m1?.egressGB).toBeCloseTo(24_475.15726, 4)
    expect(m1?.egressUsd).toBeCloseTo(2122.588367, 5)
    expect(m1?.totalUsd).toBeCloseTo(264.625 + 8 + 2122.588367, 5)
    // Month 4: 1000 × 1.08³ = 1259.7 → ⌈3.999⌉ = 4 + 1 = 5; month 5: 1360.5 → ⌈4.32⌉ = 5 + 1 = 6.
    expect(plan.months[3]?.instances).toBe(5)
    expect(plan.months[4]?.instances).toBe(6)
    expect(plan.events[0]).toBe('month 5: 5 → 6 × c7g.large')
    expect(plan.totals.totalUsd).toBeCloseTo(
      plan.months.reduce((s, m) => s + m.totalUsd, 0),
      9,
    )
    expect(plan.options.map((o) => o.type)[0]).toBe('c7g.large')
  })

  it('changes type only when the new one saves at least 10 % over the remaining months', () => {
    // Given c7g.large (A, $0.0725/h) and c7g.xlarge (B, twice the price) at 100 % utilisation, no
    // spares; one A-month costs u = 0.0725 × 730. Six quiet months (100 req/s: 1 A or 1 B = 2u), then
    // four busy ones.
    const months = (busy: number) =>
      [...Array(6).fill(100), ...Array(4).fill(busy)].map((rps: number, i) => ({
        month: i + 1,
        startMs: start + i,
        peakRps: rps,
        peakHi80: rps,
        peakHi95: rps,
        meanRps: rps / 2,
      }))
    const plan = (busy: number, bRps: number) =>
      buildCapacityPlan({
        demand: months(busy),
        perInstanceRps: {'c7g.large': 100, 'c7g.xlarge': bRps},
        targetUtilization: 1,
        redundancy: {kind: 'n+k', spare: 0},
        risk: 0.05,
        candidates: ['c7g.large', 'c7g.xlarge'].map(candidate),
        holdType: false,
      })
    // Busy at 2,050 req/s, B = 210 req/s: A needs 21 (21u a month), B 10 (20u). Over the horizon A
    // costs 6 + 84 = 90u and B 12 + 80 = 92u: start on A. From month 7 B would save 4u of 84u (4.8 %):
    // no change, where month-by-month cheapest would have switched.
    expect(new Set(plan(2050, 210).months.map((m) => m.type))).toEqual(new Set(['c7g.large']))
    // Busy at 450 req/s, B = 230 req/s: A needs 5 (5u), B 2 (4u); horizon A 6 + 20 = 26u, B 12 + 16 =
    // 28u: start on A. From month 5 B would cost 4 + 16 = 20u against 2 + 20 = 22u (9.1 %: stay);
    // from month 6, 2 + 16 = 18u against 1 + 20 = 21u (14.3 %): one change, a month before the busy ones.
    const switched = plan(450, 230)
    expect(switched.months.map((m) => m.type)).toEqual([...Array(5).fill('c7g.large'), ...Array(5).fill('c7g.xlarge')])
    expect(switched.events).toEqual(['month 6: 1 × c7g.large → 1 × c7g.xlarge', 'month 7: 1 → 2 × c7g.xlarge'])
  })

  it('spreads over zones and can hold one type all year', () => {
    const demand = demandFromGrowth(
      {currentPeakRps: 5000, perMonth: 100 / 5000, kind: 'linear', meanToPeak: 0.5},
      3,
      start,
    )
    // Linear, month 1 now: month m peak = 5000 × (1 + 0.02 (m − 1)) → 5000, 5100, 5200.
    expect(demand.map((d) => d.peakRps)).toEqual([5000, 5100, 5200])
    const plan = buildCapacityPlan({
      demand,
      perInstanceRps: {'m7g.xlarge': 1000, 'm7g.4xlarge': 4000},
      targetUtilization: 0.5,
      redundancy: {kind: 'zones', zones: 3},
      risk: 0.05,
      candidates: ['m7g.xlarge', 'm7g.4xlarge'].map(candidate),
      holdType: true,
    })
    // m7g.xlarge: 5000 / 500 = 10 → ⌈10/2⌉ × 3 = 15 instances, then 5100 / 500 → 11 → ⌈11/2⌉ × 3 = 18;
    // m7g.4xlarge (4000 req/s): ⌈5100/2000⌉ = 3 → ⌈3/2⌉ × 3 = 6, at four times the price.
    expect(plan.months.map((m) => [m.type, m.instances])).toEqual([
      ['m7g.xlarge', 15],
      ['m7g.xlarge', 18],
      ['m7g.xlarge', 18],
    ])
    expect(plan.events).toEqual(['month 2: 15 → 18 × m7g.xlarge'])
  })

  it('sizes by risk on the path peaks, and prints the overload chance it leaves (hand-computed)', () => {
    // 20 sample paths of one month's peak: 100, 200, …, 2000 req/s (in path order, shuffled).
    const peaks = [
      700, 100, 1900, 400, 1200, 2000, 300, 1500, 800, 1000, 200, 1800, 600, 1100, 1300, 500, 1700, 900, 1400, 1600,
    ]
    const plan = (risk: number) =>
      buildCapacityPlan({
        demand: demandFromGrowth({currentPeakRps: 1000, perMonth: 0, kind: 'compound', meanToPeak: 0.5}, 1, start),
        peakPaths: [peaks],
        risk,
        perInstanceRps: {'c7g.large': 450},
        targetUtilization: 1,
        redundancy: {kind: 'n+k', spare: 1},
        candidates: [candidate('c7g.large')],
        holdType: true,
      }).months[0]
    // Risk 10 %: at most 2 of 20 paths above → 1,800/s; ⌈1800/450⌉ = 4, + 1 = 5. With the spare used
    // up 4 × 450 = 1,800/s carry it: 1,900 and 2,000 are above (10 %); all 5 up (2,250/s): none.
    const at10 = plan(0.1)
    expect(at10?.sizedPeakRps).toBe(1800)
    expect(at10?.instances).toBe(5)
    expect(at10?.overloadProbability).toBe(0.1)
    expect(at10?.overloadProbabilityAllUp).toBe(0)
    // The range is what the month needs, spares included: P10 = the 2nd smallest path (200/s) →
    // 1 + 1 = 2; P50 the 10th (1,000/s) → 3 + 1 = 4; P90 the 18th (1,800/s) → 4 + 1 = 5; at
    // $0.0725 × 730 = $52.925 an instance.
    expect(at10?.range.instances).toEqual({p10: 2, p50: 4, p90: 5})
    expect(at10?.range.totalUsd.p10).toBeCloseTo(105.85, 9)
    expect(at10?.range.totalUsd.p50).toBeCloseTo(211.7, 9)
    expect(at10?.range.totalUsd.p90).toBeCloseTo(264.625, 9)
    // Risk 5 %: at most 1 path above → 1,900/s → 5 + 1 = 6; 5 × 450 = 2,250/s: no path above.
    const at5 = plan(0.05)
    expect(at5?.sizedPeakRps).toBe(1900)
    expect(at5?.instances).toBe(6)
    expect(at5?.overloadProbability).toBe(0)
  })

  it('adds up a 3-month cost range path by path, with the capacity uncertainty folded in (hand-computed)', () => {
    // Four paths; path i of each month shares its growth. 450 req/s per c7g.large ($52.925 a month), no spares.
    const peakPaths = [
      [400, 800, 1200, 1600],
      [500, 900, 1300, 1700],
      [600, 1000, 1400, 1800],
    ]
    const plan = (capacityFactors?: (type: string) => number[]) =>
      buildCapacityPlan({
        demand: demandFromGrowth({currentPeakRps: 1000, perMonth: 0, kind: 'compound', meanToPeak: 0.5}, 3, start),
        peakPaths,
        risk: 0.25,
        perInstanceRps: {'c7g.large': 450},
        ...(capacityFactors ? {capacityFactors} : {}),
        targetUtilization: 1,
        redundancy: {kind: 'n+k', spare: 0},
        candidates: [candidate('c7g.large')],
        holdType: true,
      })
    const unit = 0.0725 * 730
    const certain = plan()
    // Risk 25 %: the 3rd of 4 paths → 1,200/s in month 1 → 3 instances; 3 × 450 = 1,350/s leaves 1,600 above (25 %).
    expect(certain.months[0]?.instances).toBe(3)
    expect(certain.months[0]?.overloadProbability).toBe(0.25)
    // Month 1: P10 = 400/s → 1, P50 = 800/s → 2, P90 = 1,600/s → 4 instances.
    expect(certain.months[0]?.range.instances).toEqual({p10: 1, p50: 2, p90: 4})
    // Per path over the 3 months: 1+2+2 = 5, 2+2+3 = 7, 3+3+4 = 10, 4+4+4 = 12 instance-months; of
    // four totals P10 is the 1st, P50 the 2nd, P90 the 4th.
    expect(certain.totals.totalUsdRange.p10).toBeCloseTo(5 * unit, 9)
    expect(certain.totals.totalUsdRange.p50).toBeCloseTo(7 * unit, 9)
    expect(certain.totals.totalUsdRange.p90).toBeCloseTo(12 * unit, 9)
    // Path 3 finds half the capacity, path 4 twice: path 3 needs ⌈2400/450⌉ + ⌈2600/450⌉ + ⌈2800/450⌉
    // = 6 + 6 + 7 = 19, path 4 2 + 2 + 2 = 6 → totals 5, 6, 7, 19.
    const uncertain = plan(() => [1, 1, 0.5, 2])
    expect(uncertain.months[0]?.range.instances).toEqual({p10: 1, p50: 2, p90: 6})
    expect(uncertain.totals.totalUsdRange.p10).toBeCloseTo(5 * unit, 9)
    expect(uncertain.totals.totalUsdRange.p50).toBeCloseTo(6 * unit, 9)
    expect(uncertain.totals.totalUsdRange.p90).toBeCloseTo(19 * unit, 9)
    // The fleet itself is sized on the point capacity: the same 3 instances either way.
    expect(uncertain.months[0]?.instances).toBe(3)
  })
})
