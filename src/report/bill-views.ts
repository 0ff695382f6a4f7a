/** The rest of the bill (plan.bill) as text, Markdown and HTML rows: each line's first and last month and its horizon total. Pure. */
import type {BillLine, CapacityPlanResult} from '../contracts/results/plan-document.js'
import {escapeXml} from './xml.js'

const usd = (v: number) => `$${v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7)

export interface BillRow {
  item: BillLine['item']
  first: BillLine
  last: BillLine
  horizonUsd: number
}

/** One row per bill item, in the order the months list them. */
export function billRows(plan: CapacityPlanResult): BillRow[] {
  const first = plan.months[0]?.bill ?? []
  const last = plan.months.at(-1)?.bill ?? []
  return first.map((line) => ({
    item: line.item,
    first: line,
    last: last.find((l) => l.item === line.item) ?? line,
    horizonUsd: plan.months.reduce((s, m) => s + (m.bill?.find((l) => l.item === line.item)?.usd ?? 0), 0),
  }))
}

/** Text lines under the plan table; none without a bill. */
export function billLines(plan: CapacityPlanResult): string[] {
  const rows = billRows(plan)
  if (rows.length === 0) return []
  const from = month(plan.months[0]?.startMs ?? 0)
  const to = month(plan.months.at(-1)?.startMs ?? 0)
  return [
    `the rest of the bill (other $), ${from} → ${to}, and over the horizon:`,
    ...rows.map(
      (r) =>
        `  ${r.item}: ${usd(r.first.usd)} (${r.first.quantity}) → ${usd(r.last.usd)} (${r.last.quantity}); ${usd(r.horizonUsd)}`,
    ),
    '',
  ]
}

/** The same as a Markdown table. */
export function billMarkdown(plan: CapacityPlanResult): string {
  const rows = billRows(plan)
  const from = month(plan.months[0]?.startMs ?? 0)
  const to = month(plan.months.at(-1)?.startMs ?? 0)
  return [
    `| the rest of the bill | ${from} | ${to} | horizon |`,
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.item} | ${usd(r.first.usd)} (${r.first.quantity}) | ${usd(r.last.usd)} (${r.last.quantity}) | ${usd(r.horizonUsd)} |`,
    ),
  ].join('\n')
}

/** The same as an HTML table; empty without a bill. */
export function billHtml(plan: CapacityPlanResult): string {
  const rows = billRows(plan)
  if (rows.length === 0) return ''
  const from = month(plan.months[0]?.startMs ?? 0)
  const to = month(plan.months.at(-1)?.startMs ?? 0)
  return `<h2>The rest of the bill</h2>
<table><thead><tr><th>item</th><th>${from}</th><th>${to}</th><th>horizon</th></tr></thead><tbody>
${rows.map((r) => `<tr><td>${escapeXml(r.item)}</td><td>${usd(r.first.usd)} (${escapeXml(r.first.quantity)})</td><td>${usd(r.last.usd)} (${escapeXml(r.last.quantity)})</td><td>${usd(r.horizonUsd)}</td></tr>`).join('\n')}
</tbody></table>
`
}
