/**
 * Questions asked of a catalog, as pure functions: which types fit a requirement (cheapest
 * first), what a month costs, what egress costs through its tiers, and how old the prices are.
 */
import {
  type Catalog,
  type CatalogEgress,
  type CatalogInstance,
  type CatalogNetworkPrice,
  type CatalogStorage,
  type NetworkPriceKind,
} from './catalog-schema.js'
import {HOURS_PER_MONTH, PRICE_KINDS, type InstanceClass, type PriceKind, type Provider} from './providers.js'

export interface InstanceFilter {
  provider?: Provider
  /** Family names, e.g. ['m7g', 'c7g']. */
  families?: readonly string[]
  classes?: readonly InstanceClass[]
  arch?: 'x86_64' | 'arm64'
  minVcpu?: number
  minMemoryGiB?: number
  /** Only types priced in this region. */
  region?: string
  /** Include previous generations (default: current only). */
  allGenerations?: boolean
}

export function filterInstances(catalog: Catalog, filter: InstanceFilter): CatalogInstance[] {
  return catalog.instances.filter(
    (i) =>
      (filter.provider === undefined || i.provider === filter.provider) &&
      (filter.families === undefined || filter.families.length === 0 || filter.families.includes(i.family)) &&
      (filter.classes === undefined || filter.classes.length === 0 || filter.classes.includes(i.class)) &&
      (filter.arch === undefined || i.arch === filter.arch) &&
      (filter.minVcpu === undefined || i.vcpu >= filter.minVcpu) &&
      (filter.minMemoryGiB === undefined || i.memoryGiB >= filter.minMemoryGiB) &&
      (filter.region === undefined || i.priceUsdPerHour[filter.region] !== undefined) &&
      (filter.allGenerations === true || i.currentGeneration),
  )
}

/** Finds a type by name (case-insensitive; an Azure name without its `Standard_`), optionally within one provider. */
export function findInstance(catalog: Catalog, type: string, provider?: Provider): CatalogInstance | undefined {
  const wanted = type.toLowerCase()
  const named = (name: string) =>
    catalog.instances.find((i) => i.type.toLowerCase() === name && (provider === undefined || i.provider === provider))
  // Azure's portal and CLI often drop the tier: D2s_v5 is Standard_D2s_v5.
  return named(wanted) ?? (wanted.startsWith('standard_') ? undefined : named(`standard_${wanted}`))
}

/** Monthly cost of an hourly price: × 730 hours. Every monthly figure of loadplan is this one product. */
export function monthlyCostUsd(priceUsdPerHour: number): number {
  return priceUsdPerHour * HOURS_PER_MONTH
}

export interface Requirement {
  provider: Provider
  region: string
  vcpu: number
  memoryGiB: number
  networkGbps?: number
  families?: readonly string[]
  classes?: readonly InstanceClass[]
  /** Preferred architecture: wins ties on price; 'only-…' excludes the other. */
  arch?: 'x86_64' | 'arm64' | 'only-x86_64' | 'only-arm64'
  /** Burstable types are left out unless asked for: their sustained CPU is a fraction of a vCPU. */
  includeBurstable?: boolean
}

export interface Candidate {
  instance: CatalogInstance
  priceUsdPerHour: number
}

/**
 * Types that meet every part of the requirement in the region, cheapest first (ties: preferred
 * architecture, then fewer vCPUs). Network is only checked where the catalog knows it.
 */
