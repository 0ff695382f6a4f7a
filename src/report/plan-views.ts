/** The capacity plan for people (table), for spreadsheets (CSV) and for reviews (Markdown). Pure. */
import {toCsv} from '../contracts/format/csv.js'
import {bar} from '../contracts/format/sparkline.js'
import {fitTable, type TableColumn} from '../contracts/format/fit-table.js'
import {DEFAULT_TEXT_COLUMNS, wrapText} from '../contracts/format/wrap-text.js'
import {
  peakRange,
  type CapacityPlanDocument,
  type CapacityPlanResult,
  type RegionPlan,
  type RegionsSection,
} from '../contracts/results/plan-document.js'
import {chance, dollars, percentOf, span} from '../contracts/format/range-text.js'
import {billLines, billMarkdown} from './bill-views.js'
import {serverlessLines, serverlessMarkdown} from './serverless-views.js'

const usd = (v: number) => `$${v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`
const rps = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1))
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7)

/** A cache in front: the application serves less than the demand the fleet is sized for. */
function hasCache(plan: CapacityPlanResult): boolean {
  return plan.months.some((m) => m.tiers?.cache)
}

/** The plan table's columns, the least important dropped first when the terminal is narrow. */
function planColumns(cache: boolean, other: boolean): TableColumn[] {
  return [
    {header: 'month', priority: 10},
    {header: 'peak/s', align: 'right', priority: 8},
    {header: 'sized/s', align: 'right', priority: 8},
    ...(cache ? [{header: 'app/s', align: 'right', priority: 4} as const] : []),
    {header: 'instances', priority: 9},
    {header: 'need', align: 'right', priority: 7},
    {header: 'over', unit: '%', align: 'right', priority: 6},
    {header: 'util', unit: '%', align: 'right', priority: 3},
    {header: 'compute', unit: '$', align: 'right', priority: 5},
    {header: 'storage', unit: '$', align: 'right', priority: 4},
    {header: 'egress', unit: '$', align: 'right', priority: 4},
    ...(other ? [{header: 'other', unit: '$', align: 'right', priority: 5} as const] : []),
    {header: 'total', unit: '$', align: 'right', priority: 9},
    {header: 'P10–P90', unit: '$', align: 'right', priority: 7},
    {header: 'cost', priority: 1},
  ]
}

/**
 * The plan as text for a terminal `columns` wide: the table keeps its most important columns
 * and says which it left out; prose lines wrap under their first word.
 */
