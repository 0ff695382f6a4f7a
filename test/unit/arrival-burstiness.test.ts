/** The burstiness estimate against arrival processes whose gap cv² is known by construction. */
import {describe, expect, it} from 'vitest'
import {arrivalBurstiness} from '../../src/core/capacity/arrival-burstiness.js'
import {arrivalGapSampler} from '../../src/core/capacity/service-time.js'
import {createRandom} from '../../src/contracts/stats/random.js'

/** Arrivals binned into one-second rates; `keep(t)` thins them (a time-varying rate). */
function recorded(
  ratePerSec: number,
  cv2: number,
  seconds: number,
  keep: (tMs: number, u: number) => boolean = () => true,
) {
  const random = createRandom(5)
  const gap = arrivalGapSampler(ratePerSec, cv2, random)
  const counts = new Array<number>(seconds).fill(0)
  for (let t = gap(); t < seconds * 1000; t += gap()) {
    const second = Math.floor(t / 1000)
    if (keep(t, random())) counts[second] = (counts[second] as number) + 1
  }
  return counts.map((value, i) => ({timeMs: 1_700_000_000_000 + i * 1000, value}))
}

describe('arrival burstiness from a recorded rate', () => {
  it('is 1 for Poisson arrivals and the gap cv² for gamma renewal arrivals', () => {
    expect(arrivalBurstiness(recorded(300, 1, 3000))?.cv2).toBeCloseTo(1, 1)
    const bursty = arrivalBurstiness(recorded(300, 3, 3000))
    expect(Math.abs((bursty?.cv2 as number) / 3 - 1)).toBeLessThan(0.1)
    expect(bursty).toMatchObject({periodSec: 1, periods: 3000 - 60})
    expect(Math.abs((bursty?.meanRatePerSec as number) / 300 - 1)).toBeLessThan(0.02)
  })

  it('is not fooled by a rate that swings between 100 and 500/s over ten minutes (the moving mean takes it out)', () => {
    const swing = recorded(500, 1, 3000, (t, u) => u < (300 + 200 * Math.sin((2 * Math.PI * t) / 600_000)) / 500)
    expect(Math.abs((arrivalBurstiness(swing)?.cv2 as number) - 1)).toBeLessThan(0.15)
  })

  it('needs enough periods, and some arrivals', () => {
    expect(arrivalBurstiness(recorded(300, 1, 100))).toBeUndefined()
    expect(arrivalBurstiness(recorded(300, 1, 500).map((o) => ({...o, value: 0})))).toBeUndefined()
  })
})
