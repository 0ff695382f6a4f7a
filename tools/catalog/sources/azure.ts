/**
 * Azure from Azure/karpenter-provider-azure: hourly prices from the generated Go price map
 * (`pkg/providers/pricing/zz_generated.pricing.go`, Retail Prices API, Linux, pay-as-you-go).
 * That map is keyed by SKU name without de-duplicating meters, so some values are wrong (e.g.
 * D2as_v5 $0.178/h next to D4as_v5 $0.172/h): prices are validated per series below.
 *
 * Sizes: the map has no vCPU or memory. vCPUs come from the documented size naming convention
 * ("Azure virtual machine sizes naming conventions": family, vCPUs, features, version); memory
 * from the per-series GiB-per-vCPU ratio of the series documentation. Both are rules, so these
 * records are marked `verified: false`; the rules are checked against the SKU capability records
 * (vCPUs, MemoryGB from the Resource SKUs API) that the same repository keeps as test fixtures.
 */
import type {SizedType} from '../../../src/catalog/catalog-schema.js'
import type {InstanceClass} from '../../../src/catalog/providers.js'

/** `{region: {sku: usdPerHour}}` from the Go source. */
export function parseKarpenterAzurePrices(goSource: string): Record<string, Record<string, number>> {
  const prices: Record<string, Record<string, number>> = {}
  let region: string | undefined
  for (const line of goSource.split('\n')) {
    const regionMatch = /initialOnDemandPrices\["([a-z0-9]+)"\] = map/.exec(line)
    if (regionMatch) {
      region = regionMatch[1] as string
      prices[region] = {}
      continue
    }
    const entry = /^\s+"([A-Za-z0-9_-]+)":\s+([0-9.]+),/.exec(line)
    if (region && entry && Number(entry[2]) > 0) (prices[region] as Record<string, number>)[entry[1] as string] = Number(entry[2])
  }
  return prices
}

export function azurePricesGeneratedAt(goSource: string): string | undefined {
  return /generated at (\S+)/.exec(goSource)?.[1]
}

/** An Azure size; `family` is the series, e.g. `Dasv5`: family + features + version. */
export type AzureSize = SizedType

const NAME = /^Standard_([A-Z]+)(\d+)(-\d+)?([a-z]*)(?:_v(\d+))?$/

/** GiB of memory per vCPU by series rule; undefined for series loadplan does not model. */
function memoryPerVcpu(family: string, features: string, version: number, vcpu: number): number | undefined {
  const low = features.includes('l')
  switch (family) {
    case 'D':
      return version >= 4 ? (low ? 2 : 4) : undefined
    case 'E':
      // Above 64 vCPUs the E series stops being 8 GiB per vCPU (E96: 672 GiB): not modelled.
      return version >= 4 && vcpu <= 64 && !low ? 8 : undefined
    case 'F':
      if (version === 2) return features === 's' ? 2 : undefined
      if (version >= 6) return features.includes('m') ? 8 : low ? 2 : 4
      return undefined
    case 'B':
      if (version !== 2) return undefined
      return features.includes('t') ? 0.5 : low ? 2 : 4
    case 'L':
      return version >= 3 ? 8 : undefined
    default:
      return undefined
  }
}

const CLASS_BY_FAMILY: Record<string, InstanceClass> = {D: 'general', E: 'memory', F: 'compute', B: 'burstable', L: 'storage'}

/**
 * Reads a size name. Constrained-vCPU sizes (E4-2s_v5), isolated (i) and confidential families
 * are left out: their sizes do not follow the rules.
 */
export function parseAzureSize(type: string): AzureSize | undefined {
  const m = NAME.exec(type)
  if (!m || m[3]) return undefined
  const family = m[1] as string
  const vcpu = Number(m[2])
  const features = m[4] ?? ''
  const version = Number(m[5] ?? 1)
  if (features.includes('i') || features.includes('c')) return undefined
  const ratio = memoryPerVcpu(family, features, version, vcpu)
  const cls = CLASS_BY_FAMILY[family]
  if (ratio === undefined || cls === undefined) return undefined
  const currentGeneration = family === 'F' && version === 2 ? true : family === 'B' ? version >= 2 : version >= 5
  return {
    type,
    family: `${family}${features}v${version}`,
    class: cls,
    arch: features.includes('p') ? 'arm64' : 'x86_64',
    vcpu,
    memoryGiB: vcpu * ratio,
    currentGeneration,
  }
}

/** Capability records (`vCPUs`, `MemoryGB`) from the karpenter-provider-azure SKU fixtures. */
export function parseAzureSkuFixtures(goSource: string): Array<{type: string; vcpu: number; memoryGiB: number}> {
  const records: Array<{type: string; vcpu: number; memoryGiB: number}> = []
  for (const block of goSource.split(/\n\s*\{\n\s*Name: +lo\.ToPtr\(/).slice(1)) {
    const type = /^"(Standard_[^"]+)"/.exec(block)?.[1]
    const vcpu = /"vCPUs"\), Value: lo\.ToPtr\("(\d+)"\)/.exec(block)?.[1]
    const memory = /"MemoryGB"\), Value: lo\.ToPtr\("([0-9.]+)"\)/.exec(block)?.[1]
    if (type && vcpu && memory) records.push({type, vcpu: Number(vcpu), memoryGiB: Number(memory)})
  }
  return records
}

/**
 * Drops prices that disagree with their series. Within a series the Linux price per vCPU is
 * constant (sizes double in vCPUs and price), while the duplicated meters in the source carry
 * higher prices (other products' meters under the same SKU name, about 2× here). The reference
 * is therefore the lowest price per vCPU that at least two sizes of the series agree on (within
 * 3 %); a price more than `tolerance` above it is rejected. A series with fewer than two sizes
 * priced is kept as it is.
 */
export function validateSeriesPrices(
  sizes: readonly AzureSize[],
  prices: Readonly<Record<string, number>>,
  tolerance = 0.15,
): {kept: Record<string, number>; rejected: Array<{type: string; reason: string}>} {
  const bySeries = new Map<string, number[]>()
  for (const size of sizes) {
    const price = prices[size.type]
    if (price !== undefined) bySeries.set(size.family, [...(bySeries.get(size.family) ?? []), price / size.vcpu])
  }
  const reference = new Map<string, number>()
  for (const [series, perVcpu] of bySeries) {
    const sorted = [...perVcpu].sort((a, b) => a - b)
    const agreed = sorted.find((value, i) => i + 1 < sorted.length && (sorted[i + 1] as number) <= value * 1.03)
    reference.set(series, agreed ?? (sorted[0] as number))
  }
  const kept: Record<string, number> = {}
  const rejected: Array<{type: string; reason: string}> = []
  for (const size of sizes) {
    const price = prices[size.type]
    if (price === undefined) continue
    const ref = reference.get(size.family) as number
    const deviation = price / size.vcpu / ref - 1
    if ((bySeries.get(size.family)?.length ?? 0) >= 2 && Math.abs(deviation) > tolerance) {
      rejected.push({type: size.type, reason: `$${price}/h is ${(deviation * 100).toFixed(0)}% off the ${size.family} series price of $${ref.toFixed(4)} per vCPU-hour (suspect duplicated meter)`})
    } else kept[size.type] = price
  }
  return {kept, rejected}
}
