import {describe, expect, it} from 'vitest'
import {
  candidatesFor,
  catalogAgeDays,
  egressCostUsd,
  egressFor,
  findInstance,
  mergeCatalogs,
  monthlyCostUsd,
  priceKindsIn,
  priceOf,
} from '../../src/core/catalog/catalog-lookup.js'
import {catalogSchema} from '../../src/core/catalog/catalog-schema.js'
import {shippedCatalog as catalog} from '../../src/core/catalog/shipped-catalog.js'
import {parseKarpenterAwsPrices, parseKarpenterAwsTypes} from '../../tools/catalog/sources/aws.js'
import {
  chooseSeriesPrices,
  parseAzureSize,
  sizeAzureType,
  type AzureSizeRecord,
  type SpareCoresServer,
} from '../../tools/catalog/sources/azure.js'
import {parseGcpEgressTiers} from '../../tools/catalog/sources/gcp.js'

describe('the shipped catalog', () => {
  it('passes the schema: positive prices, vCPUs and memory, a source and a date on everything', () => {
    expect(() => catalogSchema.parse(catalog)).not.toThrow()
    const sourceIds = new Set(catalog.sources.map((s) => s.id))
    for (const s of catalog.sources) expect(Number.isNaN(Date.parse(s.generatedAt)), s.id).toBe(false)
    for (const i of catalog.instances) {
      expect(i.vcpu).toBeGreaterThan(0)
      expect(i.memoryGiB).toBeGreaterThan(0)
      for (const price of Object.values(i.priceUsdPerHour)) expect(price).toBeGreaterThan(0)
      for (const id of i.sources) expect(sourceIds.has(id), `${i.type}: ${id}`).toBe(true)
    }
    for (const s of catalog.storage) expect(sourceIds.has(s.source), s.kind).toBe(true)
    for (const e of catalog.egress) expect(sourceIds.has(e.source), e.provider).toBe(true)
  })

  it('has no duplicate keys', () => {
    const keys = catalog.instances.map((i) => `${i.provider}/${i.type}`)
    expect(new Set(keys).size).toBe(keys.length)
    const storageKeys = catalog.storage.map((s) => `${s.provider}/${s.kind}`)
    expect(new Set(storageKeys).size).toBe(storageKeys.length)
  })

  it('covers hundreds of types for each provider, with current-generation families of every class', () => {
    for (const provider of ['aws', 'gcp', 'azure'] as const) {
      const mine = catalog.instances.filter((i) => i.provider === provider && i.currentGeneration)
      expect(mine.length, provider).toBeGreaterThan(300)
      for (const cls of ['general', 'compute', 'memory', 'burstable'] as const)
        expect(
          mine.some((i) => i.class === cls),
          `${provider} ${cls}`,
        ).toBe(true)
    }
    for (const family of ['m7g', 'm7i', 'c7g', 'c7i', 'r7g', 'r7i', 't3', 't4g', 'm8g'])
      expect(
        catalog.instances.some((i) => i.family === family),
        family,
      ).toBe(true)
    for (const family of ['n2', 'n4', 'c3', 'c4', 'c4a', 'e2', 't2d', 'm3'])
      expect(
        catalog.instances.some((i) => i.provider === 'gcp' && i.family === family),
        family,
      ).toBe(true)
    expect(catalog.instances.filter((i) => i.class === 'accelerated').length).toBeGreaterThan(50)
  })

  it('matches the prices quoted in the reference note', () => {
    // ../shared/reference/prices.md §3.3, from the same sources.
    const price = (type: string, region: string) => findInstance(catalog, type)?.priceUsdPerHour[region]
    expect(price('m7g.large', 'us-east-1')).toBe(0.0816)
    expect(price('c6i.xlarge', 'us-east-1')).toBe(0.17)
    expect(price('t4g.medium', 'us-east-1')).toBe(0.0336)
    expect(price('n2-standard-4', 'us-central1')).toBeCloseTo(0.1942, 4)
    expect(price('e2-standard-2', 'us-central1')).toBeCloseTo(0.067, 3)
    expect(price('Standard_D4s_v5', 'eastus')).toBe(0.192)
    expect(price('Standard_F4s_v2', 'eastus')).toBe(0.169)
    expect(findInstance(catalog, 'm7g.large')).toMatchObject({
      vcpu: 2,
      memoryGiB: 8,
      arch: 'arm64',
      class: 'general',
      networkGbps: 0.937,
    })
    expect(findInstance(catalog, 'c7g.xlarge')).toMatchObject({vcpu: 4, memoryGiB: 8, class: 'compute'})
    expect(findInstance(catalog, 'n2-highmem-4')).toMatchObject({vcpu: 4, memoryGiB: 32, class: 'memory'})
    // Sized by Spare Cores' server table (the Resource SKUs API), so verified.
    expect(findInstance(catalog, 'Standard_E4s_v5')).toMatchObject({
      vcpu: 4,
      memoryGiB: 32,
      class: 'memory',
      verified: true,
    })
  })

  it("keeps each Azure type's own meter, where the newest snapshot carries another product's (issue 14)", () => {
    // eastus list prices (Azure retail prices): the newest karpenter map has D2as_v5 at $0.178 and
    // E4as_v5 at $0.410 (other meters); earlier snapshots of the same file carry $0.086 and $0.226.
    const eastus = (type: string) => findInstance(catalog, type, 'azure')?.priceUsdPerHour.eastus
    expect(eastus('Standard_D2as_v5')).toBe(0.086)
    expect(eastus('Standard_E4as_v5')).toBe(0.226)
    expect(eastus('Standard_D4as_v5')).toBe(0.172)
    expect(catalog.excluded?.some((e) => e.type === 'Standard_D2as_v5' && e.region === 'eastus')).toBe(false)
    // The price's date is its snapshot's: the older one comes first.
    const d2as = findInstance(catalog, 'Standard_D2as_v5', 'azure')
    expect(d2as?.sources[0]).toMatch(/^karpenter-azure-prices-[0-9a-f]{8}$/)
  })

  it('has the Azure series the size rules dropped, priced as the source lists them (issue 14)', () => {
    const eastus = (type: string) => findInstance(catalog, type, 'azure')?.priceUsdPerHour.eastus
    // B-series v1 (priced per GiB, not per vCPU), Dv3/Ev3, and burstable v2 (cheaper per vCPU than their series).
    expect([eastus('Standard_B2s'), eastus('Standard_B2ms'), eastus('Standard_B4ms'), eastus('Standard_B1s')]).toEqual([
      0.0416, 0.0832, 0.166, 0.0104,
    ])
    expect([eastus('Standard_D2s_v3'), eastus('Standard_D4s_v3'), eastus('Standard_E4s_v3')]).toEqual([
      0.096, 0.192, 0.252,
    ])
    expect([eastus('Standard_B2ls_v2'), eastus('Standard_B2als_v2'), eastus('Standard_B2pls_v2')]).toEqual([
      0.0416, 0.0376, 0.0336,
    ])
    expect(findInstance(catalog, 'Standard_B2ms', 'azure')).toMatchObject({vcpu: 2, memoryGiB: 8, class: 'burstable'})
    expect(findInstance(catalog, 'Standard_E4-2s_v5', 'azure')).toMatchObject({
      vcpu: 2,
      memoryGiB: 32,
      notes: 'constrained vCPUs: 2 of the 4 it is billed for',
    })
    // Spare Cores corrects the series rule where the series is irregular (Dpsv5 at 64 vCPUs: 208 GiB).
    expect(findInstance(catalog, 'Standard_D64ps_v5', 'azure')?.memoryGiB).toBe(208)
    const priced = catalog.instances.filter((i) => i.provider === 'azure' && i.priceUsdPerHour.eastus !== undefined)
    expect(priced.length).toBeGreaterThanOrEqual(1400)
  })

  it('prices the main regions and, where the source has them, commitments and spot (issue 14)', () => {
    const regions = (provider: string) =>
      new Set(catalog.instances.filter((i) => i.provider === provider).flatMap((i) => Object.keys(i.priceUsdPerHour)))
    for (const region of ['eastus', 'westus2', 'northeurope', 'westeurope', 'germanywestcentral', 'southeastasia'])
      expect(regions('azure').has(region), region).toBe(true)
    for (const region of ['us-central1', 'us-east4', 'us-west1', 'europe-west1', 'europe-west3', 'asia-southeast1'])
      expect(regions('gcp').has(region), region).toBe(true)
    // Azure, newest karpenter map (Retail Prices API), or its earlier snapshot where the newest has another meter.
    const azure = (type: string, region: string) => findInstance(catalog, type, 'azure')?.priceUsdPerHour[region]
    expect(azure('Standard_D2s_v5', 'westus2')).toBe(0.096)
    expect(azure('Standard_F4s_v2', 'westus2')).toBe(0.169)
    expect(azure('Standard_D16s_v5', 'westus2')).toBe(0.768)
    expect(azure('Standard_B2s', 'westus2')).toBe(0.0416)
    expect(azure('Standard_B2ms', 'northeurope')).toBe(0.091)
    expect(azure('Standard_D2as_v5', 'northeurope')).toBe(0.096)
    expect(azure('Standard_D4as_v5', 'northeurope')).toBe(0.192)
    expect(azure('Standard_L8s_v3', 'northeurope')).toBe(0.768)
    expect(azure('Standard_E4s_v5', 'germanywestcentral')).toBe(0.304)
    expect(azure('Standard_D8ps_v5', 'germanywestcentral')).toBe(0.368)
    expect(azure('Standard_D16s_v5', 'germanywestcentral')).toBe(0.92)
    // GCP, Cyclenerd pricing.yml: hour; month_1y and month_3y ÷ 730; hour_spot.
    const gcp = (type: string, region: string, kind: 'on-demand' | '1yr' | '3yr' | 'spot') => {
      const i = findInstance(catalog, type, 'gcp')
      return i ? priceOf(i, region, kind) : undefined
    }
    expect(gcp('e2-standard-2', 'us-east4', 'on-demand')).toBeCloseTo(0.07547082, 6)
    expect(gcp('n2-standard-4', 'europe-west3', 'on-demand')).toBeCloseTo(0.250248, 6)
    expect(gcp('c3-standard-4', 'us-west1', 'on-demand')).toBeCloseTo(0.201608, 6)
    expect(gcp('e2-standard-2', 'us-central1', '1yr')).toBeCloseTo(0.042217, 6)
    expect(gcp('n2d-standard-8', 'asia-southeast1', '1yr')).toBeCloseTo(0.262632, 6)
    expect(gcp('c4a-standard-4', 'us-east4', '1yr')).toBeCloseTo(0.11844, 6)
    expect(gcp('n2-standard-4', 'us-central1', '3yr')).toBeCloseTo(0.087412, 6)
    expect(gcp('c3-standard-4', 'europe-west1', '3yr')).toBeCloseTo(0.099896, 6)
    expect(gcp('e2-standard-2', 'us-east4', '3yr')).toBeCloseTo(0.033962, 6)
    expect(gcp('t2a-standard-4', 'us-central1', 'spot')).toBeCloseTo(0.065568, 6)
    expect(gcp('n2-standard-4', 'us-east1', 'spot')).toBeCloseTo(0.09212, 6)
    expect(gcp('e2-highmem-4', 'europe-west3', 'spot')).toBeCloseTo(0.113128, 6)
    // t2a has no committed-use price in the source: none in the catalog either.
    expect(gcp('t2a-standard-4', 'us-central1', '1yr')).toBeUndefined()
    expect(priceKindsIn(catalog, 'gcp', 'us-central1')).toEqual(['on-demand', '1yr', '3yr', 'spot'])
    expect(priceKindsIn(catalog, 'aws', 'us-east-1')).toEqual(['on-demand'])
  })
})

