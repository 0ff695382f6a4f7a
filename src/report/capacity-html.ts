/**
 * `loadplan report CAPACITY.json --html`: one self-contained page for a capacity search (inline CSS
 * and SVG, no scripts, no network): the answer and its bracket, latency against the offered rate
 * with the SLO's limits, served against offered, every step with why it failed, and the USL fit.
 * Every figure is the saved result's own. Pure.
 */
import {formatDurationMs, formatMaybeMs} from '../contracts/format/units.js'
import type {CapacityResult, CapacityStep} from '../contracts/results/capacity-result.js'
import {parseThreshold} from '../contracts/stats/thresholds.js'
import {axes, CHART_CSS, CHART_H, CHART_PAD, CHART_W, linePath, niceMax} from './svg-chart.js'
import {htmlTable, pageHead} from './html-page.js'
import {escapeXml} from './xml.js'

const pct = (ratio: number | null) => (ratio === null || !Number.isFinite(ratio) ? '–' : `${(ratio * 100).toFixed(2)}%`)
const capitalize = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`
const rate = (v: number) => `${v.toFixed(v >= 100 ? 0 : 1)}/s`

const PLOT_W = CHART_W - CHART_PAD.left - CHART_PAD.right
const PLOT_H = CHART_H - CHART_PAD.top - CHART_PAD.bottom
const xOf = (maxX: number) => (v: number) => CHART_PAD.left + (v / maxX) * PLOT_W
const yOf = (maxY: number) => (v: number) => CHART_H - CHART_PAD.bottom - (Math.min(v, maxY) / maxY) * PLOT_H

/** The SLO's latency limits (p99<100ms → {label: 'p99', ms: 100}): the lines the latency chart draws. */
function latencyLimits(slo: readonly string[]): Array<{label: string; ms: number}> {
  return slo.flatMap((text) => {
    const t = parseThreshold(text)
    return 'error' in t || t.metric.kind !== 'latency' ? [] : [{label: text, ms: t.limit}]
  })
}

function rateLabels(maxX: number, x: (v: number) => number): Array<[number, string]> {
  return [0, 1, 2, 3, 4].map((i) => [x((maxX * i) / 4), `${((maxX * i) / 4).toFixed(0)}/s`])
}

/** Vertical markers at the sustainable and breaking rates. */
function bracketLines(result: CapacityResult, x: (v: number) => number): string {
  const line = (v: number | null, cls: string) =>
    v === null
      ? ''
      : `<line x1="${x(v).toFixed(1)}" y1="${CHART_PAD.top}" x2="${x(v).toFixed(1)}" y2="${CHART_H - CHART_PAD.bottom}" class="${cls}"/>`
  return line(result.sustainableRatePerSec, 'sustainable') + line(result.breakingRatePerSec, 'breaking')
}

function dot(cx: number, cy: number, cls: string, title: string): string {
  return `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" class="${cls}"><title>${escapeXml(title)}</title></circle>`
}

function latencyChart(result: CapacityResult, steps: readonly CapacityStep[]): string {
  const limits = latencyLimits(result.slo)
  const maxX = niceMax(Math.max(1, ...steps.map((s) => s.offeredRatePerSec)), {integer: true})
  // Latency far past the limit would flatten everything under it: the axis stops at 3× the limit.
  const highest = Math.max(1, ...steps.map((s) => s.p99Ms ?? 0), ...limits.map((l) => l.ms))
  const cap = limits.length > 0 ? 3 * Math.max(...limits.map((l) => l.ms)) : highest
  const maxY = niceMax(Math.min(highest, cap))
  const x = xOf(maxX)
  const y = yOf(maxY)
  const limitLines = limits
    .map(
      (l) =>
        `<line x1="${CHART_PAD.left}" y1="${y(l.ms).toFixed(1)}" x2="${CHART_W - CHART_PAD.right}" y2="${y(l.ms).toFixed(1)}" class="limit"/><text x="${CHART_W - CHART_PAD.right - 4}" y="${(y(l.ms) - 4).toFixed(1)}" class="limit-label">${escapeXml(l.label)}</text>`,
    )
    .join('')
  const measured = steps.filter((s) => s.p99Ms !== null)
  const byRate = [...measured].sort((a, b) => a.offeredRatePerSec - b.offeredRatePerSec)
  const p50 = linePath(byRate.map((s) => [x(s.offeredRatePerSec), y(s.p50Ms ?? 0)]))
  const p99Dots = measured
    .map((s) =>
      dot(
        x(s.offeredRatePerSec),
        y(s.p99Ms ?? 0),
        s.passed ? 'pass' : 'fail',
        `step ${s.index + 1}: ${s.offeredRatePerSec}/s, p99 ${formatMaybeMs(s.p99Ms)}${s.passed ? '' : `: ${s.failures.join('; ')}`}`,
      ),
    )
    .join('')
  return `<svg id="latency-chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Latency by offered rate">
${axes(maxY, (v) => formatMaybeMs(v), rateLabels(maxX, x))}
${bracketLines(result, x)}${limitLines}
<path d="${p50}" class="p50"/>
${p99Dots}
</svg>`
}

