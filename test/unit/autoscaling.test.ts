import {describe, expect, it} from 'vitest'
import {replayFixed, replayPredictive, replayReactive, type ReplayInput} from '../../src/core/planning/autoscaling.js'

/** A week of 12 busy hours (1000 req/s) and 12 quiet hours (100 req/s) a day. */
const week = Array.from({length: 168}, (_, h) => (h % 24 < 12 ? 1000 : 100))
const base: ReplayInput = {
  demandRps: week,
  plannedRps: week,
  perInstanceRps: 100,
  targetUtilization: 0.5,
  minReplicas: 1,
  maxReplicas: 50,
  stabilizationHours: 1,
  tolerance: 0.1,
  priceUsdPerHour: 0.1,
}

describe('autoscaling what-if on a synthetic week', () => {
  it('sizes a fixed fleet for the peak', () => {
    // By hand: ⌈1000 / (100 × 0.5)⌉ = 20 instances × 168 h = 3,360 instance-hours, $336.
    const fixed = replayFixed(base)
    expect(fixed.instanceHours).toBe(3360)
    expect(fixed.costUsd).toBeCloseTo(336, 9)
    expect(fixed.sloMissHours).toBe(0)
  })

  it("holds the plan's month-1 fleet when given it", () => {
    // By hand: 23 instances × 168 h = 3,864 instance-hours, $386.40.
    const fixed = replayFixed(base, 23)
    expect(fixed.instanceHours).toBe(3864)
    expect(fixed.costUsd).toBeCloseTo(386.4, 9)
  })

  it('follows the forecast with a predictive schedule', () => {
    // By hand: 20 × 12 + 2 × 12 = 264 instance-hours a day, 1,848 a week, no misses.
    const predictive = replayPredictive(base)
    expect(predictive.instanceHours).toBe(1848)
    expect(predictive.sloMissHours).toBe(0)
  })

  it('lags by an hour when reactive: one under-provisioned hour per day', () => {
    // By hand: each busy morning starts on 2 replicas (decided from the quiet hour before): 2 ×
    // 100 = 200 < 1000 req/s, a miss; the first quiet hour still runs 20. Per day 2 + 11 × 20 +
    // 20 + 11 × 2 = 264 → 1,848 a week (the first hour starts sized for its own demand).
    const reactive = replayReactive(base)
    expect(reactive.sloMissHours).toBe(6)
    expect(reactive.replicas.slice(0, 14)).toEqual([20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 2])
    expect(reactive.replicas[24]).toBe(2)
    expect(reactive.instanceHours).toBe(1848 + 18) // day one starts at 20, not 2
  })

  it('holds replicas through the scale-down stabilisation window', () => {
    // With 3 hours of stabilisation the first three quiet hours keep 20: per day 2 + 220 + 60 + 18 = 300.
    const reactive = replayReactive({...base, stabilizationHours: 3})
    expect(reactive.replicas.slice(24, 40)).toEqual([2, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 2])
    expect(reactive.instanceHours).toBe(7 * 300 + 18)
  })
  it("holds the plan's spares on top of what each policy provisions (they were left out: the fixed fleet had them)", () => {
    // n+1: the predictive week's 1,848 instance-hours plus one spare for 168 hours = 2,016.
    const predictive = replayPredictive({...base, redundancy: {kind: 'n+k', spare: 1}})
    expect(predictive.instanceHours).toBe(1848 + 168)
    expect(predictive.replicas.slice(11, 13)).toEqual([21, 3])
    // Three zones: 20 → ⌈20/2⌉ × 3 = 30, 2 → ⌈2/2⌉ × 3 = 3; the reactive lag still misses the same
    // six mornings, which start on 3 replicas (300 < 1,000 req/s).
    const reactive = replayReactive({...base, redundancy: {kind: 'zones', zones: 3}})
    expect(reactive.replicas.slice(12, 14)).toEqual([30, 3])
    expect(reactive.sloMissHours).toBe(6)
  })
})
