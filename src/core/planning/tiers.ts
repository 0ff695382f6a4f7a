/**
 * Tiers behind (and in front of) the measured application tier, sized each month: a cache in
 * front whose hit ratio removes load from everything behind it, a database whose writes go
 * to primaries (sharded when write load or storage outgrows one) and whose reads go to read
 * replicas, and queue consumers for the messages the requests produce (queue-tier.ts). Pure.
 */
import type {TierSizing} from '../../contracts/results/plan-document.js'
import {monthlyCostUsd} from '../catalog/catalog-lookup.js'
import {grownBy} from './growth.js'
import {sizeQueue, type QueueTier} from './queue-tier.js'

export interface CacheTier {
  /** Share of requests the cache answers, e.g. 0.8. */
  hitRatio: number
  nodes: number
  priceUsdPerHour: number
  type: string
}

export interface DatabaseTier {
  /** Database queries per request that reaches the application. */
  queriesPerRequest: number
  /** Share of queries that read. */
  readShare: number
  /** Writes per second one primary sustains. */
  writeQpsPerPrimary: number
  /** Reads per second one read replica sustains. */
  readQpsPerReplica: number
  /** Storage one primary may hold before the data is split into another shard, GB. */
  maxGBPerShard: number
  storageGB: number
  storageGrowthPerMonth: number
  /** Block storage each database instance keeps its shard's data on; without it, storage is not priced. */
  storageUsdPerGBMonth?: number
  priceUsdPerHour: number
  type: string
}

export interface Tiers {
  cache?: CacheTier
  database?: DatabaseTier
  queue?: QueueTier
}

/** The tiers' instances a month (cache nodes, database instances, queue consumers): part of compute. */
export function tierComputeUsd(sizing: Omit<TierSizing, 'appRps'> | undefined): number {
  return (sizing?.cache?.costUsd ?? 0) + (sizing?.database?.costUsd ?? 0) + (sizing?.queue?.costUsd ?? 0)
}

/**
 * Sizes the tiers for a month's peak. Shards = max(⌈writes / per-primary⌉, ⌈storage / per-shard⌉);
 * replicas per shard = ⌈(reads / shards) / per-replica⌉; instances = shards × (1 + replicas).
 */
export function sizeTiers(peakRps: number, month: number, tiers: Tiers): TierSizing {
  const appRps = tiers.cache ? peakRps * (1 - tiers.cache.hitRatio) : peakRps
  const sizing: TierSizing = {appRps}
  if (tiers.cache)
    sizing.cache = {nodes: tiers.cache.nodes, costUsd: monthlyCostUsd(tiers.cache.nodes * tiers.cache.priceUsdPerHour)}
  const db = tiers.database
  if (db) {
    const queries = appRps * db.queriesPerRequest
    const readQps = queries * db.readShare
    const writeQps = queries - readQps
    const storageGB = grownBy(db.storageGB, db.storageGrowthPerMonth, month)
    const shards = Math.max(
      1,
      Math.ceil(writeQps / db.writeQpsPerPrimary - 1e-9),
      Math.ceil(storageGB / db.maxGBPerShard - 1e-9),
    )
    const replicasPerShard = Math.ceil(readQps / shards / db.readQpsPerReplica - 1e-9)
    const instances = shards * (1 + replicasPerShard)
    // Each shard's primary and each of its replicas holds the shard's data.
    const storedGB = storageGB * (1 + replicasPerShard)
    sizing.database = {
      shards,
      replicasPerShard,
      instances,
      readQps,
      writeQps,
      storageGB,
      storedGB,
      storageUsd: db.storageUsdPerGBMonth === undefined ? 0 : storedGB * db.storageUsdPerGBMonth,
      costUsd: monthlyCostUsd(instances * db.priceUsdPerHour),
    }
  }
  if (tiers.queue) sizing.queue = sizeQueue(appRps, tiers.queue)
  return sizing
}
