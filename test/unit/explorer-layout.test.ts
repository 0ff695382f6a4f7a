/**
 * The plan explorer's height budget (issue 28: at 120×45 the title, settings and total scrolled off
 * the top). Each case adds up the lines the view draws, by hand, against the terminal's rows.
 */
import {describe, expect, it} from 'vitest'
import {explorerLayout, type ExplorerLayoutInput} from '../../src/ui/explorer-layout.js'

const EXAMPLE: ExplorerLayoutInput = {
  rows: 45,
  headerLines: 4,
  months: 12,
  selectedMonth: 0,
  options: 18,
  assumptions: 7,
  messageLines: 1,
}

/** The lines the view draws for a layout, counted as the view draws them (dropped-column notes included). */
function drawnLines(input: ExplorerLayoutInput, layout: ReturnType<typeof explorerLayout>): number {
  const chart = 1 + 1 + layout.chartHeight + 1
  const months = 1 + 1 + layout.monthCount + 1 + 1 + 1
  const options = layout.showOptions ? 1 + 1 + 1 + Math.min(4, input.options) + 1 : 0
  const assumptions = layout.assumptionLines > 0 ? 1 + 1 + layout.assumptionLines : 0
  return input.headerLines + chart + months + options + assumptions + input.messageLines + 1
}

describe('explorerLayout', () => {
  it('fits 120×45 with every month, the scale table and the chart at its smallest', () => {
    const layout = explorerLayout(EXAMPLE)
    // 45 − header 4 − keys 1 − spare 1 − message 1 − month table (12 + 4 + note 1) − chart (3 + 3)
    // − options (3 + 4 + 1) = 7 left: the assumptions' blank line and label, then 5 of 7.
    expect(layout).toEqual({chartHeight: 3, monthStart: 0, monthCount: 12, showOptions: true, assumptionLines: 5})
    expect(drawnLines(EXAMPLE, layout)).toBe(44)
  })

  it('a tall terminal shows every assumption and grows the chart to 8 rows', () => {
    const layout = explorerLayout({...EXAMPLE, rows: 70})
    expect(layout).toMatchObject({chartHeight: 8, monthCount: 12, showOptions: true, assumptionLines: 7})
    expect(drawnLines({...EXAMPLE, rows: 70}, layout)).toBeLessThanOrEqual(69)
  })

  it('80×24: a window of months around the selected one, no scale table, and still within the screen', () => {
    const input = {...EXAMPLE, rows: 24, selectedMonth: 9}
    const layout = explorerLayout(input)
    // 24 − 4 − 3 − 4 − 1 − chart 6 = 6 months, the window ending at the last month.
    expect(layout).toEqual({chartHeight: 3, monthStart: 6, monthCount: 6, showOptions: false, assumptionLines: 0})
    expect(drawnLines(input, layout)).toBeLessThanOrEqual(23)
  })

  it('a wrapped message takes its lines from the assumptions first', () => {
    const input = {...EXAMPLE, messageLines: 4}
    const layout = explorerLayout(input)
    expect(layout.assumptionLines).toBe(2)
    expect(drawnLines(input, layout)).toBe(44)
  })

  it('never draws more lines than the terminal has, whatever the sizes', () => {
    for (let rows = 30; rows <= 80; rows++)
      for (const months of [1, 6, 12, 24])
        for (const assumptions of [0, 3, 9]) {
          const input = {...EXAMPLE, rows, months, selectedMonth: months - 1, assumptions}
          const layout = explorerLayout(input)
          expect(drawnLines(input, layout), JSON.stringify(input)).toBeLessThan(rows)
          expect(layout.monthStart + layout.monthCount).toBeLessThanOrEqual(months)
          expect(layout.monthStart).toBeLessThanOrEqual(input.selectedMonth)
          expect(layout.monthStart + layout.monthCount).toBeGreaterThan(input.selectedMonth)
        }
  })
})