describe('cost arithmetic', () => {
  it('prices a month at 730 hours', () => {
    // By hand: m7g.large $0.0816/h × 730 h = $59.568.
    expect(monthlyCostUsd(0.0816)).toBeCloseTo(59.568, 10)
  })

  it('charges egress through its tiers', () => {
    const aws = egressFor(catalog, 'aws', 'us-east-1')?.tiers ?? []
    // infracost's golden figures for us-east-1: 10,240 GB = $921.60; the next 40,960 GB = $3,481.60;
    // 5,800 GB of the next 100 TB = $406; over 150 TB 3,400 GB = $170 (us-east-2, the same list).
    // The first 100 GB a month are free (AWS Free Tier, since 2021-12): 100 × $0.09 less.
    expect(egressCostUsd(aws, 100)).toBe(0)
    expect(egressCostUsd(aws, 10_240)).toBeCloseTo(921.6 - 9, 6)
    expect(egressCostUsd(aws, 51_200)).toBeCloseTo(921.6 - 9 + 3481.6, 6)
    expect(egressCostUsd(aws, 51_200 + 5800)).toBeCloseTo(921.6 - 9 + 3481.6 + 406, 6)
    expect(egressCostUsd(aws, 153_600 + 3400)).toBeCloseTo(921.6 - 9 + 3481.6 + 102_400 * 0.07 + 170, 6)
    expect(egressCostUsd(aws, 0)).toBe(0)
    // Other regions from the same golden file: eu-west-1 as us-east-1; ap-southeast-1 $1,228.80 for the first 10,240 GB.
    expect(egressFor(catalog, 'aws', 'eu-west-1')?.tiers.map((t) => t.usdPerGB)).toEqual([0, 0.09, 0.085, 0.07, 0.05])
    expect(egressCostUsd(egressFor(catalog, 'aws', 'ap-southeast-1')?.tiers ?? [], 10_240)).toBeCloseTo(1228.8 - 12, 6)
    const gcp = egressFor(catalog, 'gcp', 'us-central1')?.tiers ?? []
    // By hand: 1,024 GB × $0.12 + 9,216 GB × $0.11 + 1,000 GB × $0.08 = 122.88 + 1013.76 + 80.
    expect(egressCostUsd(gcp, 11_240)).toBeCloseTo(122.88 + 1013.76 + 80, 6)
  })

  it('says how old the prices are', () => {
    expect(catalogAgeDays({...catalog, pricesAsOf: '2026-06-18'}, '2026-11-25')).toBe(160)
  })
})

