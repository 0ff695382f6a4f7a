import {describe, expect, it} from 'vitest'
import {fitUsl, uslThroughput} from '../../src/core/capacity/usl.js'

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)

describe('fitUsl', () => {
  it('recovers σ, κ and λ from synthetic throughput within 5 %', () => {
    for (const [sigma, kappa, lambda] of [
      [0.05, 0.002, 120],
      [0.1, 0.0005, 40],
      [0.02, 0.001, 1000],
    ] as const) {
      // Given throughput from known coefficients with ±1 % deterministic "noise". (σ is poorly
      // identified when κ dominates: with σ = 0.02, κ = 0.01 the same noise moves σ by 10 %.)
      const levels = [1, 2, 4, 8, 16, 32, 64]
      const points = levels.map((n, i) => ({
        concurrency: n,
        throughput: uslThroughput(n, sigma, kappa, lambda) * (1 + 0.01 * Math.sin(i * 2.1)),
      }))
      const fit = fitUsl(points)
      expect(relative(fit.sigma, sigma)).toBeLessThan(0.05)
      expect(relative(fit.kappa, kappa)).toBeLessThan(0.05)
      expect(relative(fit.lambda, lambda)).toBeLessThan(0.05)
      expect(fit.rSquared).toBeGreaterThan(0.99)
    }
  })

  it('fits exact data exactly and puts the peak at √((1 − σ)/κ)', () => {
    const points = [1, 2, 4, 8, 16, 32].map((n) => ({concurrency: n, throughput: uslThroughput(n, 0.03, 0.001, 50)}))
    const fit = fitUsl(points)
    expect(fit.sigma).toBeCloseTo(0.03, 6)
    expect(fit.kappa).toBeCloseTo(0.001, 7)
    expect(fit.lambda).toBeCloseTo(50, 4)
    // By hand: √(0.97 / 0.001) = 31.14.
    expect(fit.peakConcurrency).toBeCloseTo(Math.sqrt(0.97 / 0.001), 4)
    expect(fit.rmse).toBeLessThan(1e-6)
  })

  it('matches the R usl package on the SPEC SDM91 data set (Gunther, Guerrilla Capacity Planning)', () => {
    // Data and nls results from the usl package (README of smoeding/usl): alpha 0.0277285,
    // beta 0.0001044, gamma 89.9952330; peak 1884 at load 96.52; opt 1542 at 36.06; limit 3246.
    const load = [1, 18, 36, 72, 108, 144, 216]
    const throughput = [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2]
    const fit = fitUsl(load.map((n, i) => ({concurrency: n, throughput: throughput[i] as number})))
    expect(relative(fit.sigma, 0.0277285)).toBeLessThan(0.01)
    expect(relative(fit.kappa, 0.0001044)).toBeLessThan(0.01)
    expect(relative(fit.lambda, 89.995233)).toBeLessThan(0.01)
    expect(fit.peakConcurrency).toBeCloseTo(96.52, 0)
    expect(fit.peakThroughput).toBeCloseTo(1884, -1)
    expect(fit.optimalConcurrency).toBeCloseTo(36.06, 0)
    expect(fit.optimalThroughput).toBeCloseTo(1542, -1)
    expect(fit.limitThroughput).toBeCloseTo(3246, -1)
  })

  it('matches the usl package test data set (alpha = beta = 0.02, gamma = 1)', () => {
    const load = [1, 2, 4, 6, 8, 10]
    const throughput = [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557]
    const fit = fitUsl(load.map((n, i) => ({concurrency: n, throughput: throughput[i] as number})))
    expect(fit.sigma).toBeCloseTo(0.02, 3)
    expect(fit.kappa).toBeCloseTo(0.02, 3)
    expect(fit.lambda).toBeCloseTo(1, 2)
  })

  it('needs three concurrency levels', () => {
    expect(() =>
      fitUsl([
        {concurrency: 1, throughput: 10},
        {concurrency: 2, throughput: 19},
      ]),
    ).toThrow(/three or more/)
  })
})
