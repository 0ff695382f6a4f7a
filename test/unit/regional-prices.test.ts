/**
 * Prices in every region the catalog covers: the shipped catalog against each pinned source's own
 * figures (AWS outside us-east-1, Azure's and GCP's added regions), and the one rule that decides
 * between the newer karpenter map and the older regional AWS table.
 */
import {describe, expect, it} from 'vitest'
import {findInstance, priceDates, pricedRegions} from '../../src/core/catalog/catalog-lookup.js'
import type {CatalogInstance} from '../../src/core/catalog/catalog-schema.js'
import {shippedCatalog as catalog} from '../../src/core/catalog/shipped-catalog.js'
import {
  mergeRegionalPrices,
  regionalOnDemandPrices,
  type ServerPriceRow,
} from '../../tools/catalog/sources/regional-prices.js'

/** Each figure, [type, region, USD per hour], is the catalog's on-demand price of the type there. */
function expectPrices(provider: 'aws' | 'azure', figures: Array<[string, string, number]>): void {
  for (const [type, region, usdPerHour] of figures)
    expect(findInstance(catalog, type, provider)?.priceUsdPerHour[region], `${type} ${region}`).toBe(usdPerHour)
}

describe('AWS prices in every region (shipped catalog)', () => {
  it("has the pinned table's own figures: SpareCores/sc-data @ ce414d8e, server_price, read with sqlite", () => {
    expectPrices('aws', [
      ['m5.large', 'eu-west-1', 0.107],
      ['c7g.large', 'ap-southeast-1', 0.0833],
      ['a1.large', 'ap-northeast-1', 0.0642],
      ['m7g.large', 'eu-central-1', 0.0978],
      ['c6i.xlarge', 'us-west-2', 0.17],
      ['r6g.2xlarge', 'eu-west-2', 0.4736],
      ['t3.medium', 'sa-east-1', 0.0672],
      ['m6i.large', 'ap-south-1', 0.101],
      ['c5.large', 'ca-central-1', 0.093],
      ['r5.large', 'us-east-2', 0.126],
      ['m7i.xlarge', 'eu-north-1', 0.2142],
      ['c7g.xlarge', 'us-west-1', 0.1802],
    ])
    // us-east-1 stays karpenter's (2026), the rest is dated by its own source (2024).
    const m5 = findInstance(catalog, 'm5.large', 'aws') as CatalogInstance
    expect(m5.regionSources?.['us-east-1']).toBeUndefined()
    expect(priceDates(catalog, {instances: [m5], region: 'us-east-1'})).toEqual([
      {what: 'aws instance prices', source: 'karpenter-aws-prices', date: '2026-07-20'},
    ])
    expect(priceDates(catalog, {instances: [m5], region: 'eu-west-1'})).toEqual([
      {what: 'aws instance prices', source: 'sparecores-aws-prices', date: '2024-02-21'},
    ])
    const regions = pricedRegions(catalog, 'aws')
    expect(regions.length).toBeGreaterThanOrEqual(15)
    // China bills in CNY: not a USD list price, left out.
    expect(regions).not.toContain('cn-north-1')
  })

  it('leaves out the regions of a type whose us-east-1 price has moved since (p5: $98.32 then, $55.04 now)', () => {
    const p5 = findInstance(catalog, 'p5.48xlarge', 'aws') as CatalogInstance
    expect(Object.keys(p5.priceUsdPerHour)).toEqual(['us-east-1'])
    const excluded = (catalog.excluded ?? []).filter((e) => e.provider === 'aws' && e.type === 'p5.48xlarge')
    expect(excluded.map((e) => e.region)).toContain('us-west-2')
    expect(excluded[0]?.reason).toContain('$98.32/h in us-east-1 against $55.04/h now')
  })
})