export function renderPlan(doc: CapacityPlanDocument, columns = DEFAULT_TEXT_COLUMNS): string {
  if (doc.regions) return renderRegions(doc, doc.regions, columns)
  const {plan} = doc
  const maxTotal = Math.max(...plan.months.map((m) => m.totalUsd), 1e-9)
  const cache = hasCache(plan)
  const other = plan.totals.otherUsd !== undefined
  // peak and sized count the demand before the cache; app/s is what of the sized demand reaches
  // the application past it (the figure instances and util are computed on).
  const rows = plan.months.map((m) => [
    month(m.startMs),
    rps(peakRange(m).p50),
    rps(m.sizedPeakRps),
    ...(cache ? [rps(m.sizedForRps)] : []),
    `${m.instances}×${m.type}${m.instancesByUtilization !== undefined ? ` (${m.instancesByUtilization} by utilisation)` : ''}`,
    span(m.range.instances, String),
    chance(m.overloadProbability),
    (m.utilizationAtPeak * 100).toFixed(0),
    dollars(m.computeUsd),
    dollars(m.storageUsd),
    dollars(m.egressUsd),
    ...(other ? [dollars(m.otherUsd ?? 0)] : []),
    dollars(m.totalUsd),
    span(m.range.totalUsd, dollars),
    bar(m.totalUsd / maxTotal, 12),
  ])
  const {totals} = plan
  const totalRow = [
    'total',
    '',
    '',
    ...(cache ? [''] : []),
    '',
    '',
    '',
    '',
    dollars(totals.computeUsd),
    dollars(totals.storageUsd),
    dollars(totals.egressUsd),
    ...(other ? [dollars(totals.otherUsd ?? 0)] : []),
    dollars(totals.totalUsd),
    span(totals.totalUsdRange, dollars),
  ]
  const table = fitTable(planColumns(cache, other), [...rows, totalRow], columns)
  const body = table.rows.slice(0, -1)
  const rule = '─'.repeat(Math.max(...table.rows.map((row) => row.length), table.header.length))
  const legend = `peak/s: the month's peak, P50 of its sample paths; sized/s: the peak the fleet carries (at most ${percentOf(plan.risk)} % of the paths above it)${cache ? '; both count every request, app/s is what of sized/s reaches the application past the cache' : ''}; need: the instances the month's peak needs, P10–P90, spares included; over: the chance the month's peak exceeds the fleet with its spares used up; util: ${cache ? 'app/s' : 'sized/s'} over that fleet's capacity; P10–P90 $: the month's cost bought only as needed (ranges fold in the capacity's uncertainty)${other ? '; other $: the rest of the bill (below)' : ''}`
  const lines = [
    `loadplan plan${doc.service ? `  ${doc.service}` : ''}  ${doc.provider} ${doc.region}, ${plan.months.length} months`,
    table.header,
    rule,
    ...body,
    rule,
    table.rows.at(-1) as string,
    legend,
  ]
  if (table.dropped.length > 0)
    lines.push(
      `left out at ${columns} columns: ${table.dropped.join(', ')} (a wider terminal, or --format csv, shows them)`,
    )
  const saving = pricingSaving(plan)
  if (saving) lines.push(saving)
  lines.push('', ...billLines(plan))
  const tiered = plan.months.filter((m) => m.tiers)
  if (tiered.length > 0) {
    lines.push('tiers per month (instances in compute, database volumes in storage):')
    for (const m of tiered) {
      const db = m.tiers?.database
      const cache = m.tiers?.cache
      const queue = m.tiers?.queue
      const parts = [
        cache ? `cache ${cache.nodes} nodes ${usd(cache.costUsd)}` : '',
        db
          ? `database ${db.shards} shard${db.shards === 1 ? '' : 's'} × (1 primary + ${db.replicasPerShard} replica${db.replicasPerShard === 1 ? '' : 's'}) = ${db.instances} instances, ${rps(db.writeQps)} writes/s, ${rps(db.readQps)} reads/s, ${db.storageGB.toFixed(0)} GB${db.storedGB !== undefined && db.storageUsd ? ` (${db.storedGB.toFixed(0)} GB stored, ${usd(db.storageUsd)})` : ''}, ${usd(db.costUsd)}`
          : '',
        queue
          ? `queue ${rps(queue.messagesPerSec)} msg/s: ${queue.consumers} consumers on ${queue.instances} instances ${usd(queue.costUsd)}, ${chance(queue.waitAboveObjective)} % wait past the objective${queue.partitionsNeeded !== undefined ? `, partitions must grow to ${queue.partitionsNeeded}` : ''}; a spike leaves ${Math.round(queue.backlogMessages).toLocaleString('en-US')} messages${queue.backlogMessages > 0 ? `, drained in ${(queue.drainSeconds / 60).toFixed(1)} min` : ''}`
          : '',
      ]
      lines.push(`  ${month(m.startMs)}  ${parts.filter((p) => p !== '').join('  ')}`)
    }
    lines.push('')
  }
  lines.push(
    plan.events.length > 0
      ? `changes: ${plan.events.join('; ')}`
      : "changes: none, the first month's fleet carries the whole horizon",
  )
  lines.push('', 'scale up or out (each type held for the whole horizon):')
  for (const o of plan.options.slice(0, 8))
    lines.push(
      `  ${o.type.padEnd(16)} ${String(o.vcpu).padStart(3)} vCPU  ${rps(o.perInstanceRps).padStart(7)} req/s each  ${String(o.firstMonthInstances).padStart(3)} → ${String(o.lastMonthInstances).padEnd(3)} instances  compute ${usd(o.horizonComputeUsd)}`,
    )
  if (doc.autoscaling) {
    lines.push(
      '',
      `autoscaling what-if, the first forecast week on ${doc.autoscaling.type} (fixed: the plan's month-1 fleet; reactive: HPA target tracking with a 1-hour lag; predictive: scheduled from the forecast's 80 % band; both with the plan's spares on top):`,
    )
    for (const o of doc.autoscaling.outcomes)
      lines.push(
        `  ${o.policy.padEnd(10)} ${String(o.instanceHours).padStart(7)} instance-hours  ${usd(o.costUsd).padStart(12)}  ${o.sloMissHours} h over capacity`,
      )
  }
  if (doc.serverless) lines.push('', ...serverlessLines(doc.serverless, columns))
  lines.push('', 'assumptions:', ...doc.assumptions.map((a) => `  - ${a}`))
  return `${lines.map((line) => wrapText(line, columns, line.startsWith('  - ') ? 4 : 2)).join('\n')}\n`
}

