/**
 * Queue consumers (an event-driven tier): the messages the requests produce are served by c
 * consumers, sized each month as the smallest c whose M/M/c wait meets the lag objective
 * (P(wait > t) = C(c, a) · e^−(cμ−λ)t, Erlang C), bounded by the topic's partitions (a consumer
 * beyond them has nothing to read), with the backlog a spike leaves and how long it takes to
 * drain. A model: arrivals Poisson, service times exponential. Pure.
 */
import {erlangC} from '../capacity/erlang-c.js'
import {monthlyCostUsd} from '../catalog/catalog-lookup.js'
import type {TierSizing} from '../../contracts/results/plan-document.js'

export interface QueueTier {
  /** Messages each request that reaches the application puts on the queue. */
  messagesPerRequest: number
  /** Mean time one consumer takes per message, ms. */
  serviceTimeMs: number
  /** The lag objective: P(wait ≤ waitObjectiveMs) ≥ waitQuantile, e.g. p99 < 30 s. */
  waitQuantile: number
  waitObjectiveMs: number
  /** The topic's partitions, when bounded (Kafka, Kinesis shards): consumers beyond them idle. */
  partitions?: number
  /** Consumers one instance runs (threads or processes). */
  consumersPerInstance: number
  /** The spike the backlog figure assumes: the month's peak × factor for durationS. */
  spike: {factor: number; durationS: number}
  priceUsdPerHour: number
  type: string
}

export type QueueSizing = NonNullable<TierSizing['queue']>

/** More consumers than this is outside what the model (or a queue) is sensibly sized with. */
export const MAX_CONSUMERS = 100_000

/** P(wait > t) in an M/M/c queue with arrival rate λ and service rate μ per server; 1 when unstable. */
export function waitAbove(consumers: number, arrivalsPerSec: number, servicePerSec: number, seconds: number): number {
  const utilisation = arrivalsPerSec / (consumers * servicePerSec)
  if (utilisation >= 1) return 1
  return erlangC(consumers, utilisation) * Math.exp(-(consumers * servicePerSec - arrivalsPerSec) * seconds)
}

/** The consumers a month's peak request rate needs, and what they cost. */
export function sizeQueue(peakAppRps: number, tier: QueueTier): QueueSizing {
  const lambda = peakAppRps * tier.messagesPerRequest
  const mu = 1000 / tier.serviceTimeMs
  const t = tier.waitObjectiveMs / 1000
  const allowed = 1 - tier.waitQuantile
  // Stable needs c > a = λ/μ; then the smallest c that meets the objective.
  let consumers = Math.max(1, Math.floor(lambda / mu) + 1)
  while (consumers < MAX_CONSUMERS && waitAbove(consumers, lambda, mu, t) > allowed) consumers++
  const serving = consumers * mu
  const spikeRate = lambda * tier.spike.factor
  const backlogMessages = Math.max(0, (spikeRate - serving) * tier.spike.durationS)
  const instances = Math.ceil(consumers / tier.consumersPerInstance - 1e-9)
  return {
    messagesPerSec: lambda,
    consumers,
    instances,
    waitAboveObjective: waitAbove(consumers, lambda, mu, t),
    ...(tier.partitions !== undefined && consumers > tier.partitions ? {partitionsNeeded: consumers} : {}),
    backlogMessages,
    drainSeconds: backlogMessages === 0 ? 0 : backlogMessages / (serving - lambda),
    costUsd: monthlyCostUsd(instances * tier.priceUsdPerHour),
  }
}
