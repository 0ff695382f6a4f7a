/**
 * The growth a plan draws from: the fitted growth shrunk toward none by a stated prior (±3 % a
 * month, 1 sd of log(1 + g)). Worked by hand for the bundled history's seven weekly means.
 */
import {describe, expect, it} from 'vitest'
import {GROWTH_PRIOR_SD, shrinkGrowth} from '../../src/core/forecast/growth.js'
import {grownBy} from '../../src/core/planning/growth.js'

describe('shrinkGrowth', () => {
  it('leaves a growth without doubt as it is', () => {
    expect(shrinkGrowth({perMonth: 0.1, lo80: 0.1, hi80: 0.1})).toEqual({perMonth: 0.1, lo80: 0.1, hi80: 0.1})
  })

  it('seven weekly means (0.1 %, 80 %: −24.1 … +62.9 %): about 0 ± 3 %, by hand', () => {
    // sd = (ln 1.629 − ln 0.759) / 2.5631 = 0.29796; weight = 0.0009 / (0.0009 + 0.088781) = 0.010036;
    // centre = ln 1.001 · weight = 1.0031e-5; spread = 0.29796 · √weight = 0.029850.
    const shrunk = shrinkGrowth({perMonth: 0.001, lo80: -0.241, hi80: 0.629})
    expect(GROWTH_PRIOR_SD).toBe(0.03)
    expect(shrunk.perMonth).toBeCloseTo(1.0031e-5, 8)
    expect(Math.log1p(shrunk.hi80) - Math.log1p(shrunk.perMonth)).toBeCloseTo(1.2815515655446004 * 0.02985, 4)
    expect(Math.log1p(shrunk.perMonth) - Math.log1p(shrunk.lo80)).toBeCloseTo(1.2815515655446004 * 0.02985, 4)
  })

  it('a tight range (±0.2 % a month) keeps its growth: weight 0.9975', () => {
    // sd = ln(1.032 / 1.028) / 2.5631 = 0.0038835 / 2.5631 = 0.0015152;
    // weight = 0.0009 / (0.0009 + 2.2958e-6) = 0.997456.
    const shrunk = shrinkGrowth({perMonth: 0.03, lo80: 0.028, hi80: 0.032})
    expect(Math.log1p(shrunk.perMonth) / Math.log1p(0.03)).toBeCloseTo(0.997456, 5)
  })
})

describe('grownBy', () => {
  it('month 1 is now', () => {
    expect(grownBy(120, 0.05, 1)).toBe(120)
    expect(grownBy(120, 0.05, 3)).toBeCloseTo(132.3, 10)
  })
})
