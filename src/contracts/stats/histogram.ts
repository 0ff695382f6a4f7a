/**
 * One factory for every latency histogram, so that histograms from workers, shards and saved
 * results can always be added together exactly. Values are recorded in whole microseconds.
 */
import type * as hdr from 'hdr-histogram-js'
// By path, not the package index: the index also loads the log reader and writer, whose module set-up
// (Intl number formatters) costs ≈30 ms of every start. hdr-histogram-js has no exports map.
import {decodeFromCompressedBase64, encodeIntoCompressedBase64} from 'hdr-histogram-js/dist/encoding.js'
import {build} from 'hdr-histogram-js/dist/HistogramBuilder.js'

export type Histogram = hdr.Histogram

/** Lowest discernible latency: 1 µs. */
export const LOWEST_LATENCY_US = 1
/** Highest trackable latency: one hour, far above any sane request timeout; larger values are clamped. */
export const HIGHEST_LATENCY_US = 3_600_000_000
/** Three significant digits: 0.1 % relative error at any magnitude. */
export const SIGNIFICANT_DIGITS = 3

/**
 * @param packed store only the buckets in use: a full histogram holds ≈180 kB of counters, so
 *   the thousands of per-scenario, per-step and per-target tallies a large service file asks for
 *   are packed (10,000 scenarios took 1.6 GB); the run's own histograms stay flat, the faster
 *   to record into.
 */
export function createLatencyHistogram({packed = false}: {packed?: boolean} = {}): Histogram {
  const histogram = build({
    lowestDiscernibleValue: LOWEST_LATENCY_US,
    highestTrackableValue: HIGHEST_LATENCY_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    bitBucketSize: packed ? 'packed' : 32,
    autoResize: false,
    useWebAssembly: false,
  })
  ;(histogram as unknown as IndexedHistogram).countsArrayIndex = countsArrayIndex
  return histogram
}

/** The fields of hdr-histogram-js's JsHistogram that place a value in its counts array. */
interface IndexedHistogram {
  unitMagnitude: number
  subBucketHalfCountMagnitude: number
  countsArrayIndex(value: number): number
}

const originalCountsArrayIndex = (
  build({lowestDiscernibleValue: 1, highestTrackableValue: 2, useWebAssembly: false}) as unknown as IndexedHistogram
).countsArrayIndex

/**
 * hdr-histogram-js's counts-array index (JsHistogram.countsArrayIndex) by bit arithmetic: its own
 * takes a log2 and two pow calls per value, which on the engine's three histograms per request
 * was 1.3 % of a run's CPU (perf, against nginx). The same index for every value below 2^32 (all
 * latencies: HIGHEST_LATENCY_US is below it); larger values go to the original.
 * test/unit/histogram.test.ts checks the two agree.
 */
function countsArrayIndex(this: IndexedHistogram, value: number): number {
  if (!(value >= 0 && value < 4294967296 && value === Math.floor(value)))
    return originalCountsArrayIndex.call(this, value)
  const shift = this.subBucketHalfCountMagnitude + this.unitMagnitude
  // floor(log2(value)) is 31 − clz32(value); the bucket of values below the first doubling is 0.
  const bucket = Math.max(31 - Math.clz32(value) - shift, 0)
  return (bucket << this.subBucketHalfCountMagnitude) + (value >>> (bucket + this.unitMagnitude))
}

/** Records a latency given in (fractional) milliseconds; clamps into the trackable range. */
export function recordLatencyMs(histogram: Histogram, latencyMs: number): void {
  let us = Math.round(latencyMs * 1000)
  if (us < LOWEST_LATENCY_US) us = LOWEST_LATENCY_US
  else if (us > HIGHEST_LATENCY_US) us = HIGHEST_LATENCY_US
  histogram.recordValue(us)
}

/** Compressed base64 (the HdrHistogram V2 encoding that Java, Go and JS implementations share). */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram)
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = decodeFromCompressedBase64(encoded, 32, false)
  // Re-home into a histogram with the standard bounds so that any two can be added.
  const histogram = createLatencyHistogram()
  histogram.add(decoded)
  return histogram
}

/** Adds encoded histograms: the exact merge (never an average of percentiles). */
export function mergeEncodedHistograms(encoded: readonly string[]): Histogram {
  const total = createLatencyHistogram()
  for (const item of encoded) total.add(decodeHistogram(item))
  return total
}

/** Percentiles every summary reports. */
export const SUMMARY_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 99.99] as const

export interface LatencySummary {
  count: number
  minMs: number
  meanMs: number
  stdevMs: number
  maxMs: number
  /** Keyed by percentile as text: `"50"`, `"99.9"`. */
  percentilesMs: Record<string, number>
}

/** Summarises a histogram in milliseconds. An empty histogram yields NaN statistics. */
export function summarizeHistogram(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount
  const percentilesMs: Record<string, number> = {}
  for (const p of SUMMARY_PERCENTILES)
    percentilesMs[String(p)] = count === 0 ? Number.NaN : histogram.getValueAtPercentile(p) / 1000
  return {
    count,
    minMs: count === 0 ? Number.NaN : histogram.minNonZeroValue / 1000,
    meanMs: count === 0 ? Number.NaN : histogram.mean / 1000,
    stdevMs: count === 0 ? Number.NaN : histogram.stdDeviation / 1000,
    maxMs: count === 0 ? Number.NaN : histogram.maxValue / 1000,
    percentilesMs,
  }
}

/** Latency at a percentile in ms, NaN for an empty histogram. */
export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(percentile) / 1000
}
