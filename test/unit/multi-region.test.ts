/**
 * Active-active across regions (issue 32), by hand: the failover rule, each region's demand, and
 * replication priced from the catalog's inter-region prices.
 */
import {describe, expect, it} from 'vitest'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'
import type {DemandMonth} from '../../src/contracts/results/plan-document.js'
import {failoverShares, regionDemand, replicationMonths} from '../../src/core/planning/multi-region.js'

describe('failover shares: N regions survive the loss of any one', () => {
  it('three equal regions are each sized for half the traffic: 900/s → 450/s each', () => {
    const sized = failoverShares([1 / 3, 1 / 3, 1 / 3])
    for (const share of sized) expect(share).toBeCloseTo(0.5, 12)
    expect(sized.map((s) => s * 900)).toEqual(sized.map(() => expect.closeTo(450, 9)))
  })

  it('two regions each carry all of it, whatever their shares', () => {
    expect(failoverShares([0.6, 0.4])).toEqual([expect.closeTo(1, 12), expect.closeTo(1, 12)])
  })

  it('unequal shares: the lost region spreads over the survivors by their shares, and they hold it', () => {
    // 50/30/20: sized 0.5/0.7, 0.3/0.5, 0.2/0.5 = 0.7143, 0.6, 0.4.
    const shares = [0.5, 0.3, 0.2]
    const sized = failoverShares(shares)
    expect(sized).toEqual([expect.closeTo(0.5 / 0.7, 12), expect.closeTo(0.6, 12), expect.closeTo(0.4, 12)])
    // Whichever region is lost, the others' sized shares cover the whole traffic.
    for (let lost = 0; lost < shares.length; lost++)
      expect(sized.filter((_, i) => i !== lost).reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(1 - 1e-12)
  })
})

const month = (peak: number, mean: number): DemandMonth => ({
  month: 1,
  startMs: Date.UTC(2026, 11, 1),
  peakRps: peak,
  peakHi80: peak,
  peakHi95: peak,
  meanRps: mean,
  peakQuantiles: {p10: peak * 0.9, p25: peak, p50: peak, p75: peak, p80: peak, p90: peak * 1.1, p95: peak * 1.2},
})

describe('a region plans for its sized share of the peak and its own share of the mean', () => {
  it('scales peaks, quantiles and paths by the sized share; the mean and the week by the share', () => {
    const demand = regionDemand(
      {
        months: [month(900, 450)],
        peakPaths: [[800, 900, 1000]],
        week: {startMs: 0, demand: [300, 600], planned: [330, 660]},
        assumption: '',
        warnings: [],
      },
      0.5,
      1 / 3,
    )
    expect(demand.months[0]).toMatchObject({peakRps: 450, peakHi95: 450, meanRps: 150})
    expect(demand.months[0]?.peakQuantiles?.p95).toBeCloseTo(540, 9)
    expect(demand.peakPaths).toEqual([[400, 450, 500]])
    expect(demand.week?.demand).toEqual([100, 200])
  })
})

describe('replication between regions', () => {
  it('prices each region’s writes to every other region at its own inter-region price', () => {
    // Two regions, half the traffic each; mean 450/s; 10 % of requests write 2,000 bytes.
    // Each region sends 225 × 0.1 × 2,000 = 45,000 B/s × 2,628,000 s (730 h) = 118,260,000,000 B
    // = 110.1378 GB of 2^30 bytes. us-east-1 → ap-southeast-1 at $0.02: $2.2028; back at $0.09:
    // $9.9124; $12.1152 a month, 220.2756 GB.
    const catalog = shippedCatalog
    const {months, unpriced} = replicationMonths(
      catalog,
      [
        {provider: 'aws', region: 'us-east-1', share: 0.5},
        {provider: 'aws', region: 'ap-southeast-1', share: 0.5},
      ],
      [month(900, 450)],
      {bytesPerWrite: 2000, writeRatio: 0.1},
    )
    expect(unpriced).toEqual([])
    const gbEach = 118_260_000_000 / 2 ** 30
    expect(months[0]?.gb).toBeCloseTo(2 * gbEach, 6)
    expect(months[0]?.usd).toBeCloseTo(gbEach * 0.02 + gbEach * 0.09, 6)
    expect(months[0]?.usd.toFixed(2)).toBe('12.12')
  })

  it('counts what the catalog cannot price, names it, and takes a given price instead', () => {
    const catalog = shippedCatalog
    const regions = [
      {provider: 'gcp' as const, region: 'us-east1', share: 0.5},
      {provider: 'gcp' as const, region: 'europe-west1', share: 0.5},
    ]
    const unpricedRun = replicationMonths(catalog, regions, [month(900, 450)], {bytesPerWrite: 2000, writeRatio: 0.1})
    expect(unpricedRun.unpriced).toEqual(['gcp us-east1 → gcp europe-west1', 'gcp europe-west1 → gcp us-east1'])
    expect(unpricedRun.months[0]?.usd).toBe(0)
    const given = replicationMonths(catalog, regions, [month(900, 450)], {
      bytesPerWrite: 2000,
      writeRatio: 0.1,
      usdPerGB: 0.01,
    })
    expect(given.months[0]?.usd).toBeCloseTo((2 * 118_260_000_000 * 0.01) / 2 ** 30, 9)
  })
})
