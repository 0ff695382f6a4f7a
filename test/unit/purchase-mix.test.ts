/**
 * The purchase mix (issue 30, `--pricing mix`): a committed baseline never above the smallest P10
 * need, on-demand above it, spares on spot; the cheapest level. Worked by hand on three months.
 */
import {describe, expect, it} from 'vitest'
import {purchaseMix, type MixMonth} from '../../src/core/planning/purchase-mix.js'

const PRICES: Record<string, {onDemand: number; committed?: number; spot?: number}> = {
  a: {onDemand: 0.1, committed: 0.06, spot: 0.03},
  b: {onDemand: 0.2},
  dear: {onDemand: 0.1, committed: 0.11},
}
const prices = {
  onDemand: (t: string) => PRICES[t]?.onDemand as number,
  committed: (t: string) => PRICES[t]?.committed,
  spot: (t: string) => PRICES[t]?.spot,
}
const months = (type: string): MixMonth[] => [
  {type, instances: 4, baseInstances: 3, needP10: 2.4},
  {type, instances: 5, baseInstances: 4, needP10: 3},
  {type, instances: 6, baseInstances: 5, needP10: 3},
]

describe('purchaseMix', () => {
  it('three months of 4, 5, 6 (n+1), P10 need 2–3: commit 2, by hand', () => {
    // Per hour: C = 0: on demand 3 + 4 + 5 = 12 × 0.1, spares 3 × 0.03 → 1.29 → $941.70 a 730-hour
    // month-sum; C = 1: 3 × 0.06 + 9 × 0.1 + 0.09 = 1.17 → $854.10; C = 2: 0.36 + 0.6 + 0.09 = 1.05 →
    // $766.50. The cap is the smallest P10 need, ⌊2.4⌋ = 2. All on demand: 15 × 0.1 → $1,095.
    const mix = purchaseMix(months('a'), prices)
    expect(mix?.capInstances).toBe(2)
    expect(mix?.levels.map((l) => Number(l.totalUsd.toFixed(6)))).toEqual([941.7, 854.1, 766.5])
    expect(mix?.committedInstances).toBe(2)
    expect(mix?.committedUsd).toBeCloseTo(0.36 * 730, 9)
    expect(mix?.onDemandUsd).toBeCloseTo(0.6 * 730, 9)
    expect(mix?.spotUsd).toBeCloseTo(0.09 * 730, 9)
    expect((mix?.committedUsd ?? 0) + (mix?.onDemandUsd ?? 0) + (mix?.spotUsd ?? 0)).toBeCloseTo(mix?.totalUsd ?? 0, 9)
    expect(mix?.allOnDemandUsd).toBeCloseTo(1095, 9)
    expect(mix?.savingUsd).toBeCloseTo(328.5, 9)
  })

  it('a commitment dearer than on demand is not bought; a type without one gives no mix', () => {
    expect(purchaseMix(months('dear'), prices)?.committedInstances).toBe(0)
    expect(purchaseMix(months('b'), prices)).toBeUndefined()
  })

  it('a month on another type caps the commitment at 0 (it would idle that month)', () => {
    const mixed = [...months('a'), {type: 'b', instances: 2, baseInstances: 1, needP10: 1}]
    const mix = purchaseMix(mixed, prices)
    expect(mix?.type).toBe('a')
    expect(mix?.capInstances).toBe(0)
    // Month b: 1 on demand + 1 spare on demand (no spot price): 2 × 0.2.
    expect(mix?.months[3]?.onDemandUsd).toBeCloseTo(0.4 * 730, 9)
  })
})
