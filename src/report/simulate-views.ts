/** `loadplan simulate` as a table or JSON. Pure. */
import Table from 'cli-table3'
import pc from 'picocolors'
import {formatMaybeMs} from '../contracts/format/units.js'
import type {SimulationDocument} from '../contracts/results/simulation-document.js'

const ms = formatMaybeMs
const pct = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`)

export function renderSimulation(doc: SimulationDocument, {color}: {color: boolean}): string {
  const paint = color ? pc : pc.createColors(false)
  const lines = [
    `${paint.bold('loadplan simulate')}  ${doc.arrivals.ratePerSec}/s behind ${doc.balance}${doc.balanceDetail ? ` (${doc.balanceDetail})` : ''}  SLO ${doc.slo}  loss ${doc.loss}`,
    `service: ${doc.service.serviceTime}; ${doc.service.concurrency} at once per instance (${doc.service.source})`,
    `arrivals: ${doc.arrivals.cv2 === 1 ? 'Poisson' : `gamma gaps, cv² ${doc.arrivals.cv2.toFixed(2)}`}${doc.arrivals.source ? ` (${doc.arrivals.source})` : ''}; ${doc.requestsPerFleet.toLocaleString('en')} requests simulated per fleet size, seed ${doc.seed}`,
    '',
  ]
  const table = new Table({
    head: ['instances', 'serving', 'offered', 'p50', 'p90', 'p99', 'p99.9', 'mean wait', 'waited', 'busiest', 'SLO'],
    style: {head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true},
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  })
  for (const row of doc.rows) {
    const verdict = !row.stable ? paint.red('✗ overloaded') : row.meetsSlo ? paint.green('ok') : paint.red('✗')
    table.push([
      String(row.instances),
      String(row.serving),
      pct(row.offeredUtilisation),
      ms(row.p50Ms),
      ms(row.p90Ms),
      ms(row.p99Ms),
      ms(row.p999Ms),
      ms(row.meanWaitMs),
      pct(row.waitedRatio),
      pct(row.maxInstanceUtilisation),
      verdict,
    ])
  }
  if (doc.rows.length > 0) lines.push(table.toString(), '')
  const rule = `${doc.byUtilisation.instances} by a ${(doc.byUtilisation.targetUtilisation * 100).toFixed(0)} % utilisation target`
  if (doc.smallest === null) lines.push(paint.red(`no fleet simulated meets ${doc.slo}`), `for comparison: ${rule}`)
  else {
    const row = doc.rows.find((r) => r.instances === doc.smallest)
    lines.push(
      `${paint.bold(`${doc.smallest} instances`)} meet ${doc.slo} (p99 ${ms(row?.p99Ms ?? null)} at ${pct(row?.offeredUtilisation ?? null)} offered load); ${rule}`,
    )
  }
  lines.push(
    'offered: load per request slot of the serving fleet; busiest: utilisation of the busiest instance; waited: share of requests queued before service',
  )
  return `${lines.join('\n')}\n`
}

export function simulationToJson(doc: SimulationDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`
}
