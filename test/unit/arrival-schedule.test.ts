import {describe, expect, it} from 'vitest'
import {
  arrivalOffsetMs,
  compileArrivalSchedule,
  constantArrivalSchedule,
  fitStagesToDuration,
  rateAt,
} from '../../src/core/schedule/arrival-schedule.js'

describe('arrival schedule', () => {
  it('spaces a constant rate evenly from the origin', () => {
    // Given 100/s for 1 s: arrivals at 0, 10, 20, … 990 ms, and none at 1000 ms.
    const schedule = constantArrivalSchedule(100, 1000)
    expect(schedule.totalArrivals).toBe(100)
    expect(arrivalOffsetMs(schedule, 0)).toBe(0)
    expect(arrivalOffsetMs(schedule, 3)).toBeCloseTo(30, 9)
    expect(arrivalOffsetMs(schedule, 99)).toBeCloseTo(990, 9)
    expect(arrivalOffsetMs(schedule, 100)).toBeUndefined()
  })

  it('places arrivals of a linear ramp where the integral of the rate reaches k', () => {
    // Given a ramp 0 → 100/s over 10 s: N(t) = 100·t²/(2·10) = 5t², so arrival k is at √(k/5) s.
    const schedule = compileArrivalSchedule([{durationMs: 10_000, targetRatePerSec: 100}], 0)
    expect(schedule.totalArrivals).toBe(500)
    expect(arrivalOffsetMs(schedule, 20)).toBeCloseTo(2000, 6) // √4 = 2 s
    expect(arrivalOffsetMs(schedule, 45)).toBeCloseTo(3000, 6) // √9 = 3 s
    expect(arrivalOffsetMs(schedule, 499)).toBeCloseTo(Math.sqrt(499 / 5) * 1000, 6)
    expect(arrivalOffsetMs(schedule, 500)).toBeUndefined()
  })

  it('chains stages: ramp up, hold, ramp down', () => {
    // Given 0→200 over 5 s (500 arrivals), 200 for 10 s (2000), 200→0 over 5 s (500).
    const schedule = compileArrivalSchedule(
      [
        {durationMs: 5000, targetRatePerSec: 200},
        {durationMs: 10_000, targetRatePerSec: 200},
        {durationMs: 5000, targetRatePerSec: 0},
      ],
      0,
    )
    expect(schedule.totalArrivals).toBe(3000)
    expect(schedule.totalDurationMs).toBe(20_000)
    // Arrival 500 opens the hold: exactly at 5 s; arrival 1500 is 1000/200 = 5 s later.
    expect(arrivalOffsetMs(schedule, 500)).toBeCloseTo(5000, 6)
    expect(arrivalOffsetMs(schedule, 1500)).toBeCloseTo(10_000, 6)
    // In the ramp down, N(t) = 200t − 20t² after 15 s; N = 375 at t = 2.5 s → 17.5 s.
    expect(arrivalOffsetMs(schedule, 2875)).toBeCloseTo(17_500, 6)
    expect(arrivalOffsetMs(schedule, 3000)).toBeUndefined()
  })

  it('skips zero-rate stages', () => {
    const schedule = compileArrivalSchedule(
      [
        {durationMs: 2000, targetRatePerSec: 0},
        {durationMs: 1000, targetRatePerSec: 10},
      ],
      0,
    )
    // 0/s for 2 s, then a ramp 0→10 over 1 s: 5 arrivals, the first at 2 s.
    expect(schedule.totalArrivals).toBe(5)
    expect(arrivalOffsetMs(schedule, 0)).toBe(2000)
    expect(arrivalOffsetMs(schedule, 1)).toBeCloseTo(2000 + Math.sqrt(1 / 5) * 1000, 6)
  })

  it('never schedules earlier than the previous arrival', () => {
    const schedule = compileArrivalSchedule(
      [
        {durationMs: 3000, targetRatePerSec: 350},
        {durationMs: 7000, targetRatePerSec: 40},
        {durationMs: 1000, targetRatePerSec: 1000},
      ],
      10,
    )
    let previous = -1
    for (let k = 0; k < schedule.totalArrivals - 1; k++) {
      const at = arrivalOffsetMs(schedule, k) as number
      expect(at).toBeGreaterThanOrEqual(previous)
      previous = at
    }
  })

  it('reports the target rate at a moment', () => {
    const schedule = compileArrivalSchedule([{durationMs: 10_000, targetRatePerSec: 100}], 0)
    expect(rateAt(schedule, 2500)).toBe(25)
    expect(rateAt(schedule, 20_000)).toBe(0)
  })

  it('cuts stages at a duration (the ramp at the rate it reached) or holds their last rate past them', () => {
    // Given 0 → 200/s over 5 s, then 200/s for 10 s (plans/example.yaml)
    const stages = [
      {durationMs: 5000, targetRatePerSec: 200},
      {durationMs: 10_000, targetRatePerSec: 200},
    ]
    // 3 s cuts the ramp at 3/5 of the way: 120/s; 8 s keeps the ramp and 3 s of the hold
    expect(fitStagesToDuration(stages, 0, 3000)).toEqual([{durationMs: 3000, targetRatePerSec: 120}])
    expect(fitStagesToDuration(stages, 0, 8000)).toEqual([stages[0], {durationMs: 3000, targetRatePerSec: 200}])
    // 20 s holds 200/s for the 5 s past the schedule; 15 s is the schedule itself
    expect(fitStagesToDuration(stages, 0, 20_000)).toEqual([...stages, {durationMs: 5000, targetRatePerSec: 200}])
    expect(fitStagesToDuration(stages, 0, 15_000)).toEqual(stages)
    // A ramp down from a start rate: 100 → 0 over 4 s, cut at 1 s: 75/s
    expect(fitStagesToDuration([{durationMs: 4000, targetRatePerSec: 0}], 100, 1000)).toEqual([
      {durationMs: 1000, targetRatePerSec: 75},
    ])
  })
})