describe('candidatesFor', () => {
  it('returns the types that fit, cheapest first, within the families asked for', () => {
    const fits = candidatesFor(catalog, {
      provider: 'aws',
      region: 'us-east-1',
      vcpu: 4,
      memoryGiB: 16,
      families: ['m7g', 'c7g', 'r7g'],
    })
    // c7g.xlarge has 8 GiB: too little. m7g.xlarge ($0.1632) < r7g.xlarge ($0.2142) < c7g.2xlarge ($0.29).
    expect(fits.map((c) => c.instance.type).slice(0, 3)).toEqual(['m7g.xlarge', 'r7g.xlarge', 'c7g.2xlarge'])
    expect(fits[0]?.priceUsdPerHour).toBeCloseTo(0.1632, 6)
  })

  it('leaves burstables out unless asked, and honours an architecture restriction', () => {
    const any = candidatesFor(catalog, {provider: 'aws', region: 'us-east-1', vcpu: 2, memoryGiB: 4})
    expect(any.every((c) => c.instance.class !== 'burstable')).toBe(true)
    const withBurst = candidatesFor(catalog, {
      provider: 'aws',
      region: 'us-east-1',
      vcpu: 2,
      memoryGiB: 4,
      includeBurstable: true,
    })
    expect(withBurst[0]?.instance.class).toBe('burstable')
    const x86 = candidatesFor(catalog, {
      provider: 'gcp',
      region: 'us-central1',
      vcpu: 8,
      memoryGiB: 32,
      arch: 'only-x86_64',
    })
    expect(x86.every((c) => c.instance.arch === 'x86_64')).toBe(true)
    expect(x86.length).toBeGreaterThan(5)
  })
})