function servedChart(result: CapacityResult, steps: readonly CapacityStep[]): string {
  const maxX = niceMax(Math.max(1, ...steps.map((s) => s.offeredRatePerSec)), {integer: true})
  const maxY = niceMax(Math.max(1, ...steps.map((s) => Math.max(s.offeredRatePerSec, s.achievedRatePerSec))), {
    integer: true,
  })
  const x = xOf(maxX)
  const y = yOf(maxY)
  const diagonal = linePath([
    [x(0), y(0)],
    [x(Math.min(maxX, maxY)), y(Math.min(maxX, maxY))],
  ])
  const dots = steps
    .map((s) =>
      dot(
        x(s.offeredRatePerSec),
        y(s.achievedRatePerSec),
        s.passed ? 'pass' : 'fail',
        `step ${s.index + 1}: offered ${s.offeredRatePerSec}/s, served ${s.achievedRatePerSec.toFixed(1)}/s`,
      ),
    )
    .join('')
  return `<svg id="served-chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Served rate by offered rate">
${axes(maxY, (v) => `${v.toFixed(0)}/s`, rateLabels(maxX, x))}
${bracketLines(result, x)}<path d="${diagonal}" class="diagonal"/>
${dots}
</svg>`
}

const STOP_REASONS: Record<CapacityResult['stopReason'], string> = {
  converged: 'the search converged within its precision',
  'max-rate': 'the search reached --max-rate without breaking the SLO: the sustainable rate is a lower bound',
  'nothing-sustainable': 'nothing met the SLO down to the lowest rate tried',
  'max-duration': 'the search ran out of --max-duration: the bracket is what it found',
  interrupted: 'the search was interrupted: the result is what it found so far',
}

