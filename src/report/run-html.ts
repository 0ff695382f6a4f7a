/**
 * `loadplan report RESULT --html`: one self-contained page for a run (inline CSS and SVG, no
 * scripts, no network): throughput over time against the target rate, latency percentiles over
 * time, status codes, errors by class, scenarios (steps and checks), thresholds. Every figure is
 * the saved result's own; nothing is recomputed but the target rate each second. Pure.
 */
import {formatCount, formatDurationMs, formatMaybeMs} from '../contracts/format/units.js'
import {runTargetLabel, type RunResult} from '../contracts/results/run-result.js'
import {formatThresholdValue} from './summary-table.js'
import {axes, CHART_CSS, CHART_H, CHART_PAD, CHART_W, linePath, niceMax} from './svg-chart.js'
import {htmlTable, pageHead} from './html-page.js'
import {escapeXml} from './xml.js'
import {sessionRows} from './session-views.js'

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '–')

/** The planned rate at `second` (open model: the ramping stages; closed model: the rate cap). */
export function targetRateAt(options: RunResult['options'], second: number): number | undefined {
  if (options.model === 'closed') return options.ratePerSec
  let atMs = second * 1000
  let from = options.startRatePerSec ?? 0
  for (const stage of options.stages ?? []) {
    const durationMs = stage.durationMs ?? Number.POSITIVE_INFINITY
    if (atMs <= durationMs)
      return Number.isFinite(durationMs) && durationMs > 0
        ? from + ((stage.targetRatePerSec - from) * atMs) / durationMs
        : stage.targetRatePerSec
    atMs -= durationMs
    from = stage.targetRatePerSec
  }
  return undefined
}

function xScale(seconds: number): (s: number) => number {
  return (s) => CHART_PAD.left + (s / Math.max(1, seconds)) * (CHART_W - CHART_PAD.left - CHART_PAD.right)
}

function yScale(maxY: number): (v: number) => number {
  return (v) => CHART_H - CHART_PAD.bottom - (v / maxY) * (CHART_H - CHART_PAD.top - CHART_PAD.bottom)
}

function timeLabels(seconds: number, x: (s: number) => number): Array<[number, string]> {
  const step = Math.max(1, Math.ceil(seconds / 8))
  const labels: Array<[number, string]> = []
  for (let s = 0; s <= seconds; s += step) labels.push([x(s), `${s}s`])
  return labels
}

function throughputChart(result: RunResult): string {
  const seconds = result.seconds
  const span = Math.max(1, ...seconds.map((s) => s.second + 1))
  const targets = seconds.map((s) => targetRateAt(result.options, s.second + 0.5))
  const maxY = niceMax(Math.max(1, ...seconds.map((s) => s.requestsPerSec), ...targets.map((t) => t ?? 0)), {
    integer: true,
  })
  const x = xScale(span)
  const y = yScale(maxY)
  const points = seconds.map((s) => [x(s.second + 0.5), y(s.requestsPerSec)] as const)
  const achieved = linePath(points)
  // The area under the achieved line keeps it visible where the target's line lies on it.
  const area = `${achieved}L${(points.at(-1)?.[0] ?? 0).toFixed(1)},${y(0)}L${(points[0]?.[0] ?? 0).toFixed(1)},${y(0)}Z`
  const targetPoints = seconds.flatMap((s, i) =>
    targets[i] === undefined ? [] : [[x(s.second + 0.5), y(targets[i] as number)] as const],
  )
  const planned = targetPoints.length > 0 ? `<path d="${linePath(targetPoints)}" class="target"/>` : ''
  return `<svg id="throughput-chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Requests per second over time">
${axes(maxY, (v) => `${v.toFixed(0)}/s`, timeLabels(span, x))}
<path d="${area}" class="achieved-area"/>
<path d="${achieved}" class="achieved"/>
${planned}
</svg>`
}

