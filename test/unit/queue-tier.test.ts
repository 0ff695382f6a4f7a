/**
 * Queue consumers sized on the M/M/c wait distribution (issue 32), against Erlang C computed
 * independently in Python (math only, no loadplan code):
 *
 *   def erlang_c(c, a):
 *       s = sum(a**k / factorial(k) for k in range(c))
 *       t = a**c / factorial(c) * c / (c - a)
 *       return t / (s + t)
 *   # P(W > t) = erlang_c(c, λ/μ) · exp(−(cμ − λ) t), λ = 50/s, μ = 10/s (100 ms a message)
 *
 *   c   C(c, 5)    P(W > 0.1 s)   P(W > 0.05 s)
 *   7   0.324150   0.0438689      0.1192481
 *   8   0.167267   0.0083277      0.0373222
 *   9   0.080510   0.0014746      0.0108959
 *   10  0.036105   0.0002433      0.0029637
 */
import {describe, expect, it} from 'vitest'
import {sizeQueue, waitAbove, type QueueTier} from '../../src/core/planning/queue-tier.js'

const tier = (overrides: Partial<QueueTier> = {}): QueueTier => ({
  messagesPerRequest: 1,
  serviceTimeMs: 100,
  waitQuantile: 0.99,
  waitObjectiveMs: 100,
  consumersPerInstance: 1,
  spike: {factor: 2, durationS: 600},
  priceUsdPerHour: 0.1,
  type: 'c7g.large',
  ...overrides,
})

describe('queue consumers by Erlang C', () => {
  it('matches the independent wait probabilities', () => {
    expect(waitAbove(7, 50, 10, 0.1)).toBeCloseTo(0.0438689, 6)
    expect(waitAbove(8, 50, 10, 0.1)).toBeCloseTo(0.0083277, 6)
    expect(waitAbove(9, 50, 10, 0.05)).toBeCloseTo(0.0108959, 6)
    expect(waitAbove(10, 50, 10, 0.05)).toBeCloseTo(0.0029637, 6)
    expect(waitAbove(5, 50, 10, 10)).toBe(1) // at a = c the queue grows without bound
  })

  it('50 msg/s × 100 ms with p99 wait < 100 ms needs 8 consumers; < 50 ms needs 10', () => {
    expect(sizeQueue(50, tier()).consumers).toBe(8)
    expect(sizeQueue(50, tier({waitObjectiveMs: 50})).consumers).toBe(10)
    // A lax objective still needs a stable queue: more than a = 5 consumers.
    expect(sizeQueue(50, tier({waitObjectiveMs: 30_000})).consumers).toBe(6)
  })

  it('messages per request, consumers per instance, price', () => {
    // 25 requests/s × 2 messages = 50 msg/s; 8 consumers, 3 a node → 3 nodes × $0.1 × 730.
    const sized = sizeQueue(25, tier({messagesPerRequest: 2, consumersPerInstance: 3}))
    expect(sized).toMatchObject({messagesPerSec: 50, consumers: 8, instances: 3})
    expect(sized.costUsd).toBeCloseTo(3 * 0.1 * 730, 9)
  })

  it('says when the partitions must grow: consumers beyond them sit idle', () => {
    expect(sizeQueue(50, tier({partitions: 6})).partitionsNeeded).toBe(8)
    expect(sizeQueue(50, tier({partitions: 12})).partitionsNeeded).toBeUndefined()
  })

  it('the backlog a spike leaves and the time it drains in', () => {
    // 8 consumers serve 80/s; a 10-minute spike at 2 × 50 = 100/s leaves (100 − 80) × 600 = 12,000
    // messages, drained at 80 − 50 = 30/s in 400 s.
    const sized = sizeQueue(50, tier())
    expect(sized.backlogMessages).toBeCloseTo(12_000, 9)
    expect(sized.drainSeconds).toBeCloseTo(400, 9)
    // A spike the consumers absorb leaves nothing.
    expect(sizeQueue(50, tier({spike: {factor: 1.5, durationS: 600}})).backlogMessages).toBe(0)
  })
})