export function renderCapacityHtml(result: CapacityResult): string {
  const label = result.service ? `${result.service} (${result.target})` : result.target
  const steps = result.steps
  const answer =
    result.sustainableRatePerSec === null
      ? 'no sustainable rate'
      : `sustainable ${rate(result.sustainableRatePerSec)} per instance`
  const bracket =
    result.breakingRatePerSec === null
      ? `not broken up to ${rate(result.settings.maxRatePerSec)}`
      : `breaks at ${rate(result.breakingRatePerSec)}`
  const at = result.atSustainable
  const host = result.host
  const serviceOn = host.instanceType
    ? `the service ran on ${host.instanceType} (--instance-type)`
    : result.serviceHost
      ? `the service ran on a calibrated host (${result.serviceHost.calibration.cpuModel}, ${result.serviceHost.calibration.cores} vCPUs)`
      : 'the service host was not named (--instance-type)'
  const stepRows = steps.map((s) => [
    String(s.index + 1),
    s.phase,
    `${s.offeredRatePerSec}/s`,
    `${s.achievedRatePerSec.toFixed(1)}/s`,
    formatMaybeMs(s.p50Ms),
    formatMaybeMs(s.p90Ms),
    formatMaybeMs(s.p99Ms),
    pct(s.errorRatio),
    `${s.passed ? 'ok' : `✗ ${s.failures.join('; ')}`}${s.unreliable ? ` (unreliable: ${s.unreliable})` : ''}`,
  ])
  const usl = result.usl
  const uslSection = usl
    ? `<h2>Scalability (USL)</h2>
${htmlTable(
  ['concurrency', 'throughput', 'p99'],
  usl.sweep.map((p) => [String(p.concurrency), rate(p.throughput), formatMaybeMs(p.p99Ms)]),
  'usl-table',
)}
<p>${
        usl.fit
          ? escapeXml(
              `σ contention ${usl.fit.sigma.toFixed(4)}, κ coherency ${usl.fit.kappa.toExponential(2)}, λ ${usl.fit.lambda.toFixed(1)}/s per unit; R² ${usl.fit.rSquared.toFixed(3)}; ${Number.isFinite(usl.fit.peakConcurrency) ? `peak ${rate(usl.fit.peakThroughput)} at concurrency ${usl.fit.peakConcurrency.toFixed(1)}` : 'no peak measured'}.`,
            )
          : escapeXml(`No fit: ${usl.fitError ?? 'too few points'}.`)
      }</p>`
    : ''
  const charts =
    steps.length === 0
      ? '<p id="no-charts">The search ran no step.</p>'
      : `<h2>Latency by offered rate</h2>
<p class="legend"><span><i style="background:#1f7a3a"></i>p99, step met the SLO</span><span><i style="background:#b3261e"></i>p99, step failed</span><span><i style="background:#7bbf6a"></i>p50</span><span><i style="background:#d0552b"></i>SLO limit (dashed)</span></p>
${latencyChart(result, steps)}
<h2>Served by offered rate</h2>
<p class="legend"><span><i style="background:#8a94a3"></i>served = offered</span><span><i style="background:#1f7a3a"></i>sustainable rate</span><span><i style="background:#b3261e"></i>breaking rate</span></p>
${servedChart(result, steps)}`
  return `${pageHead(
    `loadplan capacity: ${label}`,
    `${CHART_CSS}
.pass{fill:#1f7a3a}.fail{fill:#b3261e}.p50{fill:none;stroke:#7bbf6a;stroke-width:1.5}
.limit{stroke:#d0552b;stroke-width:1.5;stroke-dasharray:6 4}.limit-label{font-size:11px;text-anchor:end;fill:#d0552b}
.sustainable{stroke:#1f7a3a;stroke-width:1}.breaking{stroke:#b3261e;stroke-width:1}.diagonal{fill:none;stroke:#8a94a3;stroke-width:1.5;stroke-dasharray:4 4}
td:last-child,th:last-child{text-align:left}`,
  )}
<h1>loadplan capacity: ${escapeXml(label)}</h1>
<p id="answer" class="verdict-${result.passed ? 'passed' : 'failed'}"><strong>${escapeXml(answer)}</strong> under the SLO ${escapeXml(result.slo.join(', '))}; ${escapeXml(bracket)}.</p>
<p>${escapeXml(
    [
      at
        ? `At the sustainable rate: p50 ${formatMaybeMs(at.p50Ms)}, p99 ${formatMaybeMs(at.p99Ms)}, errors ${pct(at.errorRatio)}.`
        : '',
      `${capitalize(STOP_REASONS[result.stopReason])}; ${steps.length} steps of ${formatDurationMs(result.settings.stepDurationMs)} in ${formatDurationMs(result.durationMs)}, started ${result.startedAt}.`,
      `${capitalize(serviceOn)}; loadplan ran on ${host.vCpus} vCPUs, ${host.cpuModel}.`,
      result.bytesPerResponse === undefined ? '' : `${Math.round(result.bytesPerResponse)} bytes per response.`,
    ]
      .filter(Boolean)
      .join(' '),
  )}</p>
${charts}
<h2>Steps</h2>
${htmlTable(['step', 'phase', 'offered', 'served', 'p50', 'p90', 'p99', 'errors', 'verdict'], stepRows, 'step-table')}
${uslSection}
</body></html>
`
}
