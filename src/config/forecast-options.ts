/** `loadplan forecast` options: every flag checked at once, before any history is read. Pure. */
import {ProblemList} from '../contracts/errors.js'
import {MODEL_NAMES, type ModelName} from '../contracts/results/forecast-document.js'
import {parseDurationMs} from '../contracts/parse/parse-units.js'
import {parseOutputFormat} from '../contracts/format/output-format.js'
import {horizonSteps, MAX_HORIZON_TEXT} from '../core/series/horizon.js'

export const FORECAST_FORMATS = ['table', 'json', 'csv'] as const
export {MODEL_NAMES}

export interface ForecastFlags {
  file?: string
  recording?: string
  metric: string
  prometheus?: string
  query?: string
  since: string
  step: string
  horizon?: string
  model: string
  format?: string
  json?: boolean
  aggregate: string
}

/** Where the history comes from. */
export type HistorySource =
  | {kind: 'csv'; path: string}
  | {kind: 'recording'; db: string; metric: string}
  | {kind: 'prometheus'; url: string; query: string; sinceMs: number; stepMs: number}

export interface ForecastOptions {
  source: HistorySource
  /** Undefined: the default for the history's resolution. */
  horizon?: string
  model: ModelName | 'auto'
  format: (typeof FORECAST_FORMATS)[number]
  aggregate: 'sum' | 'mean'
}

/** @throws InputError listing every problem */
export function resolveForecastOptions(flags: ForecastFlags, problems = new ProblemList()): ForecastOptions {
  const sources = [flags.file, flags.prometheus, flags.recording].filter((s) => s !== undefined).length
  if (sources === 0)
    problems.add(
      'source',
      'give a CSV file (timestamp,value), --recording DB (from loadplan monitor) or --prometheus URL --query EXPR',
    )
  if (sources > 1) problems.add('source', 'give one of a CSV file, --recording or --prometheus')
  if (flags.prometheus !== undefined && flags.query === undefined)
    problems.add('--query', 'needed with --prometheus, e.g. --query "sum(rate(http_requests_total[5m]))"')
  if (!(MODEL_NAMES as readonly string[]).includes(flags.model) && flags.model !== 'auto')
    problems.add('--model', `expected auto or one of ${MODEL_NAMES.join(', ')}`, flags.model)
  const format = parseOutputFormat(flags.format, FORECAST_FORMATS, problems, flags.json)
  if (flags.aggregate !== 'sum' && flags.aggregate !== 'mean')
    problems.add('--aggregate', 'expected sum (counts) or mean (rates, levels)', flags.aggregate)
  const sinceMs = parseDurationMs(flags.since)
  const stepMs = parseDurationMs(flags.step)
  if (flags.prometheus !== undefined && !(sinceMs && sinceMs > 0))
    problems.add('--since', 'expected a duration such as 30d', flags.since)
  if (flags.prometheus !== undefined && !(stepMs && stepMs >= 1000))
    problems.add('--step', 'expected a duration of at least 1s, such as 1h', flags.step)
  if (flags.horizon !== undefined && horizonSteps(flags.horizon, 'hour') === undefined)
    problems.add(
      '--horizon',
      `expected a horizon such as 7d, 48h, 12mo, 1y or a number of steps, at most ${MAX_HORIZON_TEXT}`,
      flags.horizon,
    )
  return {
    source:
      flags.recording !== undefined
        ? {kind: 'recording', db: flags.recording, metric: flags.metric}
        : flags.prometheus !== undefined
          ? {
              kind: 'prometheus',
              url: flags.prometheus,
              query: flags.query as string,
              sinceMs: sinceMs as number,
              stepMs: stepMs as number,
            }
          : {kind: 'csv', path: flags.file as string},
    horizon: flags.horizon,
    model: flags.model as ModelName | 'auto',
    format,
    aggregate: flags.aggregate as 'sum' | 'mean',
  }
}
