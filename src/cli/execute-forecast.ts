/** `loadplan forecast`: read history (CSV or Prometheus), regularise, forecast, render. */
import {horizonSteps, DEFAULT_HORIZON} from '../config/horizon.js'
import {parseDurationMs} from '../config/units.js'
import {ProblemList} from '../errors.js'
import {forecastSeries} from '../forecast/forecast.js'
import {MODEL_NAMES, type ModelName} from '../forecast/models.js'
import {readPrometheusRange} from '../io/read-prometheus.js'
import {readRecordedMetric} from '../io/read-recording.js'
import {readSeriesCsv} from '../io/read-series-csv.js'
import {forecastDocument, forecastToCsv, renderForecastSummary} from '../report/forecast-views.js'
import {stringifyResult} from '../report/run-result.js'
import {regularise, type Observation} from '../series/regularise.js'
import {EXIT} from './exit-codes.js'
import {checkOutputPaths, writeOutputFile} from './report-files.js'
import {reportError} from './report-error.js'

export const FORECAST_FORMATS = ['table', 'json', 'csv'] as const

export interface ExecuteForecastInput {
  file: string | undefined
  /** A monitor database and the metric to read from it. */
  recording: string | undefined
  metric: string
  prometheus: string | undefined
  query: string | undefined
  since: string
  step: string
  horizon: string | undefined
  model: string
  format: string
  aggregate: string
  out: string | undefined
  chart: boolean
  /** Now, for Prometheus ranges. */
  nowMs: number
}

export async function executeForecast(input: ExecuteForecastInput): Promise<number> {
  try {
    const problems = new ProblemList()
    const sources = [input.file, input.prometheus, input.recording].filter((s) => s !== undefined).length
    if (sources === 0) problems.add('source', 'give a CSV file (timestamp,value), --recording DB (from loadplan monitor) or --prometheus URL --query EXPR')
    if (sources > 1) problems.add('source', 'give one of a CSV file, --recording or --prometheus')
    if (input.prometheus !== undefined && input.query === undefined) problems.add('--query', 'needed with --prometheus, e.g. --query "sum(rate(http_requests_total[5m]))"')
    if (!(MODEL_NAMES as readonly string[]).includes(input.model) && input.model !== 'auto') problems.add('--model', `expected auto or one of ${MODEL_NAMES.join(', ')}`, input.model)
    if (!(FORECAST_FORMATS as readonly string[]).includes(input.format)) problems.add('--format', `expected ${FORECAST_FORMATS.join(', ')}`, input.format)
    if (input.aggregate !== 'sum' && input.aggregate !== 'mean') problems.add('--aggregate', 'expected sum (counts) or mean (rates, levels)', input.aggregate)
    const sinceMs = parseDurationMs(input.since)
    const stepMs = parseDurationMs(input.step)
    if (input.prometheus !== undefined && !(sinceMs && sinceMs > 0)) problems.add('--since', 'expected a duration such as 30d', input.since)
    if (input.prometheus !== undefined && !(stepMs && stepMs >= 1000)) problems.add('--step', 'expected a duration of at least 1s, such as 1h', input.step)
    if (input.horizon !== undefined && horizonSteps(input.horizon, 'hour') === undefined) problems.add('--horizon', 'expected a horizon such as 7d, 48h, 12mo, 1y or a number of steps', input.horizon)
    checkOutputPaths([['--out', input.out]], problems)
    problems.throwIfAny('Cannot forecast:')

    let observations: Observation[]
    let source: string
    const notes: string[] = []
    if (input.recording !== undefined) {
      observations = readRecordedMetric(input.recording, input.metric)
      source = `${input.metric} recorded in ${input.recording}`
      if (observations.length === 0) notes.push(`no ${input.metric} rows in ${input.recording}: record it with loadplan monitor (e.g. --traffic-log) or pass --metric`)
    } else if (input.prometheus !== undefined) {
      const range = await readPrometheusRange({url: input.prometheus, query: input.query as string, startMs: input.nowMs - (sinceMs as number), endMs: input.nowMs, stepMs: stepMs as number})
      observations = range.observations
      source = `${input.query} from ${input.prometheus}`
      notes.push(...range.warnings)
    } else {
      const csv = readSeriesCsv(input.file as string)
      observations = csv.observations
      source = input.file as string
      if (csv.unreadableRows > 0) notes.push(`${csv.unreadableRows} rows had no readable timestamp and were skipped`)
      if (csv.assumedUtc) notes.push('timestamps without a zone were read as UTC')
    }
    let regular
    try {
      regular = regularise(observations, {aggregate: input.aggregate as 'sum' | 'mean'})
    } catch (error) {
      const empty = new ProblemList()
      empty.add(input.file ?? (input.recording ? '--recording' : '--query'), `${(error as Error).message}; a forecast needs history${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`)
      empty.throwIfAny('Cannot forecast:')
      throw error
    }
    const {series, report} = regular
    report.notes.unshift(...notes)
    const steps = horizonSteps(input.horizon ?? DEFAULT_HORIZON[series.resolution], series.resolution) as number
    const result = forecastSeries(series, {horizonSteps: steps, model: input.model as ModelName | 'auto'})
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`)
    const document = forecastDocument(source, series.timestamps, report, result)
    const text = input.format === 'csv' ? forecastToCsv(result) : input.format === 'json' ? stringifyResult(document) : renderForecastSummary(document, series.values, input.chart)
    writeOutputFile(input.out, () => (input.format === 'table' ? stringifyResult(document) : text))
    process.stdout.write(text)
    return EXIT.ok
  } catch (error) {
    if (error instanceof RangeError) {
      process.stderr.write(`Cannot forecast: ${error.message}\n`)
      return EXIT.badInput
    }
    return reportError(error)
  }
}
