/**
 * GCP from Cyclenerd/google-cloud-pricing-cost-calculator `pricing.yml` (built from the Cloud
 * Billing Catalog API). List prices are `hour` × 730: the file's `month` applies sustained-use
 * discounts, which are an option, not the default.
 */
import type {SizedType} from '../../../src/core/catalog/catalog-schema.js'
import type {InstanceClass} from '../../../src/core/catalog/providers.js'

interface GcpInstanceEntry {
  cpu?: number
  ram?: number
  cost?: Record<string, {hour?: number; hour_spot?: number; month_1y?: number; month_3y?: number}>
  [accelerator: string]: unknown
}

export type GcpTypeSpec = SizedType & {
  prices: Record<string, number>
  otherPrices: {'1yr'?: Record<string, number>; '3yr'?: Record<string, number>; spot?: Record<string, number>}
}

const HOURS_PER_MONTH = 730

const ARM_FAMILIES = new Set(['t2a', 'c4a', 'n4a'])
const COMPUTE_FAMILIES = new Set(['c2', 'c2d', 'h3', 'h4d'])
const MEMORY_FAMILIES = new Set(['m1', 'm2', 'm3', 'm4', 'x4'])
const STORAGE_FAMILIES = new Set(['z3'])
const PREVIOUS_FAMILIES = new Set(['n1', 'f1', 'g1', 'm1'])
const ACCELERATOR_KEYS = /^(a100|h100|h200|b200|gb200|l4|t4|v100|p100|p4|k80|tpu)/i

function gcpClass(type: string, family: string, entry: GcpInstanceEntry): InstanceClass {
  if (Object.keys(entry).some((key) => ACCELERATOR_KEYS.test(key)) || /^(a\d|g\d)$/.test(family)) return 'accelerated'
  if (family === 'e2' && /-(micro|small|medium)$/.test(type)) return 'burstable'
  if (family === 'f1' || family === 'g1') return 'burstable'
  if (COMPUTE_FAMILIES.has(family)) return 'compute'
  if (MEMORY_FAMILIES.has(family)) return 'memory'
  if (STORAGE_FAMILIES.has(family)) return 'storage'
  if (/-highcpu-/.test(type)) return 'compute'
  if (/-(highmem|megamem|ultramem|hypermem)-/.test(type)) return 'memory'
  return 'general'
}

export function parseGcpInstances(
  instances: Record<string, GcpInstanceEntry>,
  regions: readonly string[],
): GcpTypeSpec[] {
  const specs: GcpTypeSpec[] = []
  for (const [type, entry] of Object.entries(instances)) {
    const family = type.split('-')[0] ?? type
    const prices: Record<string, number> = {}
    const otherPrices: GcpTypeSpec['otherPrices'] = {}
    const round = (n: number) => Math.round(n * 1e6) / 1e6
    const add = (kind: keyof GcpTypeSpec['otherPrices'], region: string, hour: number | undefined) => {
      if (typeof hour === 'number' && hour > 0) otherPrices[kind] = {...otherPrices[kind], [region]: round(hour)}
    }
    for (const region of regions) {
      const cost = entry.cost?.[region]
      const hour = cost?.hour
      if (typeof hour === 'number' && hour > 0) prices[region] = round(hour)
      else continue
      // Committed use (1 and 3 years, no upfront) is billed monthly: the file's month over 730 hours.
      add('1yr', region, cost?.month_1y === undefined ? undefined : cost.month_1y / HOURS_PER_MONTH)
      add('3yr', region, cost?.month_3y === undefined ? undefined : cost.month_3y / HOURS_PER_MONTH)
      add('spot', region, cost?.hour_spot)
    }
    if (!(entry.cpu && entry.cpu > 0) || !(entry.ram && entry.ram > 0) || Object.keys(prices).length === 0) continue
    specs.push({
      type,
      family,
      class: gcpClass(type, family, entry),
      arch: ARM_FAMILIES.has(family) ? 'arm64' : 'x86_64',
      vcpu: entry.cpu,
      memoryGiB: entry.ram,
      currentGeneration: !PREVIOUS_FAMILIES.has(family),
      prices,
      otherPrices,
    })
  }
  return specs
}

/** Internet egress tiers (premium tier, worldwide destinations) from `compute.network.traffic.egress.internet.cost`. */
export function parseGcpEgressTiers(
  cost: Record<string, Record<string, {month?: number}>>,
  region: string,
): Array<{upToGB: number | null; usdPerGB: number}> {
  const tiers: Array<{upToGB: number | null; usdPerGB: number}> = []
  for (const [range, byRegion] of Object.entries(cost)) {
    const price = byRegion[region]?.month
    if (price === undefined) continue
    // Ranges are in TiB-sized steps written as TB: "0-1", "1-10", "10n" (10 and up).
    const upper = /^\d+-(\d+)$/.exec(range)?.[1]
    tiers.push({upToGB: upper === undefined ? null : Number(upper) * 1024, usdPerGB: price})
  }
  return tiers.sort((a, b) => (a.upToGB ?? Infinity) - (b.upToGB ?? Infinity))
}
