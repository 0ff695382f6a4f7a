/**
 * The forecast's terminal view at 80 and 120 columns: it fits the width, the chart widens with
 * the terminal, and its figures are the document's own (the model, its backtest error, the monthly peaks).
 */
import {stripVTControlCharacters} from 'node:util'
import {join} from 'node:path'
import {render} from 'ink-testing-library'
import {beforeAll, describe, expect, it} from 'vitest'
import {forecast} from '../../src/app/forecast.js'
import type {ForecastDocument} from '../../src/contracts/results/forecast-document.js'
import {ForecastView} from '../../src/ui/forecast-view.js'

const TRAFFIC = join(import.meta.dirname, '..', '..', 'plans', 'data', 'sample-traffic.csv')
let document: ForecastDocument
let history: number[]

beforeAll(async () => {
  const outcome = await forecast({
    flags: {
      file: TRAFFIC,
      horizon: '60d',
      model: 'auto',
      format: 'table',
      aggregate: 'mean',
      metric: 'traffic.requests_per_sec',
      since: '30d',
      step: '1h',
    },
    nowMs: Date.now(),
  })
  document = outcome.document.forecast
  history = [...outcome.document.history]
})

function frame(columns: number): string[] {
  const {lastFrame, unmount} = render(<ForecastView document={document} history={history} columns={columns} />)
  const lines = stripVTControlCharacters(lastFrame() ?? '').split('\n')
  unmount()
  return lines
}

const chartRows = (lines: string[]) => lines.filter((line) => line.includes('│'))

describe('forecast view', () => {
  for (const columns of [80, 120]) {
    it(`fits ${columns} columns and draws a chart as wide as the terminal`, () => {
      const lines = frame(columns)
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns)
      const rows = chartRows(lines)
      expect(rows).toHaveLength(12)
      // Label and axis (12 characters), then about one cell per column (steps go in whole buckets).
      const width = Math.max(...rows.map((row) => row.length))
      expect(width).toBeGreaterThan(columns - 6)
      expect(width).toBeLessThanOrEqual(columns)
      const cells = rows.join('')
      for (const mark of ['·', '●', '▓']) expect(cells).toContain(mark)
    })
  }

  it("shows the document's own figures: model, backtest error, horizons, growth and monthly peaks", () => {
    const text = frame(100).join('\n')
    const {result} = document
    const chosen = result.backtest.find((b) => b.model === result.model)
    expect(text).toContain(`model ${result.model}`)
    if (chosen && Number.isFinite(chosen.relative))
      expect(text).toContain(`${chosen.relative.toFixed(3)} × the seasonal naive's error`)
    expect(text).toContain(`steps 1–${result.horizons[0]?.toStep}: ${result.model}`)
    const first = result.monthlyPeaks[0]
    expect(first).toBeDefined()
    const shown = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2))
    expect(text).toMatch(
      new RegExp(
        `${new Date(first?.month as number).toISOString().slice(0, 7)}\\s+${shown(first?.forecast as number)}\\s+${shown(first?.hi95 as number)}`,
      ),
    )
    // A whole month's peak band, from the document: 60 days ahead hold at least one whole month.
    const band = document.monthlyPeakBands[0]
    expect(band).toBeDefined()
    expect(text).toMatch(
      new RegExp(
        `${new Date(band?.month as number).toISOString().slice(0, 7)}.*${shown(band?.p50 as number)}\\s+${shown(band?.p10 as number)}–${shown(band?.p90 as number)}`,
      ),
    )
  })
})
