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
import type {SizedType} from '../../../src/core/catalog/catalog-schema.js'
import type {InstanceClass} from '../../../src/core/catalog/providers.js'

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
    if (region && entry && Number(entry[2]) > 0)
      (prices[region] as Record<string, number>)[entry[1] as string] = Number(entry[2])
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

const CLASS_BY_FAMILY: Record<string, InstanceClass> = {
  D: 'general',
  E: 'memory',
  F: 'compute',
  B: 'burstable',
  L: 'storage',
}

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

/** A size from the Spare Cores server table (vCPUs and memory the Resource SKUs API reports). */
export interface SpareCoresServer {
  type: string
  vcpu: number
  memoryGiB: number
  arch: 'x86_64' | 'arm64'
}

/** One record of SpareCores/sc-data-dumps `data/server/azure/*.json`. */
export function parseSpareCoresServer(json: string): SpareCoresServer | undefined {
  const r = JSON.parse(json) as {
    api_reference?: string
    vcpus?: number
    memory_amount?: number
    cpu_architecture?: string
  }
  if (!r.api_reference || !(Number(r.vcpus) > 0) || !(Number(r.memory_amount) > 0)) return undefined
  return {
    type: r.api_reference,
    vcpu: Number(r.vcpus),
    memoryGiB: Math.round((Number(r.memory_amount) / 1024) * 1000) / 1000,
    arch: /arm/i.test(r.cpu_architecture ?? '') ? 'arm64' : 'x86_64',
  }
}

/** Any size name: letters, vCPUs, an optional constrained count, features, an accelerator, a version. */
const ANY_NAME = /^Standard_([A-Z]+)(\d+)(?:-(\d+))?([a-z]*)(?:_(?!v\d+$)([A-Za-z][A-Za-z0-9]*))?(?:_v(\d+))?$/

const CLASS_BY_LETTERS: Array<[RegExp, InstanceClass]> = [
  [/^N/, 'accelerated'],
  [/^B$/, 'burstable'],
  [/^L$/, 'storage'],
  [/^(E|EC|M|G)$/, 'memory'],
  [/^(F|FX|H|HB|HC|HX)$/, 'compute'],
]

/**
 * GiB per vCPU of the confidential series the general rules leave out (DCasv5/DCadsv5 and
 * DCesv6/DCedsv6: 4, as Dasv5/Dsv6; ECasv5/ECadsv5 and ECesv6/ECedsv6: 8, as Easv5/Esv6, up to
 * 64 vCPUs like them).
 */
function confidentialMemoryPerVcpu(
  letters: string,
  features: string,
  version: number,
  vcpu: number,
): number | undefined {
  if (version < 5 || features.includes('l') || !features.endsWith('s')) return undefined
  if (letters === 'DC') return 4
  if (letters === 'EC' && vcpu <= 64) return 8
  return undefined
}

/** A priced Azure size: the rule's or Spare Cores' figures, and the vCPUs it is billed for. */
export interface AzureSizeRecord extends AzureSize {
  /** A constrained-vCPU size (E8-2s_v5) runs fewer vCPUs but is billed as its parent (E8s_v5). */
  billedVcpu: number
  sizedBy: 'spare-cores' | 'rule'
}

/**
 * Sizes an Azure type: from Spare Cores' record of it; a constrained-vCPU size from its parent's
 * memory with its own vCPUs; else by the naming and series rules (parseAzureSize).
 */
export function sizeAzureType(
  type: string,
  spareCores: ReadonlyMap<string, SpareCoresServer>,
): AzureSizeRecord | undefined {
  const m = ANY_NAME.exec(type)
  if (!m) return undefined
  const [, letters = '', vcpuText = '', constrained, features = '', accelerator, versionText] = m
  const version = Number(versionText ?? 1)
  // The number in the name counts vCPUs (A-series v1 numbers sizes instead: A0 … A11).
  const numbered = Number(vcpuText)
  const parent = constrained ? type.replace(`${vcpuText}-${constrained}`, vcpuText) : type
  const rule = parseAzureSize(parent)
  const measured = spareCores.get(type) ?? spareCores.get(parent)
  const confidential = confidentialMemoryPerVcpu(letters, features, version, numbered)
  const vcpu = constrained
    ? Number(constrained)
    : (measured?.vcpu ?? rule?.vcpu ?? (confidential ? numbered : undefined))
  const memoryGiB = measured?.memoryGiB ?? rule?.memoryGiB ?? (confidential ? confidential * numbered : undefined)
  if (!vcpu || !memoryGiB) return undefined
  const cls = rule?.class ?? CLASS_BY_LETTERS.find(([re]) => re.test(letters))?.[1] ?? 'general'
  return {
    type,
    family: rule?.family ?? `${letters}${features}${accelerator ? `_${accelerator}` : ''}v${version}`,
    class: cls,
    arch: measured?.arch ?? (features.includes('p') ? 'arm64' : 'x86_64'),
    vcpu,
    memoryGiB,
    currentGeneration: rule?.currentGeneration ?? version >= 4,
    // A constrained size is billed for its parent's vCPUs.
    billedVcpu: constrained ? numbered : vcpu,
    sizedBy: measured ? 'spare-cores' : 'rule',
  }
}

