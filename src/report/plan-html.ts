/**
 * `loadplan plan --html`: one self-contained page (inline CSS and SVG, no scripts, no network)
 * with the traffic history and each month's peak (P50, P10–P90 and the peak sized for), instances
 * per month and cost per month stacked by component, each with its P10–P90 range as a whisker,
 * then the monthly table and the assumptions. Pure.
 */
import {chance, span} from '../contracts/format/range-text.js'
import {axes, CHART_CSS, CHART_H, CHART_PAD, CHART_W, linePath, niceMax} from './svg-chart.js'
import {pageHead} from './html-page.js'
import {billHtml} from './bill-views.js'
import {serverlessHtml} from './serverless-views.js'
import {escapeXml} from './xml.js'
import {leftOut} from './plan-views.js'
import {
  peakRange,
  type CapacityPlanDocument,
  type Range,
  type RegionsSection,
} from '../contracts/results/plan-document.js'

const W = CHART_W
const H = CHART_H
const PAD = CHART_PAD

const month = (ms: number) => new Date(ms).toISOString().slice(0, 7)
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const money = (v: number) => `$${v.toLocaleString('en-US', {maximumFractionDigits: 0})}`

/** Daily history peaks, then each month's peak: P50, the P10–P90 band, and the peak the fleet carries. */
function trafficChart(doc: CapacityPlanDocument): string {
  const history = doc.history ?? []
  const months = doc.plan.months
  const points = [
    ...history.map((h) => ({t: h.t, v: h.peak})),
    ...months.map((m) => ({t: m.startMs, v: Math.max(m.sizedPeakRps, peakRange(m).p90)})),
  ]
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
    (m) => peakRange(m).p90,
    (m) => peakRange(m).p10,
  )}" class="band80"/>
${history.length > 1 ? `<path d="${line(history.map((h) => [x(h.t), y(h.peak)]))}" class="history"/>` : ''}
<path d="${line(months.map((m) => [x(m.startMs), y(peakRange(m).p50)]))}" class="forecast"/>
<path d="${line(months.map((m) => [x(m.startMs), y(m.sizedPeakRps)]))}" class="sized"/>
</svg>`
}

function barChart(
  id: string,
  label: string,
  values: Array<{key: string; parts: Array<[cls: string, value: number, label?: string]>; range?: Range}>,
  format: (v: number) => string,
  integer = false,
): string {
  const maxY = niceMax(
    Math.max(
      ...values.map((v) =>
        Math.max(
          v.parts.reduce((s, [, n]) => s + n, 0),
          v.range?.p90 ?? 0,
        ),
      ),
    ),
    {integer},
  )
  const slot = (W - PAD.left - PAD.right) / Math.max(1, values.length)
  const bars: string[] = []
  values.forEach((v, i) => {
    let base = 0
    for (const [cls, n, name = cls] of v.parts) {
      const h = (n / maxY) * (H - PAD.top - PAD.bottom)
      bars.push(
        `<rect x="${(PAD.left + i * slot + slot * 0.15).toFixed(1)}" y="${(H - PAD.bottom - base - h).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" class="bar ${cls}"><title>${escapeXml(`${v.key} ${name}: ${format(n)}`)}</title></rect>`,
      )
      base += h
    }
    // The P10–P90 range of what the month needs, as a whisker over its bar.
    if (v.range) {
      const cx = (PAD.left + i * slot + slot / 2).toFixed(1)
      const at = (n: number) => (H - PAD.bottom - (n / maxY) * (H - PAD.top - PAD.bottom)).toFixed(1)
      bars.push(
        `<path d="M${cx},${at(v.range.p10)}V${at(v.range.p90)}" class="whisker"><title>${escapeXml(`${v.key} P10–P90: ${span(v.range, format)}`)}</title></path>`,
      )
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

/** Colours of the regions' bars, in order (then repeated). */
const REGION_COLOURS = ['#3f7cc4', '#7bbf6a', '#e0a43a', '#8a2be2', '#d0552b', '#3c4a60']

/** Several regions: the cost per month stacked by region (and replication), and the table. */
function regionsSection(section: RegionsSection): string {
  const name = (i: number) => {
    const r = section.regions[i] as RegionsSection['regions'][number]
    return `${r.provider} ${r.region}`
  }
  const colour = (i: number) => REGION_COLOURS[i % REGION_COLOURS.length] as string
  const replication = section.replication !== undefined
  const legend = [
    ...section.regions.map((_, i) => `<span><i style="background:${colour(i)}"></i>${escapeXml(name(i))}</span>`),
    ...(replication ? ['<span><i style="background:#1d2330"></i>replication</span>'] : []),
  ].join('')
  const rows = section.months
    .map(
      (m) =>
        `<tr><td>${month(m.startMs)}</td>${m.byRegion.map((r) => `<td>${escapeXml(r.fleet)}, ${money(r.usd)}</td>`).join('')}${replication ? `<td>${money(m.replicationUsd)}</td>` : ''}<td>${money(m.totalUsd)}</td></tr>`,
    )
    .join('\n')
  return `<h2>Regions, ${section.mode}</h2>