describe('Azure in 20 regions (shipped catalog)', () => {
  it("has the karpenter map's own figures (Azure/karpenter-provider-azure @ 2b431da1) in the regions added", () => {
    expectPrices('azure', [
      ['Standard_D2s_v5', 'uksouth', 0.111],
      ['Standard_E4s_v5', 'centralus', 0.285],
      ['Standard_F4s_v2', 'japaneast', 0.214],
      ['Standard_D2s_v5', 'australiaeast', 0.12],
      ['Standard_E4s_v5', 'swedencentral', 0.268],
      ['Standard_F4s_v2', 'canadacentral', 0.185],
      ['Standard_D2s_v5', 'francecentral', 0.112],
      ['Standard_E4s_v5', 'centralindia', 0.26],
      ['Standard_F4s_v2', 'koreacentral', 0.192],
      ['Standard_D2s_v5', 'westus3', 0.096],
    ])
    expect(pricedRegions(catalog, 'azure').length).toBeGreaterThanOrEqual(8)
  })

  it("dates a region's price by the snapshot it came from, not the type's oldest", () => {
    const d2ads = findInstance(catalog, 'Standard_D2ads_v5', 'azure') as CatalogInstance
    const dated = (region: string) => priceDates(catalog, {instances: [d2ads], region}).map((d) => d.source)
    expect(dated('eastus2')).toEqual(['karpenter-azure-prices'])
    expect(dated('eastus')).toEqual(['karpenter-azure-prices-4185d876'])
    // A region regionSources does not name takes the first (oldest) source.
    expect(d2ads.regionSources?.centralindia).toBeUndefined()
    expect(dated('centralindia')).toEqual(['karpenter-azure-prices-30a2a7dc'])
    expect(d2ads.sources[0]).toBe('karpenter-azure-prices-30a2a7dc')
  })
})

describe('GCP in 16 regions (shipped catalog)', () => {
  it("has pricing.yml's own figures (Cyclenerd @ fd66b26f): hour, month_1y ÷ 730, hour_spot", () => {
    const gcp = (type: string, region: string, kind: 'on-demand' | '1yr' | 'spot') => {
      const i = findInstance(catalog, type, 'gcp')
      return kind === 'on-demand' ? i?.priceUsdPerHour[region] : i?.otherPricesUsdPerHour?.[kind]?.[region]
    }
    expect(gcp('e2-standard-2', 'europe-west2', 'on-demand')).toBeCloseTo(0.08633556, 6)
    expect(gcp('n2-standard-4', 'asia-northeast1', 'on-demand')).toBeCloseTo(0.249176, 6)
    expect(gcp('c3-standard-4', 'europe-west4', 'on-demand')).toBeCloseTo(0.2116884, 6)
    expect(gcp('n2d-standard-8', 'australia-southeast1', 'on-demand')).toBeCloseTo(0.47956, 6)
    expect(gcp('e2-standard-4', 'southamerica-east1', 'on-demand')).toBeCloseTo(0.2127408, 6)
    expect(gcp('n2-standard-2', 'us-west2', 'on-demand')).toBeCloseTo(0.116652, 6)
    expect(gcp('e2-standard-2', 'europe-west2', '1yr')).toBeCloseTo(39.70572054 / 730, 6)
    expect(gcp('n2d-standard-8', 'australia-southeast1', '1yr')).toBeCloseTo(220.60016 / 730, 6)
    expect(gcp('n2-standard-4', 'asia-northeast1', 'spot')).toBeCloseTo(0.065408, 6)
    expect(gcp('c3-standard-4', 'europe-west4', 'spot')).toBeCloseTo(0.089376, 6)
    expect(gcp('e2-standard-4', 'southamerica-east1', 'spot')).toBeCloseTo(0.038888, 6)
    // Storage and egress follow the instances into every region.
    const regions = pricedRegions(catalog, 'gcp')
    expect(regions).toHaveLength(16)
    for (const region of regions) {
      expect(catalog.storage.find((s) => s.kind === 'pd-balanced')?.usdPerGBMonth[region], region).toBeGreaterThan(0)
      expect(
        catalog.egress.some((e) => e.provider === 'gcp' && e.regions.includes(region)),
        region,
      ).toBe(true)
    }
  })
})

