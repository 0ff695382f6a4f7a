/** The steadiness of a capacity step, on per-second samples worked out by hand. */
import {describe, expect, it} from 'vitest'
import {stepStability, type StepSecond} from '../../src/core/capacity/step-stability.js'

const seconds = (from: number, rows: Array<[requests: number, p50Ms: number]>): StepSecond[] =>
  rows.map(([requests, p50Ms], i) => ({second: from + i, requests, errors: 0, p50Ms}))

describe('stepStability', () => {
  it('fails the reported step: 387/s offered to a 377/s server, p50 climbing 11 → 56 ms', () => {
    // Warm-up 2 s, window 2–7 s: seconds 2..6 judged; the drain (second 7) is outside.
    const samples = seconds(2, [
      [380, 11],
      [377, 22],
      [377, 33],
      [377, 44],
      [377, 56],
      [200, 90],
    ])
    const verdict = stepStability(samples, {fromMs: 2000, toMs: 7000, offeredRatePerSec: 387})
    // Thirds of 5 seconds: [11, 22] → 16.5, [33], [44, 56] → 50.
    expect(verdict.latencyClimb).toBe('latency climbed within the step (p50 17 → 50 ms): a queue was building')
    // Seconds 3..6 serve 377/s, within 3 % of 387/s (≥ 375.4): the climb alone fails the step.
    expect(verdict.servedShortfall).toBeUndefined()
  })

  it('names a served rate more than 3 % below the offered one', () => {
    const samples = seconds(2, [
      [380, 11],
      [370, 11],
      [371, 12],
      [369, 11],
      [370, 11],
    ])
    const verdict = stepStability(samples, {fromMs: 2000, toMs: 7000, offeredRatePerSec: 387})
    // (370 + 371 + 369 + 370) / 4 = 370 < 375.39
    expect(verdict.servedShortfall).toBe('served 370/s of the 387/s offered: the target fell behind')
    expect(verdict.latencyClimb).toBeUndefined()
  })

  it('passes a steady step whose p50 wanders on a busy machine', () => {
    const samples = seconds(2, [
      [400, 1.1],
      [400, 2.9],
      [399, 1.2],
      [401, 3.5],
      [400, 1.4],
    ])
    expect(stepStability(samples, {fromMs: 2000, toMs: 7000, offeredRatePerSec: 400})).toEqual({
      latencyClimb: undefined,
      servedShortfall: undefined,
    })
  })

  it('passes a p50 that rises and falls back (one slow second is not a queue)', () => {
    const samples = seconds(2, [
      [300, 12],
      [300, 40],
      [300, 90],
      [300, 30],
      [300, 25],
    ])
    // First third 26, middle 90, last 27.5: no climb.
    expect(stepStability(samples, {fromMs: 2000, toMs: 7000, offeredRatePerSec: 300}).latencyClimb).toBeUndefined()
  })

  it('sees a queue that began in the warm-up within a 1 s ramp window', () => {
    // 315/s to a 300/s server: latency 0.05 × t. Window 0.5–1.5 s: second 0 p50 ≈ 36, second 1 ≈ 62.
    const samples = seconds(0, [
      [142, 36],
      [330, 62],
    ])
    expect(stepStability(samples, {fromMs: 500, toMs: 1500, offeredRatePerSec: 315}).latencyClimb).toBe(
      'latency climbed within the step (p50 36 → 62 ms): a queue was building',
    )
  })

  it('judges no served rate with transport errors (they are reported as errors) or too few seconds', () => {
    const failing = seconds(2, [
      [300, 5],
      [200, 5],
      [200, 5],
    ]).map((s) => ({...s, errors: 100}))
    expect(stepStability(failing, {fromMs: 2000, toMs: 5000, offeredRatePerSec: 300}).servedShortfall).toBeUndefined()
    const short = seconds(0, [[10, 5]])
    expect(stepStability(short, {fromMs: 500, toMs: 1500, offeredRatePerSec: 300})).toEqual({
      latencyClimb: undefined,
      servedShortfall: undefined,
    })
  })
})
