import {describe, expect, it} from 'vitest'
import {sizeTiers} from '../../src/core/planning/tiers.js'

describe('tiers', () => {
  const tiers = {
    cache: {hitRatio: 0.6, nodes: 2, priceUsdPerHour: 0.1, type: 'r7g.large'},
    database: {
      queriesPerRequest: 3,
      readShare: 0.9,
      writeQpsPerPrimary: 1000,
      readQpsPerReplica: 4000,
      maxGBPerShard: 1000,
      storageGB: 800,
      storageGrowthPerMonth: 0.1,
      priceUsdPerHour: 0.5,
      type: 'r7g.2xlarge',
    },
  }

  it('removes cache hits, splits reads and writes, and adds replicas', () => {
    // By hand, month 1 (now) at 10,000 req/s: 40 % misses → 4,000 req/s reach the app; × 3 queries
    // = 12,000 q/s: 10,800 reads, 1,200 writes. Storage 800 GB now. Shards = max(⌈1.2⌉, ⌈0.8⌉) = 2;
    // replicas per shard ⌈5,400 / 4,000⌉ = 2; instances 2 × 3 = 6 × $0.5 × 730 = $2,190.
    const sized = sizeTiers(10_000, 1, tiers)
    expect(sized.appRps).toBeCloseTo(4000, 9)
    expect(sized.cache).toEqual({nodes: 2, costUsd: 2 * 0.1 * 730})
    expect(sized.database).toMatchObject({shards: 2, replicasPerShard: 2, instances: 6})
    expect(sized.database?.storageGB).toBe(800)
    expect(sized.database?.readQps).toBeCloseTo(10_800, 9)
    expect(sized.database?.writeQps).toBeCloseTo(1200, 9)
    expect(sized.database?.costUsd).toBeCloseTo(2190, 9)
  })

  it('shards when storage outgrows one primary', () => {
    // Month 6 at 1,000 req/s: writes 120 q/s fit one primary, but 800 × 1.1⁵ = 1,288 GB needs 2 shards.
    const sized = sizeTiers(1000, 6, tiers)
    expect(sized.database?.shards).toBe(2)
    expect(sized.database?.storageGB).toBeCloseTo(800 * 1.1 ** 5, 9)
  })

  it('prices the database storage once per primary and once per replica (issue 29: it was not priced)', () => {
    // Month 1 at 10,000 req/s as above: 2 shards of 400 GB, each on a primary and 2 replicas:
    // 800 GB × 3 copies = 2,400 GB × $0.08 = $192.00 a month. Month 2: 880 GB × 3 = 2,640 GB, $211.20.
    const priced = {...tiers, database: {...tiers.database, storageUsdPerGBMonth: 0.08}}
    expect(sizeTiers(10_000, 1, priced).database).toMatchObject({storedGB: 2400})
    expect(sizeTiers(10_000, 1, priced).database?.storageUsd).toBeCloseTo(192, 9)
    expect(sizeTiers(10_000, 2, priced).database?.storageUsd).toBeCloseTo(211.2, 9)
    // Without a price, the volumes are counted and cost nothing.
    expect(sizeTiers(10_000, 1, tiers).database).toMatchObject({storedGB: 2400, storageUsd: 0})
  })
})