describe('user catalogs', () => {
  it('override and extend the shipped one', () => {
    const merged = mergeCatalogs(catalog, {
      pricesAsOf: '2020-01-01',
      instances: [
        {
          ...(findInstance(catalog, 'm7g.large') as NonNullable<ReturnType<typeof findInstance>>),
          priceUsdPerHour: {'us-east-1': 0.06},
        },
        {
          provider: 'aws',
          type: 'x9.custom',
          family: 'x9',
          class: 'general',
          arch: 'x86_64',
          vcpu: 2,
          memoryGiB: 8,
          currentGeneration: true,
          priceUsdPerHour: {'us-east-1': 0.01},
          sources: ['negotiated'],
          verified: true,
        },
      ],
    })
    expect(findInstance(merged, 'm7g.large')?.priceUsdPerHour['us-east-1']).toBe(0.06)
    expect(findInstance(merged, 'x9.custom')).toBeDefined()
    expect(merged.instances.length).toBe(catalog.instances.length + 1)
    expect(merged.pricesAsOf).toBe('2020-01-01')
  })
})

const none = () => new Map<string, SpareCoresServer>()

describe('source parsers', () => {
  it('reads the karpenter AWS price map and type reference', () => {
    const go =
      'var X = map[string]map[ec2types.InstanceType]float64{\n\t// us-east-1\n\t"us-east-1": {\n\t\t// m7g family\n\t\t"m7g.large": 0.081600, "m7g.xlarge": 0.163200,\n\t},\n}\n'
    expect(parseKarpenterAwsPrices(go)).toEqual({'us-east-1': {'m7g.large': 0.0816, 'm7g.xlarge': 0.1632}})
    const md =
      '# Instance Types\n### `m7g.large`\n#### Labels\n |karpenter.k8s.aws/instance-category|m|\n |karpenter.k8s.aws/instance-cpu|2|\n |karpenter.k8s.aws/instance-family|m7g|\n |karpenter.k8s.aws/instance-generation|7|\n |karpenter.k8s.aws/instance-memory|8192|\n |karpenter.k8s.aws/instance-network-bandwidth|937|\n |kubernetes.io/arch|arm64|\n'
    expect(parseKarpenterAwsTypes(md)).toEqual([
      {
        type: 'm7g.large',
        family: 'm7g',
        category: 'm',
        generation: 7,
        vcpu: 2,
        memoryGiB: 8,
        networkGbps: 0.937,
        arch: 'arm64',
        accelerated: false,
      },
    ])
  })

  it('derives Azure sizes by rule, matching the Resource SKU API records', () => {
    // Capability records from Azure/karpenter-provider-azure pkg/fake (vCPUs, MemoryGB).
    for (const [type, vcpu, memoryGiB] of [
      ['Standard_D16plds_v5', 16, 32],
      ['Standard_D2as_v6', 2, 8],
      ['Standard_D2_v5', 2, 8],
      ['Standard_D128ds_v6', 128, 512],
      ['Standard_E4d_v5', 4, 32],
      ['Standard_F16s_v2', 16, 32],
    ] as const) {
      expect(parseAzureSize(type), type).toMatchObject({vcpu, memoryGiB})
    }
    expect(parseAzureSize('Standard_D16plds_v5')?.arch).toBe('arm64')
    for (const skipped of [
      'Standard_E4-2s_v5',
      'Standard_DC8s_v3',
      'Standard_NC6s_v3',
      'Standard_E96s_v5',
      'Standard_B20ms',
    ])
      expect(parseAzureSize(skipped), skipped).toBeUndefined()
  })

  it("keeps each Azure type's own meter among the snapshots, and rejects a type none of them prices in line", () => {
    const none = new Map<string, SpareCoresServer>()
    const sizes = ['Standard_D2as_v5', 'Standard_D4as_v5', 'Standard_D8as_v5', 'Standard_D64as_v5'].map(
      (t) => sizeAzureType(t, none) as AzureSizeRecord,
    )
    const newest = {Standard_D2as_v5: 0.178, Standard_D4as_v5: 0.172, Standard_D8as_v5: 0.344, Standard_D64as_v5: 5.696}
    const older = {Standard_D2as_v5: 0.086, Standard_D4as_v5: 0.356, Standard_D8as_v5: 0.344}
    const {kept, rejected} = chooseSeriesPrices(sizes, [newest, older])
    expect(kept).toEqual({
      Standard_D2as_v5: {price: 0.086, snapshot: 1},
      Standard_D4as_v5: {price: 0.172, snapshot: 0},
      Standard_D8as_v5: {price: 0.344, snapshot: 0},
    })
    expect(rejected.map((r) => r.type)).toEqual(['Standard_D64as_v5'])
    expect(rejected[0]?.reason).toMatch(/\$5\.696\/h.*Dasv5 series price of \$0\.0430 per vCPU-hour/)
  })

  it('judges a series by its own pricing model: cheaper burstable sizes are kept, B-series v1 is priced per GiB', () => {
    const servers = new Map<string, SpareCoresServer>([
      ['Standard_B1s', {type: 'Standard_B1s', vcpu: 1, memoryGiB: 1, arch: 'x86_64'}],
      ['Standard_B2s', {type: 'Standard_B2s', vcpu: 2, memoryGiB: 4, arch: 'x86_64'}],
      ['Standard_B4s', {type: 'Standard_B4s', vcpu: 4, memoryGiB: 16, arch: 'x86_64'}],
    ])
    const b1 = ['Standard_B1s', 'Standard_B2s', 'Standard_B4s'].map((t) => sizeAzureType(t, servers) as AzureSizeRecord)
    // Per vCPU these differ 4× (B1s $0.0104, B2s $0.0208, B4s $0.0416 per vCPU); per GiB all $0.0104.
    expect(
      chooseSeriesPrices(b1, [{Standard_B1s: 0.0104, Standard_B2s: 0.0416, Standard_B4s: 0.1664}]).rejected,
    ).toEqual([])
    const b2 = ['Standard_B2ls_v2', 'Standard_B4ls_v2', 'Standard_B8ls_v2'].map(
      (t) => sizeAzureType(t, none()) as AzureSizeRecord,
    )
    // B2ls_v2 is 43 % below its series per vCPU: cheaper is never another product's meter.
    expect(
      chooseSeriesPrices(b2, [{Standard_B2ls_v2: 0.0416, Standard_B4ls_v2: 0.1456, Standard_B8ls_v2: 0.2912}]).kept
        .Standard_B2ls_v2?.price,
    ).toBe(0.0416)
  })

  it('sizes Azure types from Spare Cores, constrained-vCPU sizes from their parent, the rest by rule', () => {
    const servers = new Map<string, SpareCoresServer>([
      ['Standard_E8s_v5', {type: 'Standard_E8s_v5', vcpu: 8, memoryGiB: 64, arch: 'x86_64'}],
    ])
    expect(sizeAzureType('Standard_E8s_v5', servers)).toMatchObject({
      vcpu: 8,
      memoryGiB: 64,
      billedVcpu: 8,
      sizedBy: 'spare-cores',
      family: 'Esv5',
    })
    expect(sizeAzureType('Standard_E8-2s_v5', servers)).toMatchObject({
      vcpu: 2,
      memoryGiB: 64,
      billedVcpu: 8,
      family: 'Esv5',
    })
    expect(sizeAzureType('Standard_D4s_v6', servers)).toMatchObject({vcpu: 4, memoryGiB: 16, sizedBy: 'rule'})
    expect(sizeAzureType('Standard_DC4as_cc_v5', servers)).toMatchObject({vcpu: 4, memoryGiB: 16, class: 'general'})
    expect(sizeAzureType('Standard_NC24ads_A100_v4', servers)).toBeUndefined()
  })

  it('reads GCP egress tiers in TiB steps', () => {
    const cost = {'0-1': {r: {month: 0.12}}, '1-10': {r: {month: 0.11}}, '10n': {r: {month: 0.08}}}
    expect(parseGcpEgressTiers(cost, 'r')).toEqual([
      {upToGB: 1024, usdPerGB: 0.12},
      {upToGB: 10_240, usdPerGB: 0.11},
      {upToGB: null, usdPerGB: 0.08},
    ])
  })
})