function latencyChart(result: RunResult): string {
  const seconds = result.seconds.filter((s) => s.p99Ms !== null)
  const span = Math.max(1, ...result.seconds.map((s) => s.second + 1))
  const maxY = niceMax(Math.max(1, ...seconds.map((s) => s.p99Ms ?? 0)))
  const x = xScale(span)
  const y = yScale(maxY)
  const line = (pick: (s: RunResult['seconds'][number]) => number | null, cls: string) =>
    `<path d="${linePath(seconds.map((s) => [x(s.second + 0.5), y(pick(s) ?? 0)]))}" class="${cls}"/>`
  return `<svg id="latency-chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Latency percentiles over time">
${axes(maxY, (v) => formatMaybeMs(v), timeLabels(span, x))}
${line((s) => s.p99Ms, 'p99')}
${line((s) => s.p90Ms, 'p90')}
${line((s) => s.p50Ms, 'p50')}
</svg>`
}

/** Percentiles the table lists, as LatencySummary keys them. */
const TABLE_PERCENTILES = ['50', '75', '90', '95', '99', '99.9', '99.99']

/** Corrected and uncorrected latency side by side, and the generator's own delay (open model). */
function percentileTable(result: RunResult): string {
  const {corrected, uncorrected} = result.latency
  const row = (p: string) => [
    `p${p}`,
    formatMaybeMs(corrected.percentilesMs[p]),
    formatMaybeMs(uncorrected.percentilesMs[p]),
  ]
  const rows = [
    ...TABLE_PERCENTILES.filter((p) => corrected.percentilesMs[p] !== undefined).map(row),
    ['max', formatMaybeMs(corrected.maxMs), formatMaybeMs(uncorrected.maxMs)],
    ['mean', formatMaybeMs(corrected.meanMs), formatMaybeMs(uncorrected.meanMs)],
  ]
  const schedule = result.schedule
  const note = schedule
    ? `<p>Corrected latency is measured from each request's due time, uncorrected from when it was written. loadplan itself sent arrivals p50 ${escapeXml(formatMaybeMs(schedule.lateP50Ms))}, p99 ${escapeXml(formatMaybeMs(schedule.lateP99Ms))}, max ${escapeXml(formatMaybeMs(schedule.lateMaxMs))} after their due time; corrected latency includes that delay.</p>`
    : `<p>Corrected latency is measured from each request's due time, uncorrected from when it was written.</p>`
  return `${htmlTable(['percentile', 'corrected', 'uncorrected'], rows, 'percentile-table')}\n${note}`
}

/** Per-second charts need two seconds at least: one point draws no line. */
const MIN_CHART_SECONDS = 2

