/** `loadplan catalog list | show | stats`: the price catalog, filtered and looked up. */
import {
  catalogAgeDays,
  filterInstances,
  findInstance,
  sourceDate,
  STALE_CATALOG_DAYS,
  priceDates,
  pricedRegions,
  stalePriceWarnings,
  type PriceDate,
} from '../core/catalog/catalog-lookup.js'
import type {Catalog, CatalogInstance} from '../core/catalog/catalog-schema.js'
import {findPerf, shippedPerfTable} from '../core/catalog/perf-table.js'
import type {PerfRecord, PerfTable} from '../core/catalog/perf-table-schema.js'
import {resolveCatalogListOptions, type CatalogListFlags} from '../config/catalog-options.js'
import {EXIT, ProblemList} from '../contracts/errors.js'
import {loadCatalog} from '../adapters/io/load-catalog.js'
import {catalogStats, type CatalogStats} from '../report/catalog-views.js'
import type {AppResult} from './app-result.js'

export interface CatalogListInput extends CatalogListFlags {
  catalog?: string
  nowMs: number
}

export interface CatalogListDocument {
  catalog: Catalog
  /** The types shown, each with the region its price is from. */
  rows: Array<{instance: CatalogInstance; region: string; elsewhereThan?: string}>
  /** How many matched before --limit. */
  matched: number
  /** --region names a region the catalog has no price in (for the provider asked): the regions it has. */
  unpricedRegion?: {region: string; pricedRegions: string[]}
  /** Types that meet the filters but have no price in --region (`catalog show TYPE` lists where each is priced). */
  unpricedThere?: {region: string; types: string[]}
  /** The dates of the prices shown, by source. */
  priceDates: PriceDate[]
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function staleWarnings(catalog: Catalog, nowMs: number): string[] {
  const age = catalogAgeDays(catalog, isoDay(nowMs))
  return age > STALE_CATALOG_DAYS
    ? [
        `warning: catalog prices are ${age} days old (as of ${catalog.pricesAsOf}); check current prices or pass --catalog with your own`,
      ]
    : []
}

export async function listCatalog(input: CatalogListInput): Promise<AppResult<CatalogListDocument>> {
  const options = resolveCatalogListOptions(input)
  const catalog = await loadCatalog(input.catalog)
  const {sort, limit, region} = options
  // Without --region each type is priced in its provider's default region, or, lacking a price
  // there, in the first region that has one (marked as such).
  const rows = filterInstances(catalog, options).map((instance) => {
    if (region !== undefined) return {instance, region}
    const home = catalog.defaultRegions[instance.provider] as string
    return instance.priceUsdPerHour[home] !== undefined
      ? {instance, region: home}
      : {instance, region: Object.keys(instance.priceUsdPerHour)[0] as string, elsewhereThan: home}
  })
  const price = (r: (typeof rows)[number]) => r.instance.priceUsdPerHour[r.region] as number
  rows.sort(
    (a, b) =>
      (sort === 'vcpu'
        ? a.instance.vcpu - b.instance.vcpu
        : sort === 'memory'
          ? a.instance.memoryGiB - b.instance.memoryGiB
          : sort === 'type'
            ? a.instance.type.localeCompare(b.instance.type)
            : 0) || price(a) - price(b),
  )
  const shown = limit === undefined ? rows : rows.slice(0, limit)
  const dates = new Map(
    shown.flatMap((r) => priceDates(catalog, {instances: [r.instance], region: r.region})).map((d) => [d.source, d]),
  )
  const document: CatalogListDocument = {
    catalog,
    rows: shown,
    matched: rows.length,
    priceDates: [...dates.values()].sort((a, b) => a.date.localeCompare(b.date)),
  }
  if (region !== undefined && rows.length === 0) {
    const priced = pricedRegions(catalog, options.provider)
    if (!priced.includes(region)) document.unpricedRegion = {region, pricedRegions: priced}
    else
      document.unpricedThere = {
        region,
        types: filterInstances(catalog, {...options, region: undefined}).map((i) => i.type),
      }
  }
  return {document, warnings: staleWarnings(catalog, input.nowMs), exitCode: EXIT.ok}
}

export interface CatalogShowDocument {
  catalog: Catalog
  instance: CatalogInstance
  /** Public benchmark results for the type, where the performance table has them. */
  perf?: PerfRecord
  perfSource: PerfTable['source']
  /** The date of each price the type has, by its source (a price book's prices have none: see priceOrigins). */
  priceDates: PriceDate[]
}

export async function showCatalogType(input: {
  type: string
  catalog?: string
  priceBook?: string
  nowMs: number
}): Promise<AppResult<CatalogShowDocument>> {
  const catalog = await loadCatalog(
    input.catalog,
    input.priceBook === undefined ? undefined : {path: input.priceBook, field: '--price-book'},
  )
  const instance = findInstance(catalog, input.type)
  if (!instance) {
    const near = catalog.instances
      .filter((i) => i.type.toLowerCase().includes(input.type.toLowerCase().split(/[._-]/)[0] ?? ''))
      .slice(0, 5)
      .map((i) => i.type)
    const problems = new ProblemList()
    problems.add(
      'type',
      `not in the catalog${near.length > 0 ? `; similar: ${near.join(', ')}` : ''}; see loadplan catalog list`,
      input.type,
    )
    problems.throwIfAny('Unknown instance type:')
  }
  const found = instance as CatalogInstance
  const document: CatalogShowDocument = {
    catalog,
    instance: found,
    perfSource: shippedPerfTable.source,
    priceDates: priceDates(catalog, {instances: [found]}),
  }
  const perf = findPerf(shippedPerfTable, found.provider, found.type)
  if (perf) document.perf = perf
  return {document, warnings: staleWarnings(catalog, input.nowMs), exitCode: EXIT.ok}
}

export async function catalogStatistics(input: {
  catalog?: string
  nowMs: number
}): Promise<AppResult<{catalog: Catalog; stats: CatalogStats}>> {
  const catalog = await loadCatalog(input.catalog)
  const stats = catalogStats(catalog, shippedPerfTable, isoDay(input.nowMs))
  // Storage and egress come from their own sources, with their own dates.
  // Egress tables of one provider from one source are named together (the regions listed).
  const egressGroups = new Map<string, {provider: string; source: string; regions: string[]}>()
  for (const r of catalog.egress) {
    const group = egressGroups.get(`${r.provider}/${r.source}`) ?? {provider: r.provider, source: r.source, regions: []}
    group.regions.push(...r.regions)
    egressGroups.set(`${r.provider}/${r.source}`, group)
  }
  const others: PriceDate[] = [
    ...catalog.storage.map((r) => ({what: `${r.provider} ${r.kind} storage prices`, source: r.source})),
    ...[...egressGroups.values()].map((g) => ({
      what: `${g.provider} egress prices (${g.regions.join(', ')})`,
      source: g.source,
    })),
  ].flatMap((r) => {
    const date = sourceDate(catalog, r.source)
    return date === undefined ? [] : [{...r, date}]
  })
  const warnings = [
    ...(stats.stale ? staleWarnings(catalog, input.nowMs) : []),
    ...stalePriceWarnings(others, isoDay(input.nowMs)),
  ]
  return {document: {catalog, stats}, warnings, exitCode: EXIT.ok}
}
