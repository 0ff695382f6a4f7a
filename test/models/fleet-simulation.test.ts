/**
 * The fleet simulation against queueing theory. Every reference is a closed form (M/M/1, Erlang C,
 * Pollaczek–Khinchine, GI/M/1) computed here or in src/core/capacity/erlang-c, not by the simulator.
 */
import {describe, expect, it} from 'vitest'
import {erlangC} from '../../src/core/capacity/erlang-c.js'
import {hashedShares, simulateFleet, type FleetSimulationInput} from '../../src/core/capacity/fleet-simulation.js'
import {zipfCumulative} from '../../src/core/balancing/balancing-primitives.js'

const base: FleetSimulationInput = {
  instances: 1,
  concurrency: 1,
  arrivalRatePerSec: 70,
  arrivalCv2: 1,
  serviceTime: {kind: 'exponential', meanMs: 10},
  policy: 'random',
  requests: 2_000_000,
  warmupRequests: 100_000,
  seed: 11,
}

/** Mean wait of the average of a few seeds: the wait of a busy queue is strongly autocorrelated. */
function meanWait(input: Partial<FleetSimulationInput>, seeds = [1, 2, 3]): number {
  return seeds.reduce((sum, seed) => sum + simulateFleet({...base, ...input, seed}).meanWaitMs, 0) / seeds.length
}

