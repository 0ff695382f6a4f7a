/**
 * Pass/fail criteria on a run, written as `metric op limit`:
 *
 *   threshold := metric op number unit?
 *   metric    := pN | p(N) | median | mean | avg | min | max          latency, unit us|µs|ms|s (default ms)
 *              | errors | error_rate | dropped | 1xx | 2xx | 3xx | 4xx | 5xx   ratio, unit % (or a fraction)
 *              | checks                                               passed / judged checks of journeys
 *              | rps | requests/s                                     completed requests per second
 *   WebSocket and gRPC runs (issue 34), judged on the whole run:
 *              | connect_<latency stat> | session_<latency stat>       connect time, session (call) duration
 *              | session_errors                                       sessions that ended badly, ratio
 *              | sent/s | received/s                                  messages per second each way
 *   op        := < | <= | > | >=
 *   selector  := {scenario:NAME} after the metric: judged on that scenario's requests alone
 *                (latency, errors and rps), e.g. p99{scenario:buy}<300ms
 *
 * Latency thresholds judge the coordinated-omission-corrected histogram: the latency users saw.
 */

export type ThresholdOperator = '<' | '<=' | '>' | '>='

/** A latency of sessions rather than of round trips: the connect time, or the session's duration. */
export type SessionLatency = 'connect' | 'session'

export type ThresholdMetric =
  | {kind: 'latency'; stat: 'percentile'; percentile: number; of?: SessionLatency}
  | {kind: 'latency'; stat: 'mean' | 'min' | 'max'; of?: SessionLatency}
  | {kind: 'ratio'; stat: 'errors' | 'dropped' | 'checks' | 'session_errors' | '1xx' | '2xx' | '3xx' | '4xx' | '5xx'}
  | {kind: 'rate'; stat: 'rps' | 'sent' | 'received'}

/** Whether a threshold judges what only WebSocket and gRPC runs measure. */
export function judgesSessions(metric: ThresholdMetric): boolean {
  return (
    (metric.kind === 'latency' && metric.of !== undefined) ||
    (metric.kind === 'ratio' && metric.stat === 'session_errors') ||
    (metric.kind === 'rate' && metric.stat !== 'rps')
  )
}

export interface Threshold {
  /** As the user wrote it, for messages. */
  expression: string
  /** Canonical name of the metric, e.g. `p99`, `errors`, `rps`. */
  name: string
  metric: ThresholdMetric
  operator: ThresholdOperator
  /** Limit in the metric's base unit: ms for latency, a fraction for ratios, per second for rates. */
  limit: number
  /** Judged on this scenario's requests alone. */
  scenario?: string
}

/** The values thresholds are judged against, in base units. */
export interface ThresholdSubject {
  latencyAtPercentileMs(percentile: number): number
  meanMs: number
  minMs: number
  maxMs: number
  errorRatio: number
  droppedRatio: number
  statusClassRatio(statusClass: 1 | 2 | 3 | 4 | 5): number
  requestsPerSec: number
  /** Passed / judged checks; NaN without checks. */
  checkRatio: number
  /** A WebSocket or gRPC run's sessions; absent otherwise. */
  sessions?: SessionSubject
}

/** What thresholds judge of sessions. */
export interface SessionSubject {
  latency(of: SessionLatency): Pick<ThresholdSubject, 'latencyAtPercentileMs' | 'meanMs' | 'minMs' | 'maxMs'>
  failedRatio: number
  sentPerSec: number
  receivedPerSec: number
}

export interface ThresholdOutcome {
  expression: string
  name: string
  operator: ThresholdOperator
  limit: number
  /** The measured value in the same unit as `limit`; NaN when nothing was measured. */
  value: number
  unit: 'ms' | 'ratio' | 'per-second'
  passed: boolean
  scenario?: string
}

const LATENCY_UNIT_MS: Record<string, number> = {us: 0.001, µs: 0.001, ms: 1, s: 1000}
const SCENARIO_SELECTOR = /^\s*([^{}<>=]*?)\s*\{\s*scenario\s*:\s*([^}]*?)\s*\}(.*)$/i
const THRESHOLD_PATTERN = /^\s*([a-z0-9_./()]+?)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([a-zµ%/]*)\s*$/i