const regionName = (r: RegionPlan) => `${r.provider} ${r.region}`
/** "gcp us-east1 serves 60 % of the traffic, sized for 100 %", or a passive region's standby. */
const regionRole = (r: RegionPlan) =>
  r.role === 'passive'
    ? `${regionName(r)} is passive, running ${percentOf(r.sizedShare)} % of the fleet it needs at failover`
    : `${regionName(r)} serves ${percentOf(r.share)} % of the traffic, sized for ${percentOf(r.sizedShare)} %`

/** " (no storage price there: left out)" where other regions pay for it and this one cannot be priced. */
export const leftOut = (section: RegionsSection, r: RegionPlan) => {
  const paid = (p: RegionPlan, kind: 'storage' | 'egress') => p.plan.plan.totals[`${kind}Usd`] > 0
  const kinds = (['storage', 'egress'] as const).filter((k) => !paid(r, k) && section.regions.some((o) => paid(o, k)))
  return kinds.length > 0 ? ` (no ${kinds.join(' or ')} price there: left out)` : ''
}

/** Several regions: the total month by month, then each region's own plan. */
function renderRegions(doc: CapacityPlanDocument, section: RegionsSection, columns: number): string {
  const replication = section.replication !== undefined
  const tableColumns: TableColumn[] = [
    {header: 'month', priority: 10},
    ...section.regions.flatMap((r): TableColumn[] => [
      {header: regionName(r), priority: 8},
      {header: `${r.region} $`, align: 'right', priority: 6},
    ]),
    ...(replication ? [{header: 'replication', unit: '$', align: 'right', priority: 5} as const] : []),
    {header: 'total', unit: '$', align: 'right', priority: 9},
  ]
  const rows = section.months.map((m) => [
    month(m.startMs),
    ...m.byRegion.flatMap((r) => [r.fleet, dollars(r.usd)]),
    ...(replication ? [dollars(m.replicationUsd)] : []),
    dollars(m.totalUsd),
  ])
  const totalRow = [
    'total',
    ...section.totals.byRegionUsd.flatMap((usd) => ['', dollars(usd)]),
    ...(replication ? [dollars(section.totals.replicationUsd)] : []),
    dollars(section.totals.totalUsd),
  ]
  const table = fitTable(tableColumns, [...rows, totalRow], columns)
  const rule = '─'.repeat(Math.max(...table.rows.map((row) => row.length), table.header.length))
  const lines = [
    `loadplan plan${doc.service ? `  ${doc.service}` : ''}  ${section.mode}${section.mode === 'active-active' ? ` across ${section.regions.length} regions` : ''}, ${section.months.length} months`,
    table.header,
    rule,
    ...table.rows.slice(0, -1),
    rule,
    table.rows.at(-1) as string,
    `regions: ${section.regions.map((r) => `${regionRole(r)}${leftOut(section, r)}`).join('; ')}. ${section.rule}`,
  ]
  if (section.replication) {
    const gb = section.replication.months.reduce((s, m) => s + m.gb, 0)
    lines.push(
      `replication: ${section.replication.bytesPerWrite} bytes per write, ${percentOf(section.replication.writeRatio)} % of requests write; ${gb.toFixed(0)} GB between regions over the horizon, ${usd(section.totals.replicationUsd)}`,
    )
  }
  if (section.standby) {
    const worst = section.standby.months.reduce((a, b) => (b.addAtFailover > a.addAtFailover ? b : a))
    lines.push(
      `failover: the passive region keeps ${worst.instances} running in ${month(worst.startMs)} and adds ${worst.addAtFailover} at failover, serving after ${section.standby.instanceStartS / 60} min (the busiest month)`,
    )
  }
  if (table.dropped.length > 0)
    lines.push(
      `left out at ${columns} columns: ${table.dropped.join(', ')} (a wider terminal, or --format csv, shows them)`,
    )
  const head = `${lines.map((line) => wrapText(line, columns, 2)).join('\n')}\n`
  const regions = section.regions.map(
    (r, i) =>
      `\nregion ${i + 1} of ${section.regions.length}: ${regionName(r)}, ${r.role === 'passive' ? 'passive: the fleet it needs once it takes over (it runs only its standby until then)' : `sized for ${percentOf(r.sizedShare)} % of the peak`}\n${renderPlan(r.plan, columns)}`,
  )
  return head + regions.join('')
}

const PRICING_NAME = {
  '1yr': '1-year commitment',
  '3yr': '3-year commitment',
  spot: 'spot spares',
  mix: 'purchase mix',
} as const

