/** Chart axes with round grid steps (issue 28: the instances chart read 0, 1, 3, 4, 5). */
import {describe, expect, it} from 'vitest'
import {niceMax} from '../../src/report/svg-chart.js'

describe('niceMax', () => {
  it('gives counts whole, round steps', () => {
    expect(niceMax(5, {integer: true})).toBe(8) // 0, 2, 4, 6, 8
    expect(niceMax(1, {integer: true})).toBe(4) // 0, 1, 2, 3, 4
    expect(niceMax(11, {integer: true})).toBe(20) // 0, 5, 10, 15, 20
    for (let value = 1; value <= 500; value++) {
      const max = niceMax(value, {integer: true})
      expect(max).toBeGreaterThanOrEqual(value)
      expect(Number.isInteger(max / 4)).toBe(true)
      expect(max).toBeLessThanOrEqual(value * 4 + 4)
    }
  })

  it('gives other values steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceMax(1234)).toBe(2000) // steps of 500
    expect(niceMax(0.8)).toBeCloseTo(0.8, 12) // steps of 0.2
    expect(niceMax(9.5)).toBe(10) // steps of 2.5
    expect(niceMax(0)).toBe(1)
  })
})
