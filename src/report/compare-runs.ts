/**
 * Compares a run with a baseline RunResult: a side-by-side table, and a regression verdict when
 * p99 latency or the error ratio worsened by more than the allowed ratio. Pure.
 */
import {formatDurationMs} from '../contracts/format/units.js'
import {stringifyResult, type RunResult} from '../contracts/results/run-result.js'

export interface ComparisonRow {
  metric: string
  baseline: number
  current: number
  /** (current − baseline) / baseline; NaN when the baseline is 0. */
  change: number
  /** Does a larger value mean worse? */
  higherIsWorse: boolean
  unit: 'ms' | 'ratio' | 'per-second'
  /** Judged for regressions (p99 and the error ratio); the rest is context. */
  judged: boolean
  regressed: boolean
}

export interface RunComparison {
  allowedRatio: number
  rows: ComparisonRow[]
  regressed: boolean
}

/**
 * Why two runs' figures may not be comparable: a closed-model run's latency is what clients that
 * wait for answers saw, an open-model run's includes queueing behind a schedule; a different load
 * shape changes both. Empty when they ran the same way.
 */
export function comparabilityWarnings(baseline: RunResult, current: RunResult): string[] {
  const b = baseline.options
  const c = current.options
  if (b.model !== c.model)
    return [
      `warning: the baseline ran the ${b.model} model and this run the ${c.model} model: their latencies measure different things (clients waiting for answers vs arrivals on a schedule), so the comparison says little`,
    ]
  const load = (o: RunResult['options']) =>
    `${o.connections} connections${o.ratePerSec === undefined ? '' : ` capped at ${o.ratePerSec}/s`}`
  if (b.model === 'closed' && (b.connections !== c.connections || b.ratePerSec !== c.ratePerSec))
    return [
      `warning: the baseline ran ${load(b)} and this run ${load(c)}: latency under another load is not a like-for-like comparison`,
    ]
  return []
}

/** Error ratios closer than this (0.1 percentage point) are never a regression: noise at low counts. */
const ERROR_RATIO_FLOOR = 0.001

export function compareRuns(baseline: RunResult, current: RunResult, allowedRatio: number): RunComparison {
  const b = baseline.latency.corrected
  const c = current.latency.corrected
  const row = (
    metric: string,
    before: number,
    after: number,
    unit: ComparisonRow['unit'],
    higherIsWorse: boolean,
    judged: boolean,
  ): ComparisonRow => {
    const change = before === 0 ? Number.NaN : (after - before) / before
    let regressed = false
    if (judged) {
      const worseBy = higherIsWorse ? after - before : before - after
      const limit = Math.abs(before) * allowedRatio
      regressed = worseBy > limit && (unit !== 'ratio' || worseBy > ERROR_RATIO_FLOOR)
    }
    return {metric, baseline: before, current: after, change, higherIsWorse, unit, judged, regressed}
  }
  const rows = [
    row('p50', b.percentilesMs['50'] as number, c.percentilesMs['50'] as number, 'ms', true, false),
    row('p90', b.percentilesMs['90'] as number, c.percentilesMs['90'] as number, 'ms', true, false),
    row('p99', b.percentilesMs['99'] as number, c.percentilesMs['99'] as number, 'ms', true, true),
    row('max', b.maxMs, c.maxMs, 'ms', true, false),
    row('requests/s', baseline.totals.requestsPerSec, current.totals.requestsPerSec, 'per-second', false, false),
    row('error ratio', baseline.totals.errorRatio, current.totals.errorRatio, 'ratio', true, true),
  ]
  return {allowedRatio, rows, regressed: rows.some((r) => r.regressed)}
}

function value(row: ComparisonRow, v: number): string {
  if (!Number.isFinite(v)) return '–'
  if (row.unit === 'ms') return formatDurationMs(v)
  if (row.unit === 'ratio') return `${(v * 100).toFixed(2)}%`
  return `${v.toFixed(1)}/s`
}

function change(row: ComparisonRow): string {
  if (!Number.isFinite(row.change)) return row.current === row.baseline ? '±0%' : 'new'
  return `${row.change >= 0 ? '+' : ''}${(row.change * 100).toFixed(1)}%`
}

function verdict(row: ComparisonRow): string {
  if (!row.judged) return ''
  return row.regressed ? 'REGRESSION' : 'ok'
}

/** Plain-text side-by-side table. */
export function renderComparison(comparison: RunComparison): string {
  const header = [
    'metric',
    'baseline',
    'current',
    'change',
    `verdict (>${(comparison.allowedRatio * 100).toFixed(0)}% worse)`,
  ]
  const body = comparison.rows.map((r) => [r.metric, value(r, r.baseline), value(r, r.current), change(r), verdict(r)])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] as string).length)))
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd()
  return `${[format(header), ...body.map(format)].join('\n')}\n`
}

/** The same table in Markdown. */
export function comparisonToMarkdown(comparison: RunComparison): string {
  const lines = [
    `| metric | baseline | current | change | verdict (>${(comparison.allowedRatio * 100).toFixed(0)}% worse) |`,
    '|---|---:|---:|---:|---|',
  ]
  for (const r of comparison.rows)
    lines.push(
      `| ${r.metric} | ${value(r, r.baseline)} | ${value(r, r.current)} | ${change(r)} | ${r.regressed ? '❌ regression' : r.judged ? '✅ ok' : ''} |`,
    )
  return `${lines.join('\n')}\n`
}

/** The comparison as JSON (a change against a zero baseline is null). */
export function comparisonToJson(document: {baseline: string; current: string; comparison: RunComparison}): string {
  return stringifyResult(document)
}