/** The reference of a series: the lowest value at least two sizes agree on (within 3 %), else the lowest. */
function agreedLowest(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return (
    sorted.find((value, i) => i + 1 < sorted.length && (sorted[i + 1] as number) <= value * 1.03) ??
    (sorted[0] as number)
  )
}

/**
 * One price per type in a region, from the values several snapshots of the source carry for it
 * (newest first). The source keys its map by SKU name without de-duplicating meters, so a type's
 * value flips between its own meter and another product's (D2as_v5 eastus: $0.178 in one
 * snapshot, $0.086 in another); the other meters are always dearer. A series is priced per vCPU
 * (most) or per GiB of memory (B-series v1, DSv2's memory sizes); its references are the lowest
 * figures per vCPU and per GiB that two sizes agree on in the newest snapshot. Each type keeps its
 * newest value at most `tolerance` above one of them (other
 * meters are 1.8–2.1× its own; series such as Av2 climb 16 % from smallest to largest); a cheaper
 * one is kept (burstable v2 sizes are cheaper per vCPU than their series). A type with no such
 * value is rejected; a series with one size priced keeps its newest value.
 */
export function chooseSeriesPrices(
  sizes: readonly AzureSizeRecord[],
  snapshots: ReadonlyArray<Readonly<Record<string, number>>>,
  tolerance = 0.35,
): {kept: Record<string, {price: number; snapshot: number}>; rejected: Array<{type: string; reason: string}>} {
  const newest = snapshots[0] ?? {}
  const bySeries = new Map<string, AzureSizeRecord[]>()
  for (const size of sizes)
    if (newest[size.type] !== undefined) bySeries.set(size.family, [...(bySeries.get(size.family) ?? []), size])
  const kept: Record<string, {price: number; snapshot: number}> = {}
  const rejected: Array<{type: string; reason: string}> = []
  for (const [series, members] of bySeries) {
    const models = [
      {unit: 'vCPU', of: (s: AzureSizeRecord) => s.billedVcpu},
      {unit: 'GiB', of: (s: AzureSizeRecord) => s.memoryGiB},
    ].map((model) => ({
      ...model,
      reference: agreedLowest(members.map((s) => (newest[s.type] as number) / model.of(s))),
    }))
    // In line with the series: not dearer than its reference per vCPU or per GiB (a series such
    // as DSv2 mixes general sizes with memory-optimised ones).
    const inLine = (size: AzureSizeRecord, price: number) =>
      models.some((model) => price / model.of(size) <= model.reference * (1 + tolerance))
    for (const size of members) {
      const candidates = snapshots
        .map((snapshot, index) => ({price: snapshot[size.type], snapshot: index}))
        .filter((c): c is {price: number; snapshot: number} => c.price !== undefined)
      // GPU sizes are priced by their accelerators, which neither measure follows: the cheapest meter.
      const fits =
        members.length < 2
          ? candidates[0]
          : size.class === 'accelerated'
            ? [...candidates].sort((a, b) => a.price - b.price)[0]
            : candidates.find((c) => inLine(size, c.price))
      if (fits) kept[size.type] = fits
      else {
        const values = [...new Set(candidates.map((c) => c.price))].map((p) => `$${p}`).join(', ')
        rejected.push({
          type: size.type,
          reason: `every value the source carried (${values}/h) is more than ${(tolerance * 100).toFixed(0)}% above the ${series} series price of $${models.map((m) => `${m.reference.toFixed(4)} per ${m.unit}-hour`).join(' and $')} (other meters under its name)`,
        })
      }
    }
  }
  return {kept, rejected}
}