export function renderRunHtml(result: RunResult): string {
  const t = result.totals
  const c = result.latency.corrected
  const label = result.service ? `${result.service} (${runTargetLabel(result)})` : runTargetLabel(result)
  const verdict =
    result.stopReason === 'interrupted' ? 'interrupted: partial result' : result.passed ? 'passed' : 'failed'
  const statusRows = Object.entries(result.statusCodes).map(([code, n]) => [
    code,
    formatCount(n),
    pct(n / Math.max(1, t.completed)),
  ])
  const errorRows = Object.entries(result.errors)
    .filter(([, n]) => n > 0)
    .map(([cls, n]) => [cls, formatCount(n)])
  const scenarioRows = (result.scenarios ?? []).flatMap((s) => [
    [
      s.name,
      pct(s.share),
      formatCount(s.completed),
      formatCount(s.errors),
      formatMaybeMs(s.latency.percentilesMs['50']),
      formatMaybeMs(s.latency.percentilesMs['99']),
    ],
    ...(s.steps ?? []).map((step) => [
      `› ${step.name}`,
      '',
      formatCount(step.completed),
      formatCount(step.errors),
      formatMaybeMs(step.latency.percentilesMs['50']),
      formatMaybeMs(step.latency.percentilesMs['99']),
    ]),
  ])
  const checkRows = (result.scenarios ?? []).flatMap((s) =>
    (s.steps ?? []).flatMap((step) =>
      step.checks.map((check) => [
        `${s.name} › ${step.name} › ${check.name}`,
        formatCount(check.passed),
        formatCount(check.failed),
      ]),
    ),
  )
  const thresholdRows = result.thresholds.map((o) => [
    o.expression,
    formatThresholdValue(o, o.value),
    `${o.operator} ${formatThresholdValue(o, o.limit)}`,
    o.passed ? 'pass' : 'FAIL',
  ])
  const hasTarget = result.options.model === 'open' || result.options.ratePerSec !== undefined
  return `${pageHead(
    `loadplan run: ${label}`,
    `${CHART_CSS}
.achieved{fill:none;stroke:#3f7cc4;stroke-width:3}.achieved-area{fill:#3f7cc4;fill-opacity:.14;stroke:none}.target{fill:none;stroke:#d0552b;stroke-width:1.5;stroke-dasharray:6 4}
.p50{fill:none;stroke:#7bbf6a;stroke-width:1.5}.p90{fill:none;stroke:#e0a43a;stroke-width:1.5}.p99{fill:none;stroke:#d0552b;stroke-width:2}`,
  )}
<h1>loadplan run: ${escapeXml(label)}</h1>
<p class="verdict-${result.passed ? 'passed' : 'failed'}"><strong>${escapeXml(verdict)}</strong> — ${escapeXml(result.options.model)} model, ${escapeXml(formatDurationMs(result.durationMs))}, started ${escapeXml(result.startedAt)}.</p>
<p>${formatCount(t.completed)} responses, ${t.requestsPerSec.toFixed(1)}/s; errors ${formatCount(t.errors)} (${pct(t.errorRatio)}); dropped ${formatCount(t.dropped)}. Corrected latency p50 ${formatMaybeMs(c.percentilesMs['50'])}, p90 ${formatMaybeMs(c.percentilesMs['90'])}, p99 ${formatMaybeMs(c.percentilesMs['99'])}, max ${formatMaybeMs(c.maxMs)}.</p>
<h2>Latency percentiles</h2>
${percentileTable(result)}
${
  result.seconds.length < MIN_CHART_SECONDS
    ? `<p id="no-charts">The run lasted ${escapeXml(formatDurationMs(result.durationMs))}: too short for charts per second; the totals and percentiles above are the whole run.</p>`
    : `<h2>Throughput</h2>
<p class="legend"><span><i style="background:#3f7cc4"></i>achieved requests/s</span>${hasTarget ? '<span><i style="background:#d0552b"></i>target rate (dashed)</span>' : ''}</p>
${throughputChart(result)}
<p>A last second shorter than a whole one is drawn at its rate over the time it lasted.</p>
<h2>Latency (corrected) per second</h2>
<p class="legend"><span><i style="background:#7bbf6a"></i>p50</span><span><i style="background:#e0a43a"></i>p90</span><span><i style="background:#d0552b"></i>p99</span></p>
${latencyChart(result)}`
}
<h2>Status codes</h2>
${result.sessions ? `<h2>Sessions</h2>\n${htmlTable(['figure', 'value'], sessionRows(result), 'session-table')}` : htmlTable(['status', 'responses', 'share'], statusRows, 'status-table')}
${errorRows.length > 0 ? `<h2>Transport errors</h2>\n${htmlTable(['class', 'count'], errorRows, 'error-table')}` : ''}
${scenarioRows.length > 0 ? `<h2>Scenarios</h2>\n${htmlTable(['scenario / step', 'share', 'responses', 'errors', 'p50', 'p99'], scenarioRows, 'scenario-table')}` : ''}
${checkRows.length > 0 ? `<h2>Checks</h2>\n${htmlTable(['check', 'passed', 'failed'], checkRows, 'check-table')}` : ''}
${thresholdRows.length > 0 ? `<h2>Thresholds</h2>\n${htmlTable(['threshold', 'value', 'limit', 'result'], thresholdRows, 'threshold-table')}` : ''}
</body></html>
`
}
