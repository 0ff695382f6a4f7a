/**
 * The plan explorer's view at 80 and 120 columns: it fits the width, shows the document's own
 * figures, and a key press redraws it with the recomputed plan, the changed setting and the
 * difference against the start.
 */
import {join} from 'node:path'
import {stripVTControlCharacters} from 'node:util'
import {render} from 'ink-testing-library'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {PlanExplorer} from '../../src/app/plan-explorer.js'
import {preparePlanRequest} from '../../src/app/plan.js'
import type {PreparedPlan} from '../../src/core/planning/prepared-plan.js'
import {PlanExplorerView} from '../../src/ui/plan-explorer-view.js'

const ROOT = join(import.meta.dirname, '..', '..')
let prepared: PreparedPlan

beforeAll(async () => {
  prepared = await preparePlanRequest({
    file: join(ROOT, 'plans/example.yaml'),
    flags: {
      history: join(ROOT, 'plans/data/sample-traffic.csv'),
      capacity: join(ROOT, 'plans/data/synthetic-capacity.json'),
    },
    nowMs: Date.UTC(2026, 10, 30),
  })
})

const usd = (v: number) => `$${v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})}`
/** Lets Ink handle the input and draw again. */
/** Waits until `check` holds: Ink reads a key and redraws asynchronously, later on a busy machine. */
const untilRedrawn = (check: () => void) => vi.waitFor(check, {timeout: 10_000, interval: 5})

function open(columns: number) {
  const explorer = new PlanExplorer(prepared, {bin: 'loadplan', argv: ['plan']})
  const view = render(
    <PlanExplorerView
      initial={explorer.current()}
      press={(k) => explorer.press(k)}
      write={() => explorer.current()}
      columns={columns}
      rows={50}
    />,
  )
  const lines = () => stripVTControlCharacters(view.lastFrame() ?? '').split('\n')
  return {explorer, view, lines}
}

describe('plan explorer view', () => {
  for (const columns of [80, 120]) {
    it(`fits ${columns} columns with every panel, and redraws after a key`, async () => {
      const {explorer, view, lines} = open(columns)
      const start = explorer.current().doc
      for (const line of lines()) expect(line.length, line).toBeLessThanOrEqual(columns)
      const text = lines().join('\n')
      expect(text).toMatch(/^aws us-east-1 · c7g,m7g \(1\/\d+\) · n\+1 · risk 5% · at 100% · on-demand$/m)
      expect(text).toContain(`total ${usd(start.plan.totals.totalUsd)}`)
      expect(text).toContain('demand, requests/s')
      expect(text).toMatch(/^month +(peak \/s +)?sized \/s +(app \/s +)?fleet +.*total \$( +P10–P90 \$)?$/m)
      expect(text).toContain('scale up or out')
      expect(text).toContain("- fleet: carries the month's peak with at most 5 %")
      // The chart widens with the terminal: a third of it for the twelve months.
      const chart = lines().filter((l) => l.includes('│'))
      const marks = (l: string) => [...l].filter((c) => c === '●').length
      expect(Math.max(...chart.map(marks))).toBeGreaterThanOrEqual(Math.floor((columns - 10) / 3) - 3)
      // Each month's row is the document's.
      for (const m of start.plan.months)
        expect(text).toMatch(
          new RegExp(
            `^${new Date(m.startMs).toISOString().slice(0, 7)} .*${m.instances} × ${m.type.replace('.', '\\.')}`,
            'm',
          ),
        )

      view.stdin.write('r')
      await untilRedrawn(() => expect(lines().join('\n')).toContain(' · n+2 · '))
      const after = explorer.current()
      expect(after.choice.redundancy).toBe('n+2')
      const redrawn = lines().join('\n')
      expect(redrawn).toContain(' · n+2 · ')
      expect(redrawn).toContain(
        `total ${usd(after.doc.plan.totals.totalUsd)}  start ${usd(start.plan.totals.totalUsd)}  Δ +${usd(after.doc.plan.totals.totalUsd - start.plan.totals.totalUsd)}`,
      )
      for (const line of lines()) expect(line.length, line).toBeLessThanOrEqual(columns)
      view.unmount()
    })
  }

  it('drops the least important columns on a narrow terminal and says which', () => {
    const {view, lines} = open(80)
    const text = lines().join('\n')
    expect(text).not.toMatch(/^month .*peak \/s .*storage \$/m)
    expect(text).toMatch(/^\(.*: wider terminal or --json\)$/m)
    view.unmount()
    const wide = open(120)
    expect(wide.lines().join('\n')).toMatch(
      /^month +peak \/s +sized \/s +app \/s +fleet +need +over % +compute \$ +storage \$ +total \$ +P10–P90 \$$/m,
    )
    wide.view.unmount()
  })

  it('moves the selected month with the arrow keys', async () => {
    const {explorer, view, lines} = open(120)
    view.stdin.write('\u001B[C')
    const m = explorer.current().doc.plan.months[1]
    await untilRedrawn(() =>
      expect(lines().join('\n')).toContain(
        `${new Date(m?.startMs ?? 0).toISOString().slice(0, 7)}: ${m?.instances} × ${m?.type}`,
      ),
    )
    expect(explorer.current().monthIndex).toBe(1)
    view.unmount()
  })
})
