import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {build} from 'hdr-histogram-js/dist/HistogramBuilder.js'
import {createRandom} from '../../src/contracts/stats/random.js'
import {
  HIGHEST_LATENCY_US,
  LOWEST_LATENCY_US,
  SIGNIFICANT_DIGITS,
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeEncodedHistograms,
  percentileMs,
  recordLatencyMs,
  summarizeHistogram,
} from '../../src/contracts/stats/histogram.js'

/** Nearest-rank quantile (the definition HdrHistogram follows): the smallest value with ≥ p % of samples at or below it. */
function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

function lognormalSamplesMs(n: number, seed: number): number[] {
  const random = createRandom(seed)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
    out.push(Math.exp(2 + 1.2 * z)) // median e² ≈ 7.4 ms, long tail
  }
  return out
}

describe('latency histograms', () => {
  it('tracks 1 µs to beyond 60 s at three significant digits', () => {
    const h = createLatencyHistogram()
    recordLatencyMs(h, 0.001)
    recordLatencyMs(h, 65_000)
    expect(percentileMs(h, 0)).toBeCloseTo(0.001, 6)
    expect(Math.abs(percentileMs(h, 100) - 65_000) / 65_000).toBeLessThan(1e-3)
  })

  it('matches exact nearest-rank quantiles within 0.1 %', () => {
    const samples = lognormalSamplesMs(50_000, 11)
    const h = createLatencyHistogram()
    for (const ms of samples) recordLatencyMs(h, ms)
    const sorted = samples.map((ms) => Math.round(ms * 1000) / 1000).sort((a, b) => a - b)
    for (const p of [50, 90, 99, 99.9]) {
      const exact = nearestRank(sorted, p)
      expect(Math.abs(percentileMs(h, p) - exact) / exact).toBeLessThan(1e-3)
    }
  })

  it('merges encoded histograms exactly: the merge equals one histogram of all samples', () => {
    const a = lognormalSamplesMs(24_000, 1)
    const b = lognormalSamplesMs(1_000, 2).map((ms) => ms * 10) // a worker that saw a slow phase
    const ha = createLatencyHistogram()
    const hb = createLatencyHistogram()
    const all = createLatencyHistogram()
    for (const ms of a) {
      recordLatencyMs(ha, ms)
      recordLatencyMs(all, ms)
    }
    for (const ms of b) {
      recordLatencyMs(hb, ms)
      recordLatencyMs(all, ms)
    }
    const merged = mergeEncodedHistograms([encodeHistogram(ha), encodeHistogram(hb)])
    expect(merged.totalCount).toBe(25_000)
    for (const p of [50, 75, 90, 99, 99.9, 100]) expect(percentileMs(merged, p)).toBe(percentileMs(all, p))
    // Averaging the two p99s (the wrong way) would be far off the true p99.
    const averaged = (percentileMs(ha, 99) + percentileMs(hb, 99)) / 2
    expect(Math.abs(averaged - percentileMs(all, 99)) / percentileMs(all, 99)).toBeGreaterThan(1)
  })

  it('round-trips through the encoding', () => {
    const h = createLatencyHistogram()
    for (const ms of lognormalSamplesMs(1000, 5)) recordLatencyMs(h, ms)
    const {maxMs, ...rest} = summarizeHistogram(decodeHistogram(encodeHistogram(h)))
    const {maxMs: originalMaxMs, ...originalRest} = summarizeHistogram(h)
    expect(rest).toEqual(originalRest)
    // The encoding keeps buckets, not the exact max: it comes back as its bucket's upper edge.
    expect(Math.abs(maxMs - originalMaxMs) / originalMaxMs).toBeLessThan(1e-3)
  })

  it('summarises an empty histogram as NaN, not zero', () => {
    const summary = summarizeHistogram(createLatencyHistogram())
    expect(summary.count).toBe(0)
    expect(summary.percentilesMs['99']).toBeNaN()
    expect(summary.maxMs).toBeNaN()
  })
})

describe('packed tallies (issue 35: 10,000 scenarios took 1.6 GB)', () => {
  it('a packed histogram holding a few latencies is a small fraction of a flat one, and adds exactly', () => {
    const flat = createLatencyHistogram()
    const packed = createLatencyHistogram({packed: true})
    for (const ms of [1.5, 12, 250, 3000]) {
      recordLatencyMs(flat, ms)
      recordLatencyMs(packed, ms)
    }
    expect(packed.estimatedFootprintInBytes).toBeLessThan(flat.estimatedFootprintInBytes / 20)
    const sum = createLatencyHistogram()
    sum.add(packed)
    expect(sum.getValueAtPercentile(75)).toBe(flat.getValueAtPercentile(75))
    expect(decodeHistogram(encodeHistogram(packed)).totalCount).toBe(4)
  })
})

describe('counts-array index by bit arithmetic', () => {
  /** hdr-histogram-js's own index, from a histogram built with the same parameters but not patched. */
  type Indexed = {countsArrayIndex(value: number): number}
  function referenceHistogram(packed: boolean): Indexed {
    return build({
      lowestDiscernibleValue: LOWEST_LATENCY_US,
      highestTrackableValue: HIGHEST_LATENCY_US,
      numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
      bitBucketSize: packed ? 'packed' : 32,
      autoResize: false,
      useWebAssembly: false,
    }) as unknown as Indexed
  }

  for (const packed of [false, true]) {
    it(`places every value below 2^32 where hdr-histogram-js does (${packed ? 'packed' : 'flat'})`, () => {
      const patched = createLatencyHistogram({packed}) as unknown as Indexed
      const library = referenceHistogram(packed)
      // The comparison means something only while the factory really replaces the library's method.
      expect(patched.countsArrayIndex).not.toBe(library.countsArrayIndex)
      const reference = (value: number): number => library.countsArrayIndex(value)
      const boundaries = [0, 1, 2, 3]
      for (let k = 2; k <= 32; k++) boundaries.push(2 ** k - 1, 2 ** k, 2 ** k + 1)
      for (const value of boundaries) expect(patched.countsArrayIndex(value), `value ${value}`).toBe(reference(value))
      fc.assert(
        fc.property(
          fc.integer({min: 0, max: 2 ** 32 - 1}),
          (value) => patched.countsArrayIndex(value) === reference(value),
        ),
        {numRuns: 20_000},
      )
      // Fractions and values past 2^32 take the library's own path.
      for (const value of [0.5, 1234.75, 2 ** 32, 2 ** 40 + 3])
        expect(patched.countsArrayIndex(value)).toBe(reference(value))
    })
  }
})