/** "pricing: 1-year commitment: compute $X against $Y on demand, saving $Z (N %)", or nothing for on-demand. */
function pricingSaving(plan: CapacityPlanDocument['plan']): string | undefined {
  const onDemand = plan.totals.onDemandComputeUsd
  if (!plan.pricing || onDemand === undefined) return undefined
  const saving = onDemand - plan.totals.computeUsd
  const spot =
    plan.pricing === 'spot'
      ? ` (${plan.months.reduce((n, m) => Math.max(n, m.spotInstances ?? 0), 0)} at most on spot)`
      : ''
  const mix = plan.purchaseMix
  const parts = mix
    ? ` (application: ${mix.committedInstances} × ${mix.type} committed for a year ${usd(mix.committedUsd)} + on demand ${usd(mix.onDemandUsd)} + spot ${usd(mix.spotUsd)} = ${usd(mix.totalUsd)} against ${usd(mix.allOnDemandUsd)}; the cheapest of ${mix.levels.length} commitment levels, 0–${mix.capInstances}, at most the smallest P10 need)`
    : ''
  return `pricing: ${PRICING_NAME[plan.pricing]}${spot}${parts}: compute ${usd(plan.totals.computeUsd)} against ${usd(onDemand)} on demand, saving ${usd(saving)} (${onDemand > 0 ? ((saving / onDemand) * 100).toFixed(1) : '0.0'} %)`
}

const PLAN_CSV_COLUMNS = [
  'month',
  'start',
  'peak_rps',
  'peak_hi80_rps',
  'peak_hi95_rps',
  'mean_rps',
  'peak_p10_rps',
  'peak_p50_rps',
  'peak_p90_rps',
  'peak_p95_rps',
  'sized_rps',
  'app_sized_rps',
  'type',
  'instances',
  'instances_p10',
  'instances_p50',
  'instances_p90',
  'overload_probability',
  'utilization_at_peak',
  'compute_usd',
  'storage_gb',
  'storage_usd',
  'egress_gb',
  'egress_usd',
  'other_usd',
  'total_usd',
  'total_usd_p10',
  'total_usd_p50',
  'total_usd_p90',
] as const

/** One region's plan as CSV rows (PLAN_CSV_COLUMNS). */
function planCsvRows(doc: CapacityPlanDocument): Array<Array<string | number>> {
  return doc.plan.months.map((m) => [
    m.month,
    month(m.startMs),
    m.peakRps.toFixed(2),
    m.peakHi80.toFixed(2),
    m.peakHi95.toFixed(2),
    m.meanRps.toFixed(2),
    m.peakQuantiles?.p10.toFixed(2) ?? '',
    m.peakQuantiles?.p50.toFixed(2) ?? '',
    m.peakQuantiles?.p90.toFixed(2) ?? '',
    m.peakQuantiles?.p95.toFixed(2) ?? '',
    m.sizedPeakRps.toFixed(2),
    m.sizedForRps.toFixed(2),
    m.type,
    m.instances,
    m.range.instances.p10,
    m.range.instances.p50,
    m.range.instances.p90,
    m.overloadProbability.toFixed(4),
    m.utilizationAtPeak.toFixed(3),
    m.computeUsd.toFixed(2),
    m.storageGB.toFixed(1),
    m.storageUsd.toFixed(2),
    m.egressGB.toFixed(1),
    m.egressUsd.toFixed(2),
    (m.otherUsd ?? 0).toFixed(2),
    m.totalUsd.toFixed(2),
    m.range.totalUsd.p10.toFixed(2),
    m.range.totalUsd.p50.toFixed(2),
    m.range.totalUsd.p90.toFixed(2),
  ])
}

export function planToCsv(doc: CapacityPlanDocument): string {
  if (doc.regions) {
    // One block of rows per region, its place and shares first; then replication, month by month.
    const blank = PLAN_CSV_COLUMNS.map(() => '')
    const rows = doc.regions.regions.flatMap((r) =>
      planCsvRows(r.plan).map((row) => [r.provider, r.region, r.share.toFixed(4), r.sizedShare.toFixed(4), ...row]),
    )
    for (const m of doc.regions.replication?.months ?? []) {
      const row: Array<string | number> = [...blank]
      row[PLAN_CSV_COLUMNS.indexOf('month')] = m.month
      row[PLAN_CSV_COLUMNS.indexOf('start')] = month(m.startMs)
      row[PLAN_CSV_COLUMNS.indexOf('egress_gb')] = m.gb.toFixed(1)
      row[PLAN_CSV_COLUMNS.indexOf('total_usd')] = m.usd.toFixed(2)
      rows.push(['', 'replication', '', '', ...row])
    }
    return toCsv(['provider', 'region', 'share', 'sized_share', ...PLAN_CSV_COLUMNS], rows)
  }
  return toCsv(PLAN_CSV_COLUMNS, planCsvRows(doc))
}