describe('which source wins (mergeRegionalPrices)', () => {
  const row = (over: Partial<ServerPriceRow>): ServerPriceRow => ({
    vendor_id: 'aws',
    datacenter_id: 'eu-west-1',
    zone_id: '',
    server_id: 'x.large',
    operating_system: 'Linux',
    allocation: 'ONDEMAND',
    price: 0.1,
    price_upfront: 0,
    price_tiered: '[]',
    currency: 'USD',
    duration: 'HOUR',
    ...over,
  })
  const instance = (type: string, prices: Record<string, number>, provider: 'aws' | 'gcp' = 'aws') =>
    ({
      provider,
      type,
      family: type.split('.')[0],
      class: 'general',
      arch: 'x86_64',
      vcpu: 2,
      memoryGiB: 8,
      currentGeneration: true,
      priceUsdPerHour: prices,
      sources: ['newer', 'sizes'],
      verified: true,
    }) as CatalogInstance

  it('reads region-wide hourly USD on-demand Linux prices only', () => {
    const prices = regionalOnDemandPrices(
      [
        row({}),
        row({datacenter_id: 'us-east-1', price: 0.09}),
        row({datacenter_id: 'cn-north-1', currency: 'CNY', price: 0.7}),
        row({datacenter_id: 'eu-west-2', allocation: 'SPOT'}),
        row({datacenter_id: 'eu-west-3', operating_system: 'Windows'}),
        row({datacenter_id: 'eu-north-1', zone_id: 'eu-north-1a'}),
        row({datacenter_id: 'eu-south-1', price_upfront: 100}),
        row({datacenter_id: 'eu-south-2', price_tiered: '[{"upper":1}]'}),
        row({datacenter_id: 'eu-central-1', vendor_id: 'gcp'}),
        row({datacenter_id: 'ap-east-1', duration: 'MONTH'}),
      ],
      'aws',
    )
    expect([...(prices.get('x.large') ?? new Map()).entries()]).toEqual([
      ['eu-west-1', 0.1],
      ['us-east-1', 0.09],
    ])
  })

  it('keeps the newer price, fills the regions it lacks, and drops a type the two disagree on', () => {
    const older = new Map([
      // Agrees within 1 % in us-east-1: eu-west-1 is added.
      [
        'a.large',
        new Map([
          ['us-east-1', 0.1009],
          ['eu-west-1', 0.12],
        ]),
      ],
      // 2 % apart in us-east-1: its eu-west-1 price is stale, left out and named.
      [
        'b.large',
        new Map([
          ['us-east-1', 0.102],
          ['eu-west-1', 0.13],
        ]),
      ],
      // The same type name on another provider is not touched.
      ['c.large', new Map([['eu-west-1', 0.5]])],
    ])
    const merged = mergeRegionalPrices(
      [
        instance('a.large', {'us-east-1': 0.1}),
        instance('b.large', {'us-east-1': 0.1}),
        instance('c.large', {'us-central1': 0.2}, 'gcp'),
        instance('d.large', {'us-east-1': 0.3}),
      ],
      'aws',
      older,
      'older',
    )
    const [a, b, c, d] = merged.instances
    expect(a?.priceUsdPerHour).toEqual({'us-east-1': 0.1, 'eu-west-1': 0.12})
    expect(a?.regionSources).toEqual({'eu-west-1': 'older'})
    expect(a?.sources).toEqual(['newer', 'sizes', 'older'])
    expect(b?.priceUsdPerHour).toEqual({'us-east-1': 0.1})
    expect(b?.regionSources).toBeUndefined()
    expect(c?.priceUsdPerHour).toEqual({'us-central1': 0.2})
    expect(d?.priceUsdPerHour).toEqual({'us-east-1': 0.3})
    expect(merged.added).toBe(1)
    expect(merged.agreed).toBe(1)
    expect(merged.disagreed).toEqual([
      {type: 'b.large', region: 'us-east-1', newerUsdPerHour: 0.1, olderUsdPerHour: 0.102},
    ])
    expect(merged.excluded).toEqual([
      {
        provider: 'aws',
        type: 'b.large',
        region: 'eu-west-1',
        reason:
          'the older source (older) has $0.102/h in us-east-1 against $0.1/h now: its prices for this type are out of date',
      },
    ])
  })
})