describe('fleet simulation against queueing theory', () => {
  it('random routing to N exponential servers is N independent M/M/1 queues (mean wait within 2 %)', () => {
    // Per server λ = 560/8 = 70/s, μ = 100/s: Wq = ρ/(μ − λ) = 0.7/30 s.
    const expectedMs = (0.7 / (100 - 70)) * 1000
    expect(Math.abs(meanWait({instances: 8, arrivalRatePerSec: 560, policy: 'random'}) / expectedMs - 1)).toBeLessThan(
      0.02,
    )
  })

  it('a central queue is M/M/c: the mean wait equals Erlang C within 2 %', () => {
    for (const [servers, utilisation] of [
      [4, 0.8],
      [10, 0.85],
    ] as const) {
      const lambda = utilisation * servers * 100
      const expectedMs = (erlangC(servers, utilisation) / (servers * 100 - lambda)) * 1000
      const simulated = meanWait({instances: servers, arrivalRatePerSec: lambda, policy: 'central'})
      expect(Math.abs(simulated / expectedMs - 1)).toBeLessThan(0.02)
    }
  })

  it('constant service is M/D/1 (Pollaczek–Khinchine) and an empirical one M/G/1 with its own second moment', () => {
    // M/D/1: Wq = ρS / (2(1 − ρ)).
    const md1 = meanWait({arrivalRatePerSec: 70, serviceTime: {kind: 'constant', ms: 10}})
    expect(Math.abs(md1 / ((0.7 * 10) / (2 * 0.3)) - 1)).toBeLessThan(0.02)
    // Two-point service: 5 ms (80 %) or 30 ms (20 %): E[S] = 10 ms, E[S²] = 200 ms²; Wq = λE[S²] / (2(1 − ρ)).
    const empirical = {
      kind: 'empirical' as const,
      valuesMs: Float64Array.of(5, 30),
      cumulative: Float64Array.of(0.8, 1),
    }
    const mg1 = meanWait({arrivalRatePerSec: 70, serviceTime: empirical})
    expect(Math.abs(mg1 / ((0.07 * 200) / (2 * 0.3)) - 1)).toBeLessThan(0.02)
  })

  it('bursty arrivals (gamma gaps, cv² = 2) match the exact GI/M/1 wait', () => {
    // GI/M/1: Wq = σ/(μ(1 − σ)), σ the root of σ = A*(μ(1 − σ)), A*(s) = (kλ/(kλ + s))^k for gamma gaps of shape k = 1/cv².
    const lambda = 70
    const mu = 100
    const k = 0.5
    let sigma = 0.5
    for (let i = 0; i < 500; i++) sigma = Math.pow((k * lambda) / (k * lambda + mu * (1 - sigma)), k)
    const expectedMs = (sigma / (mu * (1 - sigma))) * 1000
    const simulated = meanWait({arrivalRatePerSec: lambda, arrivalCv2: 2}, [1, 2, 3, 4])
    expect(Math.abs(simulated / expectedMs - 1)).toBeLessThan(0.02)
  })

  it('at 80 % load, least-connections and p2c beat round robin, which beats random, in p99', () => {
    const p99 = (policy: FleetSimulationInput['policy']) =>
      simulateFleet({...base, instances: 10, arrivalRatePerSec: 800, policy, requests: 500_000}).p99Ms
    const [leastConn, p2c, roundRobin, random] = [p99('least-conn'), p99('p2c'), p99('round-robin'), p99('random')]
    expect(leastConn).toBeLessThan(roundRobin)
    expect(p2c).toBeLessThan(roundRobin)
    expect(roundRobin).toBeLessThan(random)
    expect(leastConn).toBeLessThanOrEqual(p2c)
  })

  it('consistent hashing under Zipf skew loads each instance by the analytic share of its keys', () => {
    const hash = {keys: 1000, zipfExponent: 1.1, virtualNodes: 100}
    const shares = hashedShares(6, hash)
    // The hottest key alone: 1/H(1000, 1.1), and its instance carries at least that.
    const hottestKey = zipfCumulative(1000, 1.1)[0] as number
    const hottestInstance = Math.max(...shares)
    expect(hottestInstance).toBeGreaterThanOrEqual(hottestKey)
    const result = simulateFleet({
      ...base,
      instances: 6,
      concurrency: 2,
      arrivalRatePerSec: 400,
      policy: 'hash',
      hash,
      requests: 500_000,
    })
    result.shareByInstance.forEach((share, i) => expect(Math.abs(share - (shares[i] as number))).toBeLessThan(0.004))
    // Utilisation of the hottest instance: its share × λ × E[S] / c.
    expect(Math.abs(result.maxInstanceUtilisation - (hottestInstance * 400 * 0.01) / 2)).toBeLessThan(0.01)
  })

  it('weighted round robin splits exactly by weight; least-connections favours the faster instance', () => {
    const weighted = simulateFleet({
      ...base,
      instances: 3,
      speeds: [1, 2, 3],
      arrivalRatePerSec: 300,
      policy: 'weighted',
      requests: 60_000,
      warmupRequests: 0,
    })
    expect(weighted.shareByInstance.map((s) => s * 6)).toEqual([1, 2, 3].map((w) => expect.closeTo(w, 9)))
    const leastConn = simulateFleet({
      ...base,
      instances: 2,
      speeds: [1, 3],
      arrivalRatePerSec: 300,
      policy: 'least-conn',
      requests: 200_000,
    })
    expect(leastConn.shareByInstance[1]).toBeGreaterThan(0.6)
  })

  it('sticky sessions keep each session on one instance and spread sessions in turn', () => {
    const sticky = simulateFleet({
      ...base,
      instances: 4,
      arrivalRatePerSec: 280,
      policy: 'sticky',
      sticky: {sessions: 400, requestsPerSession: 50},
      requests: 400_000,
    })
    sticky.shareByInstance.forEach((share) => expect(Math.abs(share - 0.25)).toBeLessThan(0.03))
    // Pinning costs latency against round robin of single requests.
    const roundRobin = simulateFleet({
      ...base,
      instances: 4,
      arrivalRatePerSec: 280,
      policy: 'round-robin',
      requests: 400_000,
    })
    expect(sticky.p99Ms).toBeGreaterThan(roundRobin.p99Ms)
  })

  it('is deterministic for a seed', () => {
    const a = simulateFleet({...base, instances: 3, arrivalRatePerSec: 200, requests: 20_000})
    const b = simulateFleet({...base, instances: 3, arrivalRatePerSec: 200, requests: 20_000})
    expect(a).toEqual(b)
  })
})
