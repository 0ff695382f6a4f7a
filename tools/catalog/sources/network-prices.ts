/**
 * The rest of the bill (plan.bill): load balancers, NAT gateways, cross-zone transfer and
 * snapshot storage, from infracost's golden test outputs (each priced in the region its test
 * file names) and, for GCP's regional NAT and snapshot prices, Cyclenerd's pricing.yml.
 */
import type {CatalogNetworkPrice, CatalogSource} from '../../../src/core/catalog/catalog-schema.js'

/**
 * A golden file's line (quantity, unit, monthly cost in cents): the expected unit price when it
 * reproduces the line's cost to the cent, else undefined (the golden changed: update the build).
 */
export function goldenLinePrice(golden: string, label: string, expectedUsdPerUnit: number): number | undefined {
  const line = golden
    .split('\n')
    .find((l) => l.includes(label) && /\$[\d,]+\.\d+/.test(l) && !l.includes('depends on usage'))
  const rest = line?.slice(line.indexOf(label) + label.length)
  const m = rest ? /^\s+([\d,]+(?:\.\d+)?)\s+\S+(?:\s\S+)?\s+\$([\d,]+\.\d+)/.exec(rest) : null
  if (!m) return undefined
  const quantity = Number((m[1] as string).replace(/,/g, ''))
  const costUsd = Number((m[2] as string).replace(/,/g, ''))
  return Math.abs(quantity * expectedUsdPerUnit - costUsd) < 0.005 + 1e-9 ? expectedUsdPerUnit : undefined
}

/** A golden file's "Cost depends on usage: $0.008 per LCU-hours" price on a labelled line. */
export function goldenUsagePrice(golden: string, label: string): number | undefined {
  const line = golden.split('\n').find((l) => l.includes(label) && /depends on usage/.test(l))
  const m = line ? /\$(\d+(?:\.\d+)?) per/.exec(line) : null
  return m ? Number(m[1]) : undefined
}

function required(value: number | undefined, what: string): number {
  if (value === undefined) throw new Error(`network prices: ${what} not found; update the build`)
  return value
}

export interface NetworkGoldens {
  awsLb: string
  awsNat: string
  awsSnapshot: string
  awsTransfer: string
  gcpForwardingRule: string
  gcpRouterNat: string
  azureLb: string
  azureLbRule: string
  azureNat: string
  azureSnapshot: string
}

/** The parts of pricing.yml's `compute` section read here. */
interface GcpNetworkPricing {
  network: {nat: {data: {cost: Record<string, {month?: number}>}; gateway: {cost: Record<string, {hour?: number}>}}}
  storage: Record<string, {cost: Record<string, {month?: number}>} | undefined>
}

/** The source id of an infracost golden file read for these prices (AWS and Azure share test names). */
export function networkGoldenId(cloud: 'aws' | 'google' | 'azure', test: string): string {
  return `infracost-${cloud}-${test}`
}

const GOLDEN_IDS: Record<keyof NetworkGoldens, string> = {
  awsLb: networkGoldenId('aws', 'lb_test'),
  awsNat: networkGoldenId('aws', 'nat_gateway_test'),
  awsSnapshot: networkGoldenId('aws', 'ebs_snapshot_test'),
  // Registered with the egress prices, under its older id.
  awsTransfer: 'infracost-data_transfer_test',
  gcpForwardingRule: networkGoldenId('google', 'compute_forwarding_rule_test'),
  gcpRouterNat: networkGoldenId('google', 'compute_router_nat_test'),
  azureLb: networkGoldenId('azure', 'lb_test'),
  azureLbRule: networkGoldenId('azure', 'lb_rule_v2_test'),
  azureNat: networkGoldenId('azure', 'nat_gateway_test'),
  azureSnapshot: networkGoldenId('azure', 'snapshot_test'),
}

/** Regions grouped by their price, each group one record. */
function byPrice(
  regions: readonly string[],
  price: (region: string) => number | undefined,
): Array<{regions: string[]; price: number}> {
  const groups = new Map<number, string[]>()
  for (const region of regions) {
    const p = price(region)
    if (p !== undefined && p > 0) groups.set(p, [...(groups.get(p) ?? []), region])
  }
  return [...groups].map(([p, rs]) => ({regions: rs, price: p}))
}

/** The web pages that state what the goldens do not: cross-zone billing in each direction. */
export const NETWORK_PAGE_SOURCES: CatalogSource[] = [
  {
    id: 'duckbill-cross-az',
    description:
      'Corey Quinn, "AWS Cross-AZ Data Transfer Costs More Than AWS Says" (Duckbill Group, 2019-10-21): 10 GB sent between us-west-2a and us-west-2b billed $0.01/GB leaving one zone and $0.01/GB entering the other, measured on a bill',
    url: 'https://www.lastweekinaws.com/blog/aws-cross-az-data-transfer-costs-more-than-aws-says/',
    generatedAt: '2019-10-21T00:00:00.000Z',
  },
  {
    id: 'gcp-vpc-pricing',
    description:
      'Google Cloud, "Virtual Private Cloud pricing": traffic between zones of a region is billed as egress at its source, each direction on its own. The $0.01/GB figure is the one secondary guides quote (e.g. cloudwebschool.com, GCP network egress costs); it was not read on Google\'s page here, which is why the date is the day it was recorded',
    url: 'https://cloud.google.com/vpc/pricing',
    generatedAt: '2026-12-06T00:00:00.000Z',
  },
]

