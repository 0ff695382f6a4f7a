/**
 * `loadplan plan --html`: one self-contained page (inline CSS and SVG, no scripts, no network)
 * with the traffic history and forecast band, instances per month, and cost per month stacked by
 * component, then the monthly table and the assumptions. Pure.
 */
import {axes, CHART_CSS, CHART_H, CHART_PAD, CHART_W, linePath, niceMax} from './svg-chart.js'
import {escapeXml} from './xml.js'
import type {CapacityPlanDocument} from '../contracts/results/plan-document.js'

const W = CHART_W
const H = CHART_H
const PAD = CHART_PAD

const month = (ms: number) => new Date(ms).toISOString().slice(0, 7)
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const money = (v: number) => `$${v.toLocaleString('en-US', {maximumFractionDigits: 0})}`

/** Daily history peaks, then the monthly forecast peak with its 80 % and 95 % bands. */
function trafficChart(doc: CapacityPlanDocument): string {
  const history = doc.history ?? []
  const months = doc.plan.months
  const points = [...history.map((h) => ({t: h.t, v: h.peak})), ...months.map((m) => ({t: m.startMs, v: m.peakHi95}))]
  const t0 = Math.min(...points.map((p) => p.t))
  const t1 = Math.max(...points.map((p) => p.t), (months.at(-1)?.startMs ?? t0) + 30 * 86_400_000)
  const maxY = niceMax(Math.max(...points.map((p) => p.v)))
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right)
  const y = (v: number) => H - PAD.bottom - (v / maxY) * (H - PAD.top - PAD.bottom)
  const line = linePath
  const band = (upper: (m: (typeof months)[number]) => number, lower: (m: (typeof months)[number]) => number) =>
    `${line(months.map((m) => [x(m.startMs), y(upper(m))]))}${months
      .slice()
      .reverse()
      .map((m) => `L${x(m.startMs).toFixed(1)},${y(lower(m)).toFixed(1)}`)
      .join('')}Z`
  const xLabels: Array<[number, string]> = months
    .filter((_, i) => i % 2 === 0)
    .map((m) => [x(m.startMs), month(m.startMs)])
  if (history.length > 0) xLabels.unshift([x(history[0]?.t as number), day(history[0]?.t as number)])
  return `<svg id="traffic-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Traffic history and forecast">
${axes(maxY, (v) => `${v.toFixed(0)}/s`, xLabels)}
<path d="${band(
    (m) => m.peakHi95,
    (m) => m.peakRps,
  )}" class="band95"/>
<path d="${band(
    (m) => m.peakHi80,
    (m) => m.peakRps,
  )}" class="band80"/>
${history.length > 1 ? `<path d="${line(history.map((h) => [x(h.t), y(h.peak)]))}" class="history"/>` : ''}
<path d="${line(months.map((m) => [x(m.startMs), y(m.peakRps)]))}" class="forecast"/>
</svg>`
}

function barChart(
  id: string,
  label: string,
  values: Array<{key: string; parts: Array<[string, number]>}>,
  format: (v: number) => string,
  integer = false,
): string {
  const maxY = niceMax(Math.max(...values.map((v) => v.parts.reduce((s, [, n]) => s + n, 0))), {integer})
  const slot = (W - PAD.left - PAD.right) / Math.max(1, values.length)
  const bars: string[] = []
  values.forEach((v, i) => {
    let base = 0
    for (const [cls, n] of v.parts) {
      const h = (n / maxY) * (H - PAD.top - PAD.bottom)
      bars.push(
        `<rect x="${(PAD.left + i * slot + slot * 0.15).toFixed(1)}" y="${(H - PAD.bottom - base - h).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" class="bar ${cls}"><title>${escapeXml(`${v.key} ${cls}: ${format(n)}`)}</title></rect>`,
      )
      base += h
    }
  })
  return `<svg id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(label)}">
${axes(
  maxY,
  format,
  values.map((v, i) => [PAD.left + i * slot + slot / 2, v.key]),
)}
${bars.join('\n')}
</svg>`
}

export function renderPlanHtml(doc: CapacityPlanDocument): string {
  const {plan} = doc
  const rows = plan.months
    .map(
      (m) =>
        `<tr><td>${month(m.startMs)}</td><td>${m.peakRps.toFixed(0)}</td><td>${m.peakHi95.toFixed(0)}</td><td>${m.instances} × ${escapeXml(m.type)}</td><td>${money(m.computeUsd)}</td><td>${money(m.storageUsd)}</td><td>${money(m.egressUsd)}</td><td>${money(m.totalUsd)}</td></tr>`,
    )
    .join('\n')
  const title = `Capacity plan${doc.service ? `: ${escapeXml(doc.service)}` : ''}`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:800px;color:#1d2330}
h1{font-size:22px}h2{font-size:16px;margin-top:28px}
${CHART_CSS}
.history{fill:none;stroke:#3c4a60;stroke-width:1.2}.forecast{fill:none;stroke:#d0552b;stroke-width:2}
.band80{fill:#e98b5c;opacity:.45}.band95{fill:#f3c3a8;opacity:.35}
.bar.instances{fill:#3f7cc4}.bar.compute{fill:#3f7cc4}.bar.storage{fill:#7bbf6a}.bar.egress{fill:#e0a43a}
table{border-collapse:collapse;width:100%;margin-top:8px}td,th{border-bottom:1px solid #e3e6ea;padding:4px 6px;text-align:right}td:first-child,th:first-child,td:nth-child(4){text-align:left}
</style></head><body>
<h1>${title}</h1>
<p>${escapeXml(doc.provider)} ${escapeXml(doc.region)}, ${plan.months.length} months. Total <strong>${money(plan.totals.totalUsd)}</strong>: compute ${money(plan.totals.computeUsd)}, storage ${money(plan.totals.storageUsd)}, egress ${money(plan.totals.egressUsd)}.</p>
<h2>Traffic: history and forecast peak</h2>
<p class="legend"><span><i style="background:#3c4a60"></i>daily peak (history)</span><span><i style="background:#d0552b"></i>monthly peak forecast</span><span><i style="background:#e98b5c"></i>80 % band</span><span><i style="background:#f3c3a8"></i>95 % band</span></p>
${trafficChart(doc)}
<h2>Instances per month</h2>
${barChart(
  'instances-chart',
  'Instances per month',
  plan.months.map((m) => ({key: month(m.startMs).slice(2), parts: [['instances', m.instances]]})),
  (v) => v.toFixed(0),
  true,
)}
<h2>Cost per month by component</h2>
<p class="legend"><span><i style="background:#3f7cc4"></i>compute</span><span><i style="background:#7bbf6a"></i>storage</span><span><i style="background:#e0a43a"></i>egress</span></p>
${barChart(
  'cost-chart',
  'Cost per month by component',
  plan.months.map((m) => ({
    key: month(m.startMs).slice(2),
    parts: [
      ['compute', m.computeUsd],
      ['storage', m.storageUsd],
      ['egress', m.egressUsd],
    ],
  })),
  money,
)}
<h2>Months</h2>
<table><thead><tr><th>month</th><th>peak/s</th><th>hi95/s</th><th>fleet</th><th>compute</th><th>storage</th><th>egress</th><th>total</th></tr></thead><tbody>
${rows}
</tbody></table>
${plan.events.length > 0 ? `<p>Changes: ${escapeXml(plan.events.join('; '))}.</p>` : ''}
<h2>Assumptions</h2>
<ul>${doc.assumptions.map((a) => `<li>${escapeXml(a)}</li>`).join('')}</ul>
</body></html>
`
}
