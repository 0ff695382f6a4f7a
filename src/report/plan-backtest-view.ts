/** `loadplan plan --backtest`: the months after the cut, the plan's ranges beside what happened. Pure. */
import {fitTable} from '../contracts/format/fit-table.js'
import {DEFAULT_TEXT_COLUMNS, wrapText} from '../contracts/format/wrap-text.js'
import {dollars} from '../contracts/format/range-text.js'
import type {PlanBacktestDocument} from '../contracts/results/plan-backtest-document.js'

const rps = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1))
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7)
const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : '–')

export function renderPlanBacktest(doc: PlanBacktestDocument, columns = DEFAULT_TEXT_COLUMNS): string {
  const s = doc.summary
  const table = fitTable(
    [
      {header: 'month', priority: 10},
      {header: 'actual/s', align: 'right', priority: 9},
      {header: 'P10–P90/s', align: 'right', priority: 9},
      {header: 'in', priority: 8},
      {header: 'bought', priority: 8},
      {header: 'needed', align: 'right', priority: 8},
      {header: 'range', align: 'right', priority: 6},
      {header: 'compute', unit: '$', align: 'right', priority: 5},
      {header: 'needed', unit: '$', align: 'right', priority: 5},
    ],
    doc.months.map((m) => [
      month(m.startMs),
      rps(m.actualPeakRps),
      `${rps(m.peak.p10)}–${rps(m.peak.p90)}`,
      m.inside50 ? 'P25–P75' : m.inside80 ? 'P10–P90' : m.actualPeakRps > m.peak.p90 ? 'above' : 'below',
      `${m.instances}×${m.type}${m.overloaded ? ' over' : ''}`,
      String(m.neededInstances),
      `${m.needRange.p10}–${m.needRange.p90}`,
      dollars(m.computeUsd),
      dollars(m.neededComputeUsd),
    ]),
    columns,
  )
  const lines = [
    `loadplan plan --backtest  ${doc.source}: planned from the history before ${doc.cutAt.slice(0, 10)}, scored on ${s.months} month${s.months === 1 ? '' : 's'}`,
    table.header,
    ...table.rows,
    `in: where the actual monthly peak fell in the plan's distribution of it; bought: the plan's fleet ("over": the actual peak exceeded it with its spares used up); needed: what the actual peak needed of that type, spares included, against the plan's P10–P90 range`,
    '',
    `peak inside the plan's P10–P90: ${percent(s.coverage80)} of months (80 % expected), inside P25–P75: ${percent(s.coverage50)} (50 % expected); median |P50 − actual|: ${percent(s.medianAbsErrorP50)}`,
    `instances: the need inside the plan's range in ${percent(s.neededInsideRange)} of months; ${s.overProvisionedInstanceMonths} instance-month${s.overProvisionedInstanceMonths === 1 ? '' : 's'} bought beyond the need, ${s.underProvisionedInstanceMonths} short of it; ${s.overloadedMonths} month${s.overloadedMonths === 1 ? '' : 's'} overloaded`,
    `application fleet: $${dollars(s.computeUsd)} planned against $${dollars(s.neededComputeUsd)} for what the peaks needed (${s.neededComputeUsd > 0 ? `${(((s.computeUsd - s.neededComputeUsd) / s.neededComputeUsd) * 100).toFixed(1)} %` : '–'})`,
  ]
  if (table.dropped.length > 0)
    lines.push(`left out at ${columns} columns: ${table.dropped.join(', ')} (--json has them)`)
  return `${lines.map((line) => wrapText(line, columns, 2)).join('\n')}\n`
}