export function candidatesFor(catalog: Catalog, requirement: Requirement): Candidate[] {
  const only = requirement.arch?.startsWith('only-') ? (requirement.arch.slice(5) as 'x86_64' | 'arm64') : undefined
  const preferred = only ?? (requirement.arch as 'x86_64' | 'arm64' | undefined)
  const classes =
    requirement.classes ??
    ([
      'general',
      'compute',
      'memory',
      ...(requirement.includeBurstable ? (['burstable'] as const) : []),
    ] as InstanceClass[])
  const fit = filterInstances(catalog, {
    provider: requirement.provider,
    region: requirement.region,
    families: requirement.families,
    classes,
    minVcpu: requirement.vcpu,
    minMemoryGiB: requirement.memoryGiB,
    arch: only,
  })
  return fit
    .filter(
      (i) =>
        requirement.networkGbps === undefined ||
        i.networkGbps === undefined ||
        i.networkGbps >= requirement.networkGbps,
    )
    .map((instance) => {
      const priceUsdPerHour = instance.priceUsdPerHour[requirement.region] as number
      return {instance, priceUsdPerHour}
    })
    .sort(
      (a, b) =>
        a.priceUsdPerHour - b.priceUsdPerHour ||
        Number(b.instance.arch === preferred) - Number(a.instance.arch === preferred) ||
        a.instance.vcpu - b.instance.vcpu,
    )
}

/**
 * Cost of `gb` of egress through consecutive tiers.
 * @example egressCostUsd([{upToGB: 10240, usdPerGB: 0.09}, ...], 10240) // => 921.6
 */
export function egressCostUsd(tiers: CatalogEgress['tiers'], gb: number): number {
  let cost = 0
  let from = 0
  for (const tier of tiers) {
    const upTo = tier.upToGB ?? Number.POSITIVE_INFINITY
    if (gb <= from) break
    cost += (Math.min(gb, upTo) - from) * tier.usdPerGB
    from = upTo
  }
  return Math.round(cost * 1e6) / 1e6
}

/** The egress tiers that apply to a region, if the catalog has them. */
export function egressFor(catalog: Catalog, provider: Provider, region: string): CatalogEgress | undefined {
  return catalog.egress.find((e) => e.provider === provider && e.regions.includes(region))
}

/** The catalog's price of a kind in a region, if it has one. */
export function networkPriceFor(
  catalog: Catalog,
  provider: Provider,
  region: string,
  kind: NetworkPriceKind,
): CatalogNetworkPrice | undefined {
  return catalog.network?.find((n) => n.provider === provider && n.kind === kind && n.regions.includes(region))
}

/** Whole days from the catalog's `pricesAsOf` to `today` (ISO dates). */
export function catalogAgeDays(catalog: Catalog, today: string): number {
  return Math.floor((Date.parse(today) - Date.parse(catalog.pricesAsOf)) / 86_400_000)
}

/**
 * GCP's shared-core types: the catalog's vCPU is the fraction of a core billed and guaranteed;
 * the guest sees more vCPUs, which burst into that share (Compute Engine machine types, "shared-core").
 */
const GCP_SHARED_CORE_GUEST_VCPUS: Record<string, number> = {
  'e2-micro': 2,
  'e2-small': 2,
  'e2-medium': 2,
  'f1-micro': 1,
  'g1-small': 1,
}

/** For a shared-core type, how many vCPUs its guest sees (its `vcpu` is the billed fraction). */
export function sharedCoreGuestVcpus(instance: Pick<CatalogInstance, 'provider' | 'type'>): number | undefined {
  return instance.provider === 'gcp' ? GCP_SHARED_CORE_GUEST_VCPUS[instance.type] : undefined
}

/** Prices older than this get a warning. */
export const STALE_CATALOG_DAYS = 180

/** A kind of price and the date of the source it came from. */
export interface PriceDate {
  /** What is priced, e.g. `aws instance prices`, `aws ebs-gp3 storage prices`, `aws egress prices`. */
  what: string
  source: string
  /** YYYY-MM-DD. */
  date: string
}

/** The date (YYYY-MM-DD) of a source of the catalog. */
export function sourceDate(catalog: Catalog, id: string): string | undefined {
  return catalog.sources.find((s) => s.id === id)?.generatedAt.slice(0, 10)
}

/**
 * The dates of the prices used: each instance's price source (in `region`, or in every region it
 * is priced in), the storage's and the egress tiers'.
 */