/** The network price records; `gcp` is pricing.yml's `compute` section, `gcpRegions` the catalog's GCP regions. */
export function networkPrices(
  g: NetworkGoldens,
  gcp: GcpNetworkPricing,
  gcpRegions: readonly string[],
): CatalogNetworkPrice[] {
  const goldenSource = (key: keyof NetworkGoldens) => GOLDEN_IDS[key]
  return [
    {
      provider: 'aws',
      kind: 'load-balancer',
      regions: ['us-east-1'],
      usdPerHour: required(goldenLinePrice(g.awsLb, 'Application load balancer', 0.0225), 'ALB hours'),
      // The golden states LCUs by the month ($5.84 = $0.008 × 730 hours).
      usdPerCapacityUnitHour:
        Math.round((required(goldenLinePrice(g.awsLb, 'Load balancer capacity units', 5.84), 'ALB LCU') / 730) * 1e9) /
        1e9,
      source: goldenSource('awsLb'),
      notes:
        'Application Load Balancer; an LCU-hour covers the largest of 25 new connections/s, 3,000 active connections, 1 GB processed (to instances) and 1,000 rule evaluations/s in the hour',
    },
    {
      provider: 'aws',
      kind: 'nat-gateway',
      regions: ['us-east-1'],
      usdPerHour: required(goldenLinePrice(g.awsNat, 'NAT gateway', 0.045), 'NAT hours'),
      usdPerGB: required(goldenLinePrice(g.awsNat, 'Data processed', 0.045), 'NAT data'),
      source: goldenSource('awsNat'),
    },
    {
      provider: 'aws',
      kind: 'cross-zone',
      regions: ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'],
      // Billed leaving one zone and again entering the other (duckbill-cross-az): twice the golden's rate per GB crossing.
      usdPerGB: 2 * required(goldenLinePrice(g.awsTransfer, 'Intra-region data transfer', 0.01), 'intra-region'),
      source: goldenSource('awsTransfer'),
      notes:
        '$0.01/GB intra-region (the golden file, every region it prices) billed in both directions (duckbill-cross-az): $0.02 per GB that crosses',
    },
    {
      provider: 'aws',
      kind: 'snapshot',
      regions: ['us-east-1'],
      usdPerGBMonth: required(goldenLinePrice(g.awsSnapshot, 'EBS snapshot storage', 0.05), 'EBS snapshot'),
      source: goldenSource('awsSnapshot'),
      notes: 'EBS snapshots, standard tier: incremental, billed on the blocks stored',
    },
    {
      provider: 'gcp',
      kind: 'load-balancer',
      regions: ['us-central1'],
      usdPerHour: required(goldenLinePrice(g.gcpForwardingRule, 'Forwarding rules', 0.01), 'forwarding rule'),
      usdPerGB: required(goldenUsagePrice(g.gcpForwardingRule, 'Ingress data'), 'LB ingress data'),
      source: goldenSource('gcpForwardingRule'),
      notes: 'one forwarding rule and the data it takes in (the requests), as infracost prices them',
    },
    ...byPrice(gcpRegions, (r) => gcp.network.nat.gateway.cost[r]?.hour).flatMap(({regions, price}) =>
      byPrice(regions, (r) => gcp.network.nat.data.cost[r]?.month).map((data): CatalogNetworkPrice => ({
        provider: 'gcp',
        kind: 'nat-gateway',
        regions: data.regions,
        // Cyclenerd's gateway hour is the cap: 32 instances at the per-instance price (infracost's compute_router_nat golden).
        usdPerHour: price,
        usdPerInstanceHour: required(
          goldenLinePrice(g.gcpRouterNat, 'Assigned VMs (first 32)', 0.0014),
          'Cloud NAT VM-hour',
        ),
        maxInstances: 32,
        usdPerGB: data.price,
        source: 'cyclenerd-gcp',
        notes: `Cloud NAT: each instance behind it by the hour up to 32 (infracost ${goldenSource('gcpRouterNat')}), the hourly figure the cap, and data processed`,
      })),
    ),
    {
      provider: 'gcp',
      kind: 'cross-zone',
      regions: [...gcpRegions],
      usdPerGB: 0.01,
      source: 'gcp-vpc-pricing',
      notes: 'billed once, as egress from the sending zone: $0.01 per GB that crosses',
    },
    ...byPrice(gcpRegions, (r) => gcp.storage.snapshot?.cost[r]?.month).map(
      ({regions, price}): CatalogNetworkPrice => ({
        provider: 'gcp',
        kind: 'snapshot',
        regions,
        usdPerGBMonth: price,
        source: 'cyclenerd-gcp',
        notes: 'standard snapshots, regional storage location',
      }),
    ),
    {
      provider: 'azure',
      kind: 'load-balancer',
      regions: ['eastus'],
      usdPerHour: required(goldenLinePrice(g.azureLbRule, 'Rule usage', 0.01), 'Azure LB rule'),
      usdPerGB: required(goldenUsagePrice(g.azureLb, 'Data processed'), 'Azure LB data'),
      source: goldenSource('azureLbRule'),
      notes: `Standard Load Balancer: one rule by the hour, and data processed (${goldenSource('azureLb')})`,
    },
    {
      provider: 'azure',
      kind: 'nat-gateway',
      regions: ['westeurope'],
      usdPerHour: required(goldenLinePrice(g.azureNat, 'NAT gateway', 0.045), 'Azure NAT hours'),
      usdPerGB: required(goldenLinePrice(g.azureNat, 'Data processed', 0.045), 'Azure NAT data'),
      source: goldenSource('azureNat'),
      notes: 'the golden file prices West Europe only',
    },
    {
      provider: 'azure',
      kind: 'snapshot',
      regions: ['westeurope'],
      usdPerGBMonth: required(goldenLinePrice(g.azureSnapshot, '─ Storage  ', 0.05), 'Azure snapshot'),
      source: goldenSource('azureSnapshot'),
      notes: 'managed disk snapshots (standard HDD, LRS); the golden file prices West Europe only',
    },
  ]
}
