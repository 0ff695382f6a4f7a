/**
 * Client-side balancing over real local servers (`run --targets … --balance …`): the servers
 * count what they receive, and loadplan's per-target figures must agree with them.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {CapacityResult} from '../../src/contracts/results/capacity-result.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'
import {runAgainst} from '../helpers/run-against.js'

/** Service times of the three instances: each answers after this many ms (a timer, not CPU, so load on the machine does not change it). */
const DELAYS_MS = [5, 10, 20]

describe('run --targets', () => {
  let servers: LocalServer[] = []
  beforeAll(async () => {
    servers = await Promise.all(
      DELAYS_MS.map((delayMs) => startServer((_q, response) => setTimeout(() => response.end('ok'), delayMs))),
    )
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })
  const targets = () => servers.map((s) => s.url).join(',')
  const counts = async (work: () => Promise<unknown>) => {
    const before = servers.map((s) => s.count)
    await work()
    return servers.map((s, i) => s.count - (before[i] as number))
  }

  it('round-robin splits exactly evenly, as the servers count it', async () => {
    let targetCounts: number[] = []
    const received = await counts(async () => {
      const result = await runAgainst(`${servers[0]?.url}/`, {targets: targets(), connections: '6', amount: '1500'})
      targetCounts = (result.targets ?? []).map((t) => t.completed)
      expect(result.options.balance).toBe('round-robin')
    })
    expect(received).toEqual([500, 500, 500])
    expect(targetCounts).toEqual([500, 500, 500])
  })

  it('least-conn sends load in inverse proportion to service time', async () => {
    let shares: number[] = []
    let meanMs: number[] = []
    const received = await counts(async () => {
      const result = await runAgainst(`${servers[0]?.url}/`, {
        targets: targets(),
        balance: 'least-conn',
        connections: '12',
        duration: '3s',
      })
      shares = (result.targets ?? []).map((t) => t.share)
      meanMs = (result.targets ?? []).map((t) => t.latency.meanMs)
      // Per-target histograms add up to the run's.
      expect((result.targets ?? []).reduce((sum, t) => sum + t.latency.count, 0)).toBe(result.latency.corrected.count)
    })
    // Least-conn keeps the same number in flight on each, so (Little's law) share × response time
    // is the same for all three: throughput in inverse proportion to the time each takes, whatever
    // a busy machine adds to the 5/10/20 ms. Idle, that is 4 : 2 : 1.
    const inFlight = shares.map((share, i) => share * (meanMs[i] as number))
    expect(Math.max(...inFlight) / Math.min(...inFlight)).toBeLessThan(1.15)
    expect(shares[0]).toBeGreaterThan(shares[1] as number)
    expect(shares[1]).toBeGreaterThan(shares[2] as number)
    const total = received.reduce((a, b) => a + b, 0)
    received.forEach((n, i) => expect(Math.abs(n / total - (shares[i] as number))).toBeLessThan(0.01))
  })

  it('hash:KEY keeps every key on one target; weighted splits by weight', async () => {
    const hashed = await runAgainst(`${servers[0]?.url}/`, {
      targets: targets(),
      balance: 'hash:user',
      query: ['user=alice'],
      connections: '3',
      amount: '300',
    })
    expect((hashed.targets ?? []).map((t) => t.completed).sort((a, b) => b - a)).toEqual([300, 0, 0])
    const weighted = await runAgainst(`${servers[0]?.url}/`, {
      targets: targets(),
      balance: 'weighted',
      weights: '3,2,1',
      connections: '6',
      amount: '600',
    })
    expect((weighted.targets ?? []).map((t) => t.completed)).toEqual([300, 200, 100])
  })

  it('capacity searches the fleet through the same balancer and records each instance per step', async () => {
    const {code, stdout} = await runInProcess([
      'capacity',
      `${servers[0]?.url}/`,
      '--targets',
      targets(),
      '--balance',
      'round-robin',
      '--start-rate',
      '150',
      '--max-rate',
      '300',
      '--step-duration',
      '1s',
      '--warmup',
      '0s',
      '--no-confirm',
      '--json',
      '--quiet',
    ])
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as CapacityResult
    for (const step of result.steps) {
      expect(step.targets?.map((t) => t.origin)).toEqual(servers.map((s) => s.url))
      // Round robin: equal thirds of every step, to within the requests in flight at its end.
      for (const target of step.targets ?? []) expect(Math.abs(target.share - 1 / 3)).toBeLessThan(0.02)
    }
  })
})
