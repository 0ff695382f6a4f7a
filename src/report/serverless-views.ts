/**
 * The serverless alternative of a plan (`plan --serverless`): each platform's bill and what it
 * needs, then the cost at loads around month 1's against the instances, as a table and a chart
 * (text lines for terminals and Markdown, SVG for the HTML report). Pure.
 */
import {bar} from '../contracts/format/sparkline.js'
import {fitTable, type TableColumn} from '../contracts/format/fit-table.js'
import type {ServerlessSection} from '../contracts/results/plan-document.js'
import {axes, CHART_H, CHART_PAD, CHART_W, linePath, niceMax} from './svg-chart.js'
import {escapeXml} from './xml.js'

const SECONDS_PER_MONTH = 730 * 3600
const usd = (v: number) => `$${v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`
const count = (v: number) => Math.round(v).toLocaleString('en-US')
/** 1.81e8 → "181 M"; the loads span seven orders of magnitude. */
const requests = (v: number) =>
  v >= 1e9 ? `${(v / 1e9).toPrecision(3)} G` : v >= 1e6 ? `${(v / 1e6).toPrecision(3)} M` : count(v)
const meanRate = (perMonth: number) => {
  const rps = perMonth / SECONDS_PER_MONTH
  return rps >= 10 ? rps.toFixed(0) : rps.toPrecision(2)
}

/** "AWS Lambda (x86)" → "AWS Lambda", for narrow columns. */
const shortName = (name: string) => name.replace(/\s*\(.*\)$/, '')

function crossoverText(perMonth: number | undefined): string {
  return perMonth === undefined ? 'not in 1k–10T/mo' : `${requests(perMonth)}/mo (mean ${meanRate(perMonth)}/s)`
}

/** Text lines for the terminal table view. */
export function serverlessLines(section: ServerlessSection, columns: number): string[] {
  const lines = [
    `serverless, the same requests (${section.memoryMB} MiB per function; mean service time ${section.serviceTimeMs.toFixed(1)} ms, ${section.serviceTimeSource}):`,
  ]
  const platformColumns: TableColumn[] = [
    {header: 'platform', priority: 10},
    {header: 'month 1', unit: '$', align: 'right', priority: 9},
    {header: 'horizon', unit: '$', align: 'right', priority: 9},
    {header: 'in flight', align: 'right', priority: 7},
    {header: 'limit', align: 'right', priority: 6},
    {header: 'cold starts', align: 'right', priority: 5},
    {header: 'instances cheaper from', priority: 8},
  ]
  const table = fitTable(
    platformColumns,
    section.platforms.map((p) => {
      const first = p.months[0]
      const peak = Math.max(...p.months.map((m) => m.peakConcurrency))
      return [
        shortName(p.name),
        (first?.totalUsd ?? 0).toFixed(2),
        p.totalUsd.toFixed(2),
        `${count(Math.ceil(peak))}${peak > p.concurrencyLimit ? ' (over)' : ''}`,
        count(p.concurrencyLimit),
        first
          ? `${count(first.coldStarts)} (${((first.coldStarts / Math.max(1, first.requests)) * 100).toPrecision(2)} %)`
          : '',
        crossoverText(p.crossoverRequestsPerMonth),
      ]
    }),
    columns - 2,
  )
  lines.push(...[table.header, ...table.rows].map((row) => `  ${row}`))
  if (table.dropped.length > 0)
    lines.push(`  left out at ${columns} columns: ${table.dropped.join(', ')} (--json has them)`)
  if (section.instances && section.comparison.length > 0) {
    const names = ['instances', ...section.platforms.map((p) => shortName(p.name))]
    const width = Math.max(...names.map((n) => n.length))
    lines.push(
      `cost a month at loads around month 1's (instances: ${section.instances.type}, ${section.instances.perInstanceRps.toFixed(0)} req/s each at ${usd(section.instances.usdPerInstanceMonth)} a month, sized as the plan sizes month 1; bars against the dearest at each load):`,
    )
    for (const row of section.comparison) {
      lines.push(`  ${requests(row.requestsPerMonth)} requests (mean ${meanRate(row.requestsPerMonth)}/s)`)
      const values = [row.instancesUsd, ...row.platformsUsd]
      const maxUsd = Math.max(...values, 1e-9)
      values.forEach((v, i) => lines.push(`    ${(names[i] as string).padEnd(width)} ${bar(v / maxUsd, 24)} ${usd(v)}`))
    }
  }
  lines.push(
    `  billed per request: ${section.platforms.map((p) => `${shortName(p.name)} ${p.billedDurationMs} ms × ${p.billedMemoryMB} MB`).join(', ')}; concurrency by Little's law (rate × service time) at the sized peak; cold starts: every instance the daily ramp adds, plus requests after an idle gap over ${section.keepWarmS / 60} min (assumed keep-warm); Cloud Run billed as if each instance served one request at a time (with concurrency it costs less); free tiers taken off every month; prices: ${section.platforms.map((p) => `${shortName(p.name)}: ${p.source}`).join('; ')}`,
  )
  return lines
}

