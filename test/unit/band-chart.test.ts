/**
 * The text band chart: every drawn value inside its rows, even when the bands do not nest (the plan
 * explorer's outer band is the sized-for peak, which at a 20 % risk lies below the P90 and crashed
 * the explorer with "Cannot set properties of undefined").
 */
import {describe, expect, it} from 'vitest'
import {bandChart} from '../../src/contracts/format/band-chart.js'

describe('bandChart', () => {
  it('scales to the highest value drawn: an inner band above the outer one stays on the chart', () => {
    const chart = bandChart(
      {history: [100, 120], forecast: [110, 110], lo80: [90, 90], hi80: [200, 200], lo95: [90, 90], hi95: [150, 150]},
      12,
      5,
    )
    expect(chart.top).toBe(200)
    expect(chart.bottom).toBe(90)
    expect(chart.rows).toHaveLength(5)
    // The inner band reaches the top row over the forecast's columns.
    expect(chart.rows[0]?.slice(chart.historyColumns).every((c) => c === '▓')).toBe(true)
  })

  it('nested bands: rows from the top of the outer band to the bottom, history as dots', () => {
    // top 150, bottom 50, 5 rows: a row is 25; history 100 sits on row 2.
    const chart = bandChart({history: [100], forecast: [100], lo80: [75], hi80: [125], lo95: [50], hi95: [150]}, 9, 5)
    const column = (x: number) => chart.rows.map((r) => r[x]).join('')
    expect(column(chart.historyColumns - 1)).toBe('  ·  ')
    expect(column(chart.historyColumns)).toBe('░▓●▓░')
  })
})
