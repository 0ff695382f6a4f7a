/** Renderings of a Forecast: the CSV, the summary with a chart, and the versioned JSON. Pure. */
import {bandChart, forecastBands} from '../contracts/format/band-chart.js'
import {toCsv} from '../contracts/format/csv.js'
import type {ForecastDocument, ForecastResult} from '../contracts/results/forecast-document.js'
import {stringifyResult} from '../contracts/results/run-result.js'

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
const round = (n: number) =>
  n === 0 ? '0' : Math.abs(n) >= 100 ? n.toFixed(2) : Math.abs(n) >= 1 ? n.toFixed(4) : n.toPrecision(6)

/** Exactly `timestamp,forecast,lo80,hi80,lo95,hi95`. */
export function forecastToCsv(result: ForecastResult): string {
  return toCsv(
    ['timestamp', 'forecast', 'lo80', 'hi80', 'lo95', 'hi95'],
    result.points.map((p) => [
      iso(p.timestamp),
      round(p.forecast),
      round(p.lo80),
      round(p.hi80),
      round(p.lo95),
      round(p.hi95),
    ]),
  )
}

/** The chart of `format/band-chart` with the top and bottom values labelled on the left. */
export function renderForecastChart(
  history: readonly number[],
  result: ForecastResult,
  width = 72,
  height = 12,
): string {
  const p = result.points
  const chart = bandChart(forecastBands(history, p), width, height)
  const label = (v: number) => round(v).padStart(10)
  return chart.rows
    .map(
      (cells, r) =>
        `${r === 0 ? label(chart.top) : r === height - 1 ? label(chart.bottom) : ' '.repeat(10)} │${cells.join('')}`,
    )
    .join('\n')
}

const pct = (n: number) => `${n >= 0 ? '+' : ''}${(n * 100).toFixed(1)}%`

export function renderForecastSummary(document: ForecastDocument, history: readonly number[], chart: boolean): string {
  const {result} = document
  const lines = [
    `loadplan forecast  ${document.source}`,
    `history: ${document.history.points} ${document.history.resolution}s, ${document.history.first} … ${document.history.last}${document.history.notes.length > 0 ? `; ${document.history.notes.join('; ')}` : ''}`,
    `model: ${result.model}${result.members.length > 0 ? ` (the median of ${result.members.join(', ')})` : ''}; cycles modelled: ${result.periods.length > 0 ? result.periods.join(', ') : 'none'} steps; horizon ${result.points.length} ${result.resolution}s`,
    ...result.horizons.map((part) => `  steps ${part.fromStep}–${part.toStep}: ${part.model}, ${part.description}`),
  ]
  if (result.growth)
    lines.push(
      `growth: ${pct(result.growth.perMonth)} per month (80% interval ${pct(result.growth.lo80)} … ${pct(result.growth.hi80)}, from ${result.growth.cycles} cycles)`,
    )
  const scored = result.backtest.filter((b) => Number.isFinite(b.relative)).sort((a, b) => a.relative - b.relative)
  if (scored.length > 0) {
    lines.push(
      `backtest (${scored[0]?.folds} rolling origin${scored[0]?.folds === 1 ? '' : 's'}): error relative to the seasonal naive's (below 1 beats it), MASE, error of each cycle's peak`,
    )
    for (const b of scored)
      lines.push(
        `  ${b.model.padEnd(19)} ${b.relative.toFixed(3).padStart(6)}  ${b.mase.toFixed(3).padStart(7)}  ${Number.isFinite(b.peakError) ? `${(b.peakError * 100).toFixed(1)}%`.padStart(6) : '     –'}`,
      )
  }
  lines.push(`bands (80 %, 95 %): ${result.interval.description}`)
  if (chart) lines.push('', renderForecastChart(history, result), '')
  const bands = new Map(document.monthlyPeakBands.map((b) => [b.month, b]))
  const band = (month: number) => {
    const b = bands.get(month)
    return b ? `  ${round(b.p50).padStart(12)}  ${`${round(b.p10)}–${round(b.p90)}`.padStart(21)}` : ''
  }
  if (result.resolution !== 'month') {
    const days = result.dailyPeaks
    lines.push('daily peaks (forecast, upper 95%):')
    for (const p of days.slice(0, 14))
      lines.push(`  ${iso(p.day).slice(0, 10)}  ${round(p.forecast).padStart(12)}  ${round(p.hi95).padStart(12)}`)
    if (days.length > 14) lines.push(`  … ${days.length - 14} more (--format json or csv for all)`)
  }
  if (result.resolution === 'month' || result.monthlyPeaks.length > 1) {
    lines.push(
      `monthly peaks (forecast, upper 95%${bands.size > 0 ? "; the month's peak over sample paths, P50 and P10–P90, as plan sizes on" : ''}):`,
    )
    for (const p of result.monthlyPeaks)
      lines.push(
        `  ${iso(p.month).slice(0, 7)}  ${round(p.forecast).padStart(12)}  ${round(p.hi95).padStart(12)}${band(p.month)}`,
      )
  }
  return `${lines.join('\n')}\n`
}

/** The forecast in the format asked for: the summary (with a chart), the versioned JSON or the CSV. */
export function renderForecast(
  document: ForecastDocument,
  history: readonly number[],
  format: 'table' | 'json' | 'csv',
  chart: boolean,
): string {
  return format === 'csv'
    ? forecastToCsv(document.result)
    : format === 'json'
      ? stringifyResult(document)
      : renderForecastSummary(document, history, chart)
}