/** The same for Markdown. */
export function serverlessMarkdown(section: ServerlessSection): string {
  const lines = [
    '',
    `#### Serverless, the same requests (${section.memoryMB} MiB, ${section.serviceTimeMs.toFixed(1)} ms mean service time)`,
    '',
    '| platform | month 1 | horizon | in flight at peak (limit) | instances cheaper from |',
    '|---|---:|---:|---:|---|',
    ...section.platforms.map(
      (p) =>
        `| ${p.name} | ${usd(p.months[0]?.totalUsd ?? 0)} | ${usd(p.totalUsd)} | ${count(Math.ceil(Math.max(...p.months.map((m) => m.peakConcurrency))))} (${count(p.concurrencyLimit)}) | ${crossoverText(p.crossoverRequestsPerMonth)} |`,
    ),
  ]
  if (section.instances && section.comparison.length > 0)
    lines.push(
      '',
      `| requests a month | instances (${section.instances.type}) | ${section.platforms.map((p) => shortName(p.name)).join(' | ')} |`,
      `|---:|---:|${section.platforms.map(() => '---:|').join('')}`,
      ...section.comparison.map(
        (row) =>
          `| ${requests(row.requestsPerMonth)} | ${usd(row.instancesUsd)} | ${row.platformsUsd.map(usd).join(' | ')} |`,
      ),
    )
  return `${lines.join('\n')}\n`
}

const SERIES_COLOURS = ['#1d2330', '#3f7cc4', '#7bbf6a', '#e0a43a']

/** The HTML section: cost a month against the load (log scale) for the instances and each platform, and the table. */
export function serverlessHtml(section: ServerlessSection): string {
  const rows = section.platforms
    .map(
      (p) =>
        `<tr><td>${escapeXml(p.name)}</td><td>${usd(p.months[0]?.totalUsd ?? 0)}</td><td>${usd(p.totalUsd)}</td><td>${count(Math.ceil(Math.max(...p.months.map((m) => m.peakConcurrency))))} (${count(p.concurrencyLimit)})</td><td>${escapeXml(crossoverText(p.crossoverRequestsPerMonth))}</td></tr>`,
    )
    .join('\n')
  let chart = ''
  if (section.instances && section.comparison.length > 1) {
    const loads = section.comparison.map((r) => r.requestsPerMonth)
    const [lo, hi] = [Math.log10(loads[0] as number), Math.log10(loads.at(-1) as number)]
    const x = (load: number) =>
      CHART_PAD.left +
      ((Math.log10(load) - lo) / Math.max(1e-9, hi - lo)) * (CHART_W - CHART_PAD.left - CHART_PAD.right)
    const maxY = niceMax(Math.max(...section.comparison.flatMap((r) => [r.instancesUsd, ...r.platformsUsd])))
    const y = (v: number) => CHART_H - CHART_PAD.bottom - (v / maxY) * (CHART_H - CHART_PAD.top - CHART_PAD.bottom)
    const series = [
      {name: `instances (${section.instances.type})`, values: section.comparison.map((r) => r.instancesUsd)},
      ...section.platforms.map((p, i) => ({
        name: p.name,
        values: section.comparison.map((r) => r.platformsUsd[i] ?? 0),
      })),
    ]
    const paths = series
      .map(
        (s, i) =>
          `<path d="${linePath(s.values.map((v, k) => [x(loads[k] as number), y(v)] as const))}" fill="none" stroke="${SERIES_COLOURS[i % SERIES_COLOURS.length]}" stroke-width="2"><title>${escapeXml(s.name)}</title></path>`,
      )
      .join('\n')
    const legend = series
      .map(
        (s, i) =>
          `<span><i style="background:${SERIES_COLOURS[i % SERIES_COLOURS.length]}"></i>${escapeXml(s.name)}</span>`,
      )
      .join('')
    chart = `<p class="legend">${legend}</p>
<svg id="serverless-chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Cost a month against requests a month">
${axes(
  maxY,
  (v) => `$${v.toLocaleString('en-US', {maximumFractionDigits: 0})}`,
  loads.map((l) => [x(l), requests(l)]),
)}
${paths}
</svg>`
  }
  return `<h2>Serverless, the same requests</h2>
<p>${section.memoryMB} MiB per function; mean service time ${section.serviceTimeMs.toFixed(1)} ms (${escapeXml(section.serviceTimeSource)}). Cost a month at loads around month 1's, requests a month on a log scale.</p>
${chart}
<table><thead><tr><th>platform</th><th>month 1</th><th>horizon</th><th>in flight at peak (limit)</th><th>instances cheaper from</th></tr></thead><tbody>
${rows}
</tbody></table>
`
}
