/**
 * The statistics loadplan takes from simple-statistics and ml-regression give exactly what the
 * hand-written code they replaced gave (kept below as the reference), and what R gives.
 */
import {TheilSenRegression} from 'ml-regression'
import {mean, median, quantileSorted} from 'simple-statistics'
import {describe, expect, it} from 'vitest'
import {theilSen} from '../../src/contracts/stats/theil-sen.js'

/** loadplan's type-7 quantile before simple-statistics (src/contracts/stats/rollup.ts, commit 2116154). */
function previousQuantileSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q
  const lower = Math.floor(position)
  const upper = Math.min(lower + 1, sorted.length - 1)
  return (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (position - lower)
}

/** loadplan's median before simple-statistics (src/core/forecast/models.ts, commit 2116154). */
function previousMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** A deterministic pseudo-random sequence (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('simple-statistics in place of the hand-written statistics', () => {
  it('quantileSorted is type 7 (R and numpy default), equal to the previous code on 2,000 samples', () => {
    // R: quantile(c(3, 6, 7, 8, 8, 10, 13, 15, 16, 20), c(0.25, 0.5)) → 7.25, 9
    const even = [3, 6, 7, 8, 8, 10, 13, 15, 16, 20]
    expect(quantileSorted(even, 0.25)).toBe(7.25)
    expect(quantileSorted(even, 0.5)).toBe(9)
    // R: quantile(1:5, 0.95) → 4.8
    expect(quantileSorted([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12)
    const next = random(7)
    for (let n = 0; n < 2000; n++) {
      const values = Array.from({length: 1 + Math.floor(next() * 50)}, () => (next() - 0.3) * 1e3).sort((a, b) => a - b)
      for (const q of [0, 0.025, 0.1, 0.5, 0.9, 0.95, 0.975, 0.995, 1])
        expect(quantileSorted(values, q)).toBe(previousQuantileSorted(values, q))
    }
  })

  it('median and mean equal the previous code (the forecast goldens are unchanged too)', () => {
    // R: median(c(1, 3, 2, 10)) → 2.5
    expect(median([1, 3, 2, 10])).toBe(2.5)
    const next = random(11)
    for (let n = 0; n < 2000; n++) {
      const values = Array.from({length: 1 + Math.floor(next() * 40)}, () => next() * 1e4)
      expect(median(values)).toBe(previousMedian(values))
      // simple-statistics sums with compensation: equal to the naive mean within rounding.
      expect(mean(values)).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9)
    }
  })
})

describe('Theil–Sen', () => {
  it('equals ml-regression where both define the median the same way (an odd number of pairwise slopes)', () => {
    const next = random(3)
    for (let n = 0; n < 300; n++) {
      // 7 or 11 points: 21 or 55 pairwise slopes and 7 or 11 intercepts, odd counts, so both
      // medians are the middle value.
      const size = next() < 0.5 ? 7 : 11
      const points = Array.from({length: size}, (_, i): [number, number] => [i, 5 + 0.3 * i + (next() - 0.5) * 4])
      const ours = theilSen(points)
      const theirs = new TheilSenRegression(
        points.map(([x]) => x),
        points.map(([, y]) => y),
      )
      expect(ours?.slope).toBe(theirs.slope)
      expect(ours?.levelAtLast).toBeCloseTo(theirs.intercept + theirs.slope * (size - 1), 9)
    }
  })

  it('takes the mean of the two middle slopes for an even count (R), where ml-regression takes the lower', () => {
    // Slopes of (0,0), (1,1), (2,4), (3,3): 1, 2, 1, 3, 1, -1 → sorted -1, 1, 1, 1, 2, 3: median 1 either way.
    // (0,0), (1,2), (2,2), (3,7): slopes 2, 1, 7/3, 0, 2.5, 5 → sorted 0, 1, 2, 7/3, 2.5, 5 → R median 13/6.
    const points: Array<[number, number]> = [
      [0, 0],
      [1, 2],
      [2, 2],
      [3, 7],
    ]
    expect(theilSen(points)?.slope).toBeCloseTo(13 / 6, 12)
    expect(new TheilSenRegression([0, 1, 2, 3], [0, 2, 2, 7]).slope).toBe(2)
  })
})
