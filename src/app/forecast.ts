/** `loadplan forecast`: read history (CSV, monitor recording or Prometheus), regularise, forecast. */
import {DEFAULT_HORIZON, horizonSteps, MAX_HORIZON_HOURS, MAX_HORIZON_TEXT, STEP_HOURS} from '../core/series/horizon.js'
import {
  resolveForecastOptions,
  type ForecastFlags,
  type ForecastOptions,
  type HistorySource,
} from '../config/forecast-options.js'
import {DataError, EXIT, InputError, ProblemList} from '../contracts/errors.js'
import {forecastSeries} from '../core/forecast/forecast.js'
import {demandFromForecast, monthlyPeakBands} from '../core/planning/demand-from-forecast.js'
import {readSeriesCsv} from '../adapters/io/read-series-csv.js'
import {renderForecast} from '../report/forecast-views.js'
import {forecastDocument, type ForecastDocument} from '../contracts/results/forecast-document.js'
import {regularise, type Observation} from '../core/series/regularise.js'
import type {AppResult} from './app-result.js'
import {checkOutputPaths, writeOutputFile} from './output-files.js'

export interface ForecastInput {
  flags: ForecastFlags
  out?: string
  /** Now, for Prometheus ranges. */
  nowMs: number
}

export interface History {
  observations: Observation[]
  /** Where it came from, for the report. */
  source: string
  notes: string[]
}

/** Reads the history from wherever it is (SQLite and the HTTP client load only when used). */
export async function readHistory(source: HistorySource, nowMs: number): Promise<History> {
  if (source.kind === 'recording') {
    const {readRecordedMetric} = await import('../adapters/io/read-recording.js')
    const observations = readRecordedMetric(source.db, source.metric)
    const notes =
      observations.length === 0
        ? [
            `no ${source.metric} rows in ${source.db}: record it with loadplan monitor (e.g. --traffic-log) or pass --metric`,
          ]
        : []
    return {observations, source: `${source.metric} recorded in ${source.db}`, notes}
  }
  if (source.kind === 'prometheus') {
    const {readPrometheusRange} = await import('../adapters/io/read-prometheus.js')
    const range = await readPrometheusRange({
      url: source.url,
      query: source.query,
      startMs: nowMs - source.sinceMs,
      endMs: nowMs,
      stepMs: source.stepMs,
    })
    return {observations: range.observations, source: `${source.query} from ${source.url}`, notes: [...range.warnings]}
  }
  const csv = readSeriesCsv(source.path)
  const notes: string[] = []
  if (csv.unreadableRows > 0) notes.push(`${csv.unreadableRows} rows had no readable timestamp and were skipped`)
  if (csv.assumedUtc) notes.push('timestamps without a zone were read as UTC')
  return {observations: csv.observations, source: source.path, notes}
}

export interface ForecastOutput {
  forecast: ForecastDocument
  /** The regularised history, for the chart. */
  history: number[]
  format: ForecastOptions['format']
}

export async function forecast(request: ForecastInput): Promise<AppResult<ForecastOutput>> {
  const problems = new ProblemList()
  const input = {...resolveForecastOptions(request.flags, problems), out: request.out, nowMs: request.nowMs}
  checkOutputPaths([['--out', input.out]], problems)
  problems.throwIfAny('Cannot forecast:')

  const history = await readHistory(input.source, input.nowMs)
  let regular: ReturnType<typeof regularise> | undefined
  try {
    regular = regularise(history.observations, {aggregate: input.aggregate})
  } catch (error) {
    if (!(error instanceof DataError)) throw error
    const field =
      input.source.kind === 'csv' ? input.source.path : input.source.kind === 'recording' ? '--recording' : '--query'
    problems.add(
      field,
      `${(error as Error).message}; a forecast needs history${history.notes.length > 0 ? ` (${history.notes.join('; ')})` : ''}`,
    )
    problems.throwIfAny('Cannot forecast:')
  }
  const {series, report} = regular as ReturnType<typeof regularise>
  report.notes.unshift(...history.notes)
  const horizonText = input.horizon ?? DEFAULT_HORIZON[series.resolution]
  const steps = horizonSteps(horizonText, series.resolution)
  // A bare number of steps is checked against the limit only now that the resolution is known.
  if (steps === undefined)
    throw new InputError('Cannot forecast:', [
      {
        field: '--horizon',
        value: horizonText,
        message: `at most ${MAX_HORIZON_TEXT} (${Math.floor(MAX_HORIZON_HOURS / STEP_HOURS[series.resolution])} ${series.resolution}s)`,
      },
    ])
  const result = forecastSeries(series, {horizonSteps: steps, model: input.model})
  const warnings = result.warnings.map((w) => `warning: ${w}`)
  // The peak a month will see, over sample paths as `plan` draws it: the smoothed forecast's maximum
  // is the peak of an average day, below the peaks that happen.
  const months = demandFromForecast(result, Number.POSITIVE_INFINITY)
  const bands = monthlyPeakBands(series, result, months).distribution.map((d, i) => ({
    month: months[i]?.startMs as number,
    p10: d.p10,
    p50: d.p50,
    p90: d.p90,
  }))
  const document = forecastDocument(history.source, series.timestamps, report.notes, result, bands)
  // --out keeps the data: JSON for the table format, else the same text as stdout.
  const failed = writeOutputFile(input.out, () =>
    renderForecast(document, series.values, input.format === 'table' ? 'json' : input.format, false),
  )
  if (failed) warnings.push(failed)
  return {document: {forecast: document, history: series.values, format: input.format}, warnings, exitCode: EXIT.ok}
}