/**
 * Parses one threshold expression.
 * @returns the threshold, or a message saying what is wrong and what would be right
 * @example parseThreshold('p99<250ms') // => {name: 'p99', operator: '<', limit: 250, ...}
 */
export function parseThreshold(expression: string): Threshold | {error: string} {
  const selector = SCENARIO_SELECTOR.exec(expression)
  if (selector) {
    const [, metric = '', scenario = '', rest = ''] = selector
    if (scenario === '') return {error: 'name the scenario, e.g. p99{scenario:buy}<300ms'}
    const parsed = parseThreshold(`${metric}${rest}`)
    if ('error' in parsed) return parsed
    if (judgesSessions(parsed.metric)) return {error: `${parsed.name} is judged on the whole run, not per scenario`}
    if (parsed.metric.kind === 'ratio' && parsed.metric.stat !== 'errors' && parsed.metric.stat !== 'checks')
      return {error: `${parsed.name} is judged on the whole run; per scenario: latency, errors, checks and rps`}
    return {...parsed, expression, name: `${parsed.name}{scenario:${scenario}}`, scenario}
  }
  const match = THRESHOLD_PATTERN.exec(expression)
  if (!match) return {error: 'expected "metric op limit", e.g. "p99<250ms", "errors<1%", "rps>=500"'}
  const [, rawMetric = '', operator = '<', rawNumber = '0', rawUnit = ''] = match
  const sessionLatency = /^(connect|session)_(.+)$/i.exec(rawMetric)
  if (sessionLatency && rawMetric.toLowerCase() !== 'session_errors') {
    const of = (sessionLatency[1] as string).toLowerCase() as SessionLatency
    const parsed = parseThreshold(expression.replace(/^\s*(connect|session)_/i, ''))
    if ('error' in parsed || parsed.metric.kind !== 'latency')
      return {error: `expected ${of}_ and a latency, e.g. "${of}_p99<${of === 'connect' ? '100ms' : '30s'}"`}
    return {...parsed, expression, name: `${of}_${parsed.name}`, metric: {...parsed.metric, of}}
  }
  const metricText = rawMetric.toLowerCase()
  const unit = rawUnit.toLowerCase()
  const number = Number(rawNumber)
  const op = operator as ThresholdOperator

  const percentileMatch = /^p\(?(\d+(?:\.\d+)?)\)?$/.exec(metricText)
  const namedStats: Record<string, 'median' | 'mean' | 'min' | 'max'> = {
    median: 'median',
    mean: 'mean',
    avg: 'mean',
    min: 'min',
    max: 'max',
  }
  const latencyStat = percentileMatch ? 'percentile' : namedStats[metricText]
  if (latencyStat) {
    const scale = unit === '' ? 1 : LATENCY_UNIT_MS[unit]
    if (scale === undefined) return {error: `unknown latency unit "${rawUnit}"; use us, ms or s`}
    if (latencyStat === 'percentile' || latencyStat === 'median') {
      const percentile = latencyStat === 'median' ? 50 : Number(percentileMatch?.[1])
      if (!(percentile > 0 && percentile <= 100)) return {error: `percentile must be in (0, 100], e.g. p99 or p(99.9)`}
      return {
        expression,
        name: `p${percentile}`,
        metric: {kind: 'latency', stat: 'percentile', percentile},
        operator: op,
        limit: number * scale,
      }
    }
    return {
      expression,
      name: latencyStat,
      metric: {kind: 'latency', stat: latencyStat},
      operator: op,
      limit: number * scale,
    }
  }

  const namedRatios: Record<string, 'errors' | 'dropped' | 'checks' | 'session_errors'> = {
    session_errors: 'session_errors',
    sessions_failed: 'session_errors',
    errors: 'errors',
    error_rate: 'errors',
    error_ratio: 'errors',
    dropped: 'dropped',
    checks: 'checks',
  }
  const ratioStat = namedRatios[metricText] ?? (/^[1-5]xx$/.test(metricText) ? (metricText as '2xx') : undefined)
  if (ratioStat) {
    if (unit !== '' && unit !== '%')
      return {error: `a ratio takes % or a fraction, e.g. "${metricText}<1%" or "${metricText}<0.01"`}
    const limit = unit === '%' ? number / 100 : number
    if (limit > 1) return {error: `a ratio cannot exceed 100%; write "${metricText}<${rawNumber}%"?`}
    return {expression, name: ratioStat, metric: {kind: 'ratio', stat: ratioStat}, operator: op, limit}
  }

  if (metricText === 'rps' || metricText === 'requests/s' || metricText === 'throughput') {
    if (unit !== '' && unit !== '/s') return {error: 'a request rate takes no unit or /s, e.g. "rps>500"'}
    return {expression, name: 'rps', metric: {kind: 'rate', stat: 'rps'}, operator: op, limit: number}
  }
  const messageRate = /^(?:messages_)?(sent|received)\/s$/.exec(metricText)?.[1] as 'sent' | 'received' | undefined
  if (messageRate) {
    if (unit !== '') return {error: `a message rate takes no unit, e.g. "${messageRate}/s>=1000"`}
    return {
      expression,
      name: `${messageRate}/s`,
      metric: {kind: 'rate', stat: messageRate},
      operator: op,
      limit: number,
    }
  }
  return {
    error: `unknown metric "${rawMetric}"; use p50..p99.99, median, mean, min, max, errors, dropped, checks, 2xx..5xx or rps (WebSocket and gRPC: also connect_p99, session_p99, session_errors, sent/s, received/s)`,
  }
}

