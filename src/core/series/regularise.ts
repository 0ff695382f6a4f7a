/**
 * Turns raw observations (unsorted, duplicated, with NaNs and gaps) into a regular series at the
 * detected resolution, and reports what it did. Sub-hourly data are aggregated to hours. Gaps
 * stay gaps (NaN); nothing is interpolated. Pure.
 */
import {DataError} from '../../contracts/errors.js'
import type {Resolution} from '../../contracts/results/forecast-document.js'

export interface Observation {
  timeMs: number
  value: number
}

export interface RegularSeries {
  resolution: Resolution
  /** Start of each step, UTC epoch ms. */
  timestamps: number[]
  /** NaN for a step with no observation. */
  values: number[]
}

export interface RegulariseReport {
  inputRows: number
  invalidValues: number
  /** Rows with a value below zero: dropped, since traffic and utilisation cannot be negative. */
  negativeValues: number
  unsortedRows: number
  duplicateTimestamps: number
  /** Sub-hourly input aggregated to hours with this rule. */
  aggregated?: {fromStepMs: number; rule: 'sum' | 'mean'}
  gaps: number
  notes: string[]
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** Median spacing of consecutive increasing timestamps (an hour when there are none). */
export function medianSpacingMs(times: readonly number[]): number {
  const diffs: number[] = []
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] as number) - (times[i - 1] as number)
    if (d > 0) diffs.push(d)
  }
  diffs.sort((a, b) => a - b)
  return diffs[diffs.length >> 1] ?? HOUR_MS
}

function detectResolution(spacingMs: number): Resolution | 'sub-hour' {
  if (spacingMs < HOUR_MS * 0.9) return 'sub-hour'
  if (spacingMs < DAY_MS * 0.9) return 'hour'
  if (spacingMs < DAY_MS * 25) return 'day'
  return 'month'
}

/** The start of the step a time falls in. */
export function stepStart(timeMs: number, resolution: Resolution): number {
  if (resolution === 'hour') return Math.floor(timeMs / HOUR_MS) * HOUR_MS
  if (resolution === 'day') return Math.floor(timeMs / DAY_MS) * DAY_MS
  const d = new Date(timeMs)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

/** The start of the step `count` steps after `fromMs`. */
export function addSteps(fromMs: number, count: number, resolution: Resolution): number {
  if (resolution === 'hour') return fromMs + count * HOUR_MS
  if (resolution === 'day') return fromMs + count * DAY_MS
  const d = new Date(fromMs)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + count, 1)
}

export interface RegulariseOptions {
  /** How to combine several observations in one step: sum for counts, mean for levels and rates. */
  aggregate?: 'sum' | 'mean'
}

/**
 * @throws DataError when fewer than two valid observations remain
 */
export function regularise(
  observations: readonly Observation[],
  options: RegulariseOptions = {},
): {series: RegularSeries; report: RegulariseReport} {
  const report: RegulariseReport = {
    inputRows: observations.length,
    invalidValues: 0,
    negativeValues: 0,
    unsortedRows: 0,
    duplicateTimestamps: 0,
    gaps: 0,
    notes: [],
  }
  for (let i = 1; i < observations.length; i++)
    if ((observations[i] as Observation).timeMs < (observations[i - 1] as Observation).timeMs) report.unsortedRows++
  const valid = observations.filter((o) => {
    const ok = Number.isFinite(o.value) && Number.isFinite(o.timeMs)
    if (!ok) report.invalidValues++
    else if (o.value < 0) report.negativeValues++
    return ok && o.value >= 0
  })
  if (valid.length < 2)
    throw new DataError(
      `need at least two valid observations, got ${valid.length}${report.negativeValues > 0 ? ` (${report.negativeValues} negative values were dropped)` : ''}`,
    )
  const sorted = [...valid].sort((a, b) => a.timeMs - b.timeMs)
  const spacing = medianSpacingMs(sorted.map((o) => o.timeMs))
  const detected = detectResolution(spacing)
  const resolution: Resolution = detected === 'sub-hour' ? 'hour' : detected
  const rule = options.aggregate ?? 'mean'
  if (detected === 'sub-hour') {
    report.aggregated = {fromStepMs: spacing, rule}
    report.notes.push(`aggregated ${Math.round(spacing / 60_000)}-minute samples to hours by ${rule}`)
  }

  const buckets = new Map<number, {sum: number; count: number}>()
  for (const o of sorted) {
    const key = stepStart(o.timeMs, resolution)
    const bucket = buckets.get(key)
    if (bucket) {
      bucket.sum += o.value
      bucket.count++
      if (detected !== 'sub-hour') report.duplicateTimestamps++
    } else buckets.set(key, {sum: o.value, count: 1})
  }
  if (report.duplicateTimestamps > 0)
    report.notes.push(
      `${report.duplicateTimestamps} rows shared a ${resolution} with another row and were combined by ${rule}`,
    )
  if (report.unsortedRows > 0) report.notes.push(`${report.unsortedRows} rows were out of order and were sorted`)
  if (report.invalidValues > 0)
    report.notes.push(`${report.invalidValues} rows had no valid value or time and were dropped`)
  if (report.negativeValues > 0)
    report.notes.push(
      `${report.negativeValues} rows had a negative value (a counter reset?) and were dropped: traffic and utilisation cannot be negative`,
    )

  const first = stepStart((sorted[0] as Observation).timeMs, resolution)
  const last = stepStart((sorted.at(-1) as Observation).timeMs, resolution)
  const timestamps: number[] = []
  const values: number[] = []
  for (let t = first, i = 0; t <= last; i++, t = addSteps(first, i, resolution)) {
    timestamps.push(t)
    const bucket = buckets.get(t)
    if (bucket) values.push(rule === 'sum' ? bucket.sum : bucket.sum / bucket.count)
    else {
      values.push(Number.NaN)
      report.gaps++
    }
  }
  if (report.gaps > 0) report.notes.push(`${report.gaps} ${resolution}s had no data and are kept as gaps`)
  return {series: {resolution, timestamps, values}, report}
}
