/**
 * The service-level objective a capacity search judges each step against, as thresholds. Given as
 * `--slo "p99<250ms,errors<1%"` or in the service file as `slo: {latencyP99Ms: 250, errorRatio: 0.01}`
 * (any `latencyP<N>Ms`) or as a list of threshold expressions.
 */
import {ProblemList} from '../../contracts/errors.js'
import {parseThreshold, type Threshold} from '../../contracts/stats/thresholds.js'

/** Used when neither the flags nor the file state an SLO. */
export const DEFAULT_SLO = 'p99<250ms,errors<1%'

function keyToExpression(key: string, value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined
  if (key === 'errorRatio') return `errors<=${value}`
  const match = /^latencyP(\d+(?:_\d+)?)Ms$/.exec(key)
  return match ? `p${(match[1] as string).replace('_', '.')}<=${value}ms` : undefined
}

/**
 * Parses the SLO from the flag text or the file's `slo:` value.
 * @throws InputError naming every bad part
 */
export function parseSlo(flagText: string | undefined, fileSlo: unknown, fileField = 'slo'): Threshold[] {
  const problems = new ProblemList()
  const entries: Array<[string, string]> = []
  if (flagText !== undefined) {
    flagText
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .forEach((part, i) => entries.push([`--slo[${i}]`, part]))
  } else if (Array.isArray(fileSlo)) {
    fileSlo.forEach((item, i) => entries.push([`${fileField}[${i}]`, String(item)]))
  } else if (fileSlo !== undefined && fileSlo !== null && typeof fileSlo === 'object') {
    for (const [key, value] of Object.entries(fileSlo)) {
      const expression = keyToExpression(key, value)
      if (expression === undefined)
        problems.add(
          `${fileField}.${key}`,
          'expected latencyP<N>Ms: <milliseconds> (e.g. latencyP99Ms: 250) or errorRatio: <fraction> (e.g. 0.01)',
          value,
        )
      else entries.push([`${fileField}.${key}`, expression])
    }
  } else if (fileSlo !== undefined) {
    problems.add(
      fileField,
      'expected a map such as {latencyP99Ms: 250, errorRatio: 0.01} or a list of thresholds',
      fileSlo,
    )
  } else {
    DEFAULT_SLO.split(',').forEach((part, i) => entries.push([`default slo[${i}]`, part]))
  }
  const thresholds: Threshold[] = []
  for (const [field, text] of entries) {
    const parsed = parseThreshold(text)
    if ('error' in parsed) problems.add(field, parsed.error, text)
    else if (parsed.metric.kind === 'rate')
      problems.add(field, 'an SLO bounds latency and errors; the request rate is what the search finds', text)
    else thresholds.push(parsed)
  }
  if (thresholds.length === 0 && problems.items.length === 0)
    problems.add('--slo', 'needs at least one objective, e.g. --slo "p99<250ms,errors<1%"')
  problems.throwIfAny('Invalid SLO:')
  return thresholds
}