function measure(metric: ThresholdMetric, subject: ThresholdSubject): number {
  const {sessions} = subject
  switch (metric.kind) {
    case 'latency': {
      if (metric.of !== undefined && !sessions) return Number.NaN
      const of = metric.of === undefined ? subject : (sessions as SessionSubject).latency(metric.of)
      if (metric.stat === 'percentile') return of.latencyAtPercentileMs(metric.percentile)
      return metric.stat === 'mean' ? of.meanMs : metric.stat === 'min' ? of.minMs : of.maxMs
    }
    case 'ratio':
      if (metric.stat === 'session_errors') return sessions?.failedRatio ?? Number.NaN
      if (metric.stat === 'errors') return subject.errorRatio
      if (metric.stat === 'dropped') return subject.droppedRatio
      if (metric.stat === 'checks') return subject.checkRatio
      return subject.statusClassRatio(Number(metric.stat[0]) as 1 | 2 | 3 | 4 | 5)
    case 'rate':
      if (metric.stat === 'rps') return subject.requestsPerSec
      return (metric.stat === 'sent' ? sessions?.sentPerSec : sessions?.receivedPerSec) ?? Number.NaN
  }
}

function compare(value: number, operator: ThresholdOperator, limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit
    case '<=':
      return value <= limit
    case '>':
      return value > limit
    case '>=':
      return value >= limit
  }
}

/**
 * Judges thresholds. A metric that could not be measured (no responses at all) fails: an empty
 * run must not pass CI.
 */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  subject: ThresholdSubject,
  scenarioSubject: (name: string) => ThresholdSubject | undefined = () => undefined,
): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const judged = threshold.scenario === undefined ? subject : scenarioSubject(threshold.scenario)
    const value = judged ? measure(threshold.metric, judged) : Number.NaN
    const unit = threshold.metric.kind === 'latency' ? 'ms' : threshold.metric.kind === 'ratio' ? 'ratio' : 'per-second'
    return {
      expression: threshold.expression,
      name: threshold.name,
      operator: threshold.operator,
      limit: threshold.limit,
      value,
      unit,
      passed: Number.isFinite(value) && compare(value, threshold.operator, threshold.limit),
      ...(threshold.scenario === undefined ? {} : {scenario: threshold.scenario}),
    }
  })
}