<p>${section.regions.map((r, i) => (r.role === 'passive' ? `${escapeXml(name(i))}: passive, running ${(r.sizedShare * 100).toFixed(1)} % of the fleet it needs at failover` : `${escapeXml(name(i))}: ${(r.share * 100).toFixed(1)} % of the traffic, sized for ${(r.sizedShare * 100).toFixed(1)} %${leftOut(section, r)}`)).join('; ')}. ${escapeXml(section.rule)}. Total <strong>${money(section.totals.totalUsd)}</strong>${replication ? `, replication ${money(section.totals.replicationUsd)}` : ''}. The charts and table below are the largest region's; every region's plan is in the JSON (--format json).</p>
<style>${section.regions.map((_, i) => `.bar.region${i}{fill:${colour(i)}}`).join('')}.bar.replication{fill:#1d2330}</style>
<p class="legend">${legend}</p>
${barChart(
  'regions-chart',
  'Cost per month by region',
  section.months.map((m) => ({
    key: month(m.startMs).slice(2),
    parts: [
      ...m.byRegion.map((r, i): [string, number, string] => [`region${i}`, r.usd, name(i)]),
      ...(replication ? [['replication', m.replicationUsd] as [string, number]] : []),
    ],
  })),
  money,
)}
<table><thead><tr><th>month</th>${section.regions.map((_, i) => `<th>${escapeXml(name(i))}</th>`).join('')}${replication ? '<th>replication</th>' : ''}<th>total</th></tr></thead><tbody>
${rows}
</tbody></table>
`
}

export function renderPlanHtml(doc: CapacityPlanDocument): string {
  const {plan} = doc
  const other = plan.totals.otherUsd !== undefined
  const rows = plan.months
    .map(
      (m) =>
        `<tr><td>${month(m.startMs)}</td><td>${peakRange(m).p50.toFixed(0)}</td><td>${m.sizedPeakRps.toFixed(0)}</td><td>${m.instances} × ${escapeXml(m.type)}</td><td>${span(m.range.instances, String)}</td><td>${chance(m.overloadProbability)} %</td><td>${money(m.computeUsd)}</td><td>${money(m.storageUsd)}</td><td>${money(m.egressUsd)}</td>${other ? `<td>${money(m.otherUsd ?? 0)}</td>` : ''}<td>${money(m.totalUsd)}</td><td>${span(m.range.totalUsd, money)}</td></tr>`,
    )
    .join('\n')
  const title = `Capacity plan${doc.service ? `: ${doc.service}` : ''}`
  return `${pageHead(
    title,
    `${CHART_CSS}
.history{fill:none;stroke:#3c4a60;stroke-width:1.2}.forecast{fill:none;stroke:#d0552b;stroke-width:2}
.band80{fill:#e98b5c;opacity:.45}.sized{fill:none;stroke:#8a2be2;stroke-width:1.5;stroke-dasharray:5 3}
.whisker{stroke:#1d2330;stroke-width:1.5}
.bar.instances{fill:#3f7cc4}.bar.compute{fill:#3f7cc4}.bar.storage{fill:#7bbf6a}.bar.egress{fill:#e0a43a}.bar.other{fill:#9b6bb3}
td:nth-child(4){text-align:left}`,
  )}
<h1>${escapeXml(title)}</h1>
${doc.regions ? regionsSection(doc.regions) : ''}<p>${escapeXml(doc.provider)} ${escapeXml(doc.region)}, ${plan.months.length} months. Total <strong>${money(plan.totals.totalUsd)}</strong>: compute ${money(plan.totals.computeUsd)}, storage ${money(plan.totals.storageUsd)}, egress ${money(plan.totals.egressUsd)}${other ? `, the rest of the bill ${money(plan.totals.otherUsd ?? 0)}` : ''}. Bought only as needed, the horizon would cost ${span(plan.totals.totalUsdRange, money)} (P10–P90). The fleet carries each month's peak with at most a ${chance(plan.risk)} % chance of overload, its spares used up.</p>
<h2>Traffic: history and each month's peak</h2>
<p class="legend"><span><i style="background:#3c4a60"></i>daily peak (history)</span><span><i style="background:#d0552b"></i>month's peak, P50</span><span><i style="background:#e98b5c"></i>P10–P90</span><span><i style="background:#8a2be2"></i>peak the fleet carries</span></p>
${trafficChart(doc)}
<h2>Instances per month</h2>
<p class="legend"><span><i style="background:#3f7cc4"></i>bought</span><span><i style="background:#1d2330"></i>needed, P10–P90</span></p>
${barChart(
  'instances-chart',
  'Instances per month',
  plan.months.map((m) => ({
    key: month(m.startMs).slice(2),
    parts: [['instances', m.instances]],
    range: m.range.instances,
  })),
  (v) => v.toFixed(0),
  true,
)}
<h2>Cost per month by component</h2>
<p class="legend"><span><i style="background:#3f7cc4"></i>compute</span><span><i style="background:#7bbf6a"></i>storage</span><span><i style="background:#e0a43a"></i>egress</span>${other ? '<span><i style="background:#9b6bb3"></i>other</span>' : ''}<span><i style="background:#1d2330"></i>bought as needed, P10–P90</span></p>
${barChart(
  'cost-chart',
  'Cost per month by component',
  plan.months.map((m) => ({
    key: month(m.startMs).slice(2),
    parts: [
      ['compute', m.computeUsd],
      ['storage', m.storageUsd],
      ['egress', m.egressUsd],
      ...(other ? [['other', m.otherUsd ?? 0] as [string, number]] : []),
    ],
    range: m.range.totalUsd,
  })),
  money,
)}
<h2>Months</h2>
<table><thead><tr><th>month</th><th>peak/s (P50)</th><th>sized/s</th><th>fleet</th><th>need</th><th>overload</th><th>compute</th><th>storage</th><th>egress</th>${other ? '<th>other</th>' : ''}<th>total</th><th>P10–P90</th></tr></thead><tbody>
${rows}
</tbody></table>
${billHtml(plan)}${plan.events.length > 0 ? `<p>Changes: ${escapeXml(plan.events.join('; '))}.</p>` : ''}
${doc.serverless ? serverlessHtml(doc.serverless) : ''}<h2>Assumptions</h2>
<ul>${doc.assumptions.map((a) => `<li>${escapeXml(a)}</li>`).join('')}</ul>
</body></html>
`
}