export function priceDates(
  catalog: Catalog,
  used: {
    instances?: readonly CatalogInstance[]
    region?: string | undefined
    storage?: CatalogStorage | undefined
    egress?: CatalogEgress | undefined
    network?: readonly CatalogNetworkPrice[] | undefined
  },
): PriceDate[] {
  const dates = new Map<string, PriceDate>()
  const add = (what: string, source: string | undefined) => {
    const date = source === undefined ? undefined : sourceDate(catalog, source)
    if (source !== undefined && date !== undefined && !dates.has(`${what}/${source}`))
      dates.set(`${what}/${source}`, {what, source, date})
  }
  for (const instance of used.instances ?? []) {
    const what = `${instance.provider} instance prices`
    const regional = instance.regionSources ?? {}
    if (used.region !== undefined) add(what, regional[used.region] ?? instance.sources[0])
    else for (const source of [instance.sources[0], ...Object.values(regional)]) add(what, source)
  }
  if (used.storage) add(`${used.storage.provider} ${used.storage.kind} storage prices`, used.storage.source)
  if (used.egress) add(`${used.egress.provider} egress prices`, used.egress.source)
  for (const n of used.network ?? []) add(`${n.provider} ${n.kind} prices`, n.source)
  return [...dates.values()]
}

/** One warning per price older than STALE_CATALOG_DAYS on `today` (YYYY-MM-DD). */
export function stalePriceWarnings(dates: readonly PriceDate[], today: string): string[] {
  return dates
    .map((d) => ({...d, age: Math.floor((Date.parse(today) - Date.parse(d.date)) / 86_400_000)}))
    .filter((d) => d.age > STALE_CATALOG_DAYS)
    .map(
      (d) =>
        `warning: ${d.what} are from ${d.date} (${d.source}), ${d.age} days ago: check current prices, or pass --catalog with your own`,
    )
}

/**
 * A user catalog over the shipped one: records with the same key (provider + type, provider +
 * kind, provider + regions) replace the shipped ones; new ones are added.
 */
export function mergeCatalogs(base: Catalog, user: Partial<Catalog>): Catalog {
  const byKey = <T>(items: readonly T[], extra: readonly T[] | undefined, key: (item: T) => string): T[] => {
    const map = new Map(items.map((item) => [key(item), item]))
    for (const item of extra ?? []) map.set(key(item), item)
    return [...map.values()]
  }
  return {
    ...base,
    pricesAsOf: user.pricesAsOf !== undefined && user.pricesAsOf < base.pricesAsOf ? user.pricesAsOf : base.pricesAsOf,
    sources: [...base.sources, ...(user.sources ?? [])],
    instances: byKey(base.instances, user.instances, (i) => `${i.provider}/${i.type.toLowerCase()}`),
    storage: byKey(base.storage, user.storage, (s) => `${s.provider}/${s.kind}`),
    egress: byKey(base.egress, user.egress, (e) => `${e.provider}/${[...e.regions].sort().join(',')}`),
  }
}

/** An instance's hourly price of `kind` in `region`, if the catalog has it. */
export function priceOf(instance: CatalogInstance, region: string, kind: PriceKind): number | undefined {
  return kind === 'on-demand' ? instance.priceUsdPerHour[region] : instance.otherPricesUsdPerHour?.[kind]?.[region]
}

/** The regions the catalog prices a provider's types in (every provider's without one), sorted. */
export function pricedRegions(catalog: Catalog, provider?: Provider): string[] {
  return [
    ...new Set(
      catalog.instances
        .filter((i) => provider === undefined || i.provider === provider)
        .flatMap((i) => Object.keys(i.priceUsdPerHour)),
    ),
  ].sort()
}

/** The kinds of price the catalog has for a provider's types in a region (on-demand first). */
export function priceKindsIn(catalog: Catalog, provider: Provider, region: string): PriceKind[] {
  return PRICE_KINDS.filter((kind) =>
    catalog.instances.some((i) => i.provider === provider && priceOf(i, region, kind) !== undefined),
  )
}
