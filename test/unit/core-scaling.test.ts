import {describe, expect, it} from 'vitest'
import {amdahlSpeedup, fitCoreScaling} from '../../src/core/capacity/core-scaling.js'
import {translateCapacity} from '../../src/core/planning/translate-capacity.js'

describe('core scaling (Amdahl) and the cores translation basis', () => {
  it('fits the serial fraction: by hand, 100/s on 1 CPU and 160/s on 2 give σ = 2·100/160 − 1 = 0.25', () => {
    const fit = fitCoreScaling([
      {cpus: 1, sustainableRatePerSec: 100},
      {cpus: 2, sustainableRatePerSec: 160},
    ])
    if ('error' in fit) throw new Error(fit.error)
    expect(fit.serialFraction).toBeCloseTo(0.25, 12)
    expect(fit.oneCpuRatePerSec).toBeCloseTo(100, 9)
    // Exact points of σ = 0.1 over 1, 2, 4 CPUs give σ back.
    const exact = fitCoreScaling(
      [1, 2, 4].map((cpus) => ({cpus, sustainableRatePerSec: 50 * amdahlSpeedup(cpus, 0.1)})),
    )
    expect('error' in exact ? NaN : exact.serialFraction).toBeCloseTo(0.1, 12)
    expect(fitCoreScaling([{cpus: 2, sustainableRatePerSec: 100}])).toEqual({
      error: 'needs a sustainable rate at two or more CPU counts',
    })
  })

  it('carries a serial service by per-core speed and a parallel one by all cores', () => {
    // A: one core 1,000, all 2 cores 1,900; B: one core 1,500, all 8 cores 11,000.
    const a = {
      vcpu: 2,
      perf: {
        stressngSingleCore: 1000,
        stressngCores: [
          [1, 1000],
          [2, 1900],
        ] as Array<[number, number]>,
      },
    }
    const b = {
      vcpu: 8,
      perf: {
        stressngSingleCore: 1500,
        stressngCores: [
          [1, 1500],
          [8, 11_000],
        ] as Array<[number, number]>,
      },
    }
    expect(translateCapacity(100, a, b, 'auto', 1, 1)).toEqual({perInstanceRps: 150, ratio: 1.5, basis: 'cores'})
    expect(translateCapacity(100, a, b, 'auto', 1, 0).ratio).toBeCloseTo(11_000 / 1900, 12)
    // σ = 0.25: A's speed-up 1.9 → 1.9 / (1 + 0.25 · 0.9) = 1.5510; B's 7.3333 → 7.3333 / (1 + 0.25 · 6.3333) = 2.8387.
    const half = translateCapacity(100, a, b, 'auto', 1, 0.25)
    expect(half.ratio).toBeCloseTo(
      (1500 * (11_000 / 1500 / (1 + 0.25 * (11_000 / 1500 - 1)))) / (1000 * (1.9 / (1 + 0.25 * 0.9))),
      12,
    )
    // Without a measured fraction, auto keeps today's order.
    expect(translateCapacity(100, a, b, 'auto').basis).toBe('stress-ng')
  })
})