export function planToMarkdown(doc: CapacityPlanDocument): string {
  if (doc.regions) {
    const section = doc.regions
    const replication = section.replication !== undefined
    const lines = [
      `### Capacity plan${doc.service ? `: ${doc.service}` : ''} (${section.mode}, ${section.regions.length} regions)`,
      '',
      `| month | ${section.regions.map(regionName).join(' | ')} |${replication ? ' replication |' : ''} total |`,
      `|---|${section.regions.map(() => '---|').join('')}${replication ? '---:|' : ''}---:|`,
      ...section.months.map(
        (m) =>
          `| ${month(m.startMs)} | ${m.byRegion.map((r) => `${r.fleet} (${usd(r.usd)})`).join(' | ')} |${replication ? ` ${usd(m.replicationUsd)} |` : ''} ${usd(m.totalUsd)} |`,
      ),
      `| **total** | ${section.totals.byRegionUsd.map(usd).join(' | ')} |${replication ? ` ${usd(section.totals.replicationUsd)} |` : ''} **${usd(section.totals.totalUsd)}** |`,
      '',
      `${section.regions.map(regionRole).join('; ')}. ${section.rule[0]?.toUpperCase()}${section.rule.slice(1)}.`,
    ]
    return `${lines.join('\n')}\n${section.regions.map((r) => `\n${planToMarkdown(r.plan)}`).join('')}`
  }
  const cache = hasCache(doc.plan)
  const other = doc.plan.totals.otherUsd !== undefined
  const lines = [
    `### Capacity plan${doc.service ? `: ${doc.service}` : ''} (${doc.provider} ${doc.region})`,
    '',
    `| month | peak/s (P50) | sized/s |${cache ? ' app/s |' : ''} fleet | need (P10–P90) | overload | compute | storage | egress |${other ? ' other |' : ''} total | total (P10–P90) |`,
    `|---|---:|---:|${cache ? '---:|' : ''}---|---:|---:|---:|---:|---:|${other ? '---:|' : ''}---:|---:|`,
  ]
  for (const m of doc.plan.months)
    lines.push(
      `| ${month(m.startMs)} | ${rps(peakRange(m).p50)} | ${rps(m.sizedPeakRps)} |${cache ? ` ${rps(m.sizedForRps)} |` : ''} ${m.instances} × ${m.type} | ${span(m.range.instances, String)} | ${chance(m.overloadProbability)} % | ${usd(m.computeUsd)} | ${usd(m.storageUsd)} | ${usd(m.egressUsd)} |${other ? ` ${usd(m.otherUsd ?? 0)} |` : ''} ${usd(m.totalUsd)} | ${span(m.range.totalUsd, usd)} |`,
    )
  const t = doc.plan.totals
  lines.push(
    `| **total** | | |${cache ? ' |' : ''} | | | ${usd(t.computeUsd)} | ${usd(t.storageUsd)} | ${usd(t.egressUsd)} |${other ? ` ${usd(t.otherUsd ?? 0)} |` : ''} **${usd(t.totalUsd)}** | ${span(t.totalUsdRange, usd)} |`,
  )
  lines.push(
    '',
    `The fleet carries each month's peak with at most a ${percentOf(doc.plan.risk)} % chance of overload (with its spares used up)${cache ? '; peak and sized count every request, app/s is what of sized/s reaches the application past the cache' : ''}. Need and total (P10–P90): what the month needs and costs if it bought only that.`,
  )
  const saving = pricingSaving(doc.plan)
  if (saving) lines.push('', `${saving[0]?.toUpperCase()}${saving.slice(1)}.`)
  if (doc.plan.events.length > 0) lines.push('', `Changes: ${doc.plan.events.join('; ')}.`)
  if (other) lines.push('', billMarkdown(doc.plan))
  return `${lines.join('\n')}\n${doc.serverless ? serverlessMarkdown(doc.serverless) : ''}`
}

/** The plan in the format asked for. */
export function renderPlanDocument(
  doc: CapacityPlanDocument,
  format: 'table' | 'json' | 'csv' | 'markdown',
  columns = DEFAULT_TEXT_COLUMNS,
): string {
  return format === 'json'
    ? `${JSON.stringify(doc, null, 2)}\n`
    : format === 'csv'
      ? planToCsv(doc)
      : format === 'markdown'
        ? planToMarkdown(doc)
        : renderPlan(doc, columns)
}
