import {decodeHistogram} from '../../src/contracts/stats/histogram.js'

/**
 * How many recorded latencies are ≥ thresholdMs, read from an encoded histogram: binary search
 * for the largest rank r whose value is below the threshold (the r-th smallest value is the
 * value at percentile 100·(r − ½)/n).
 */
export function countAtOrAbove(encoded: string, thresholdMs: number): number {
  const histogram = decodeHistogram(encoded)
  const total = histogram.totalCount
  const valueAtRankMs = (rank: number) => histogram.getValueAtPercentile((100 * (rank - 0.5)) / total) / 1000
  let lo = 0 // ranks 1..lo are below the threshold
  let hi = total
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (valueAtRankMs(mid) < thresholdMs) lo = mid
    else hi = mid - 1
  }
  return total - lo
}
