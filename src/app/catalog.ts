/** `loadplan catalog list | show | stats`: the price catalog, filtered and looked up. */
import {catalogAgeDays, filterInstances, findInstance, STALE_CATALOG_DAYS} from '../catalog/catalog-lookup.js'
import {INSTANCE_CLASSES, PROVIDERS, type Catalog, type CatalogInstance, type InstanceClass, type Provider} from '../catalog/catalog-schema.js'
import {EXIT, ProblemList} from '../errors.js'
import {loadCatalog} from '../io/load-catalog.js'
import {catalogStats, type CatalogStats} from '../report/catalog-views.js'
import type {AppResult} from './app-result.js'

export interface CatalogListInput {
  provider?: string
  family?: string[]
  class?: string[]
  arch?: string
  minVcpu?: string
  minMemory?: string
  region?: string
  allGenerations: boolean
  sort: string
  limit?: string
  catalog?: string
  nowMs: number
}

export interface CatalogListDocument {
  catalog: Catalog
  /** The types shown, each with the region its price is from. */
  rows: Array<{instance: CatalogInstance; region: string}>
  /** How many matched before --limit. */
  matched: number
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function staleWarnings(catalog: Catalog, nowMs: number): string[] {
  const age = catalogAgeDays(catalog, isoDay(nowMs))
  return age > STALE_CATALOG_DAYS ? [`warning: catalog prices are ${age} days old (as of ${catalog.pricesAsOf}); check current prices or pass --catalog with your own`] : []
}

export function listCatalog(input: CatalogListInput): AppResult<CatalogListDocument> {
  const problems = new ProblemList()
  const number = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined
    const value = Number(text)
    if (!(value >= 0)) problems.add(flag, 'expected a number ≥ 0', text)
    return value
  }
  if (input.provider !== undefined && !(PROVIDERS as readonly string[]).includes(input.provider)) problems.add('--provider', `expected one of ${PROVIDERS.join(', ')}`, input.provider)
  const classes = (input.class ?? []).flatMap((c) => c.split(','))
  for (const c of classes) if (!(INSTANCE_CLASSES as readonly string[]).includes(c)) problems.add('--class', `expected one of ${INSTANCE_CLASSES.join(', ')}`, c)
  if (input.arch !== undefined && input.arch !== 'x86_64' && input.arch !== 'arm64') problems.add('--arch', 'expected x86_64 or arm64', input.arch)
  if (!['price', 'vcpu', 'memory', 'type'].includes(input.sort)) problems.add('--sort', 'expected price, vcpu, memory or type', input.sort)
  const minVcpu = number('--min-vcpu', input.minVcpu)
  const minMemoryGiB = number('--min-memory', input.minMemory)
  const limit = number('--limit', input.limit)
  problems.throwIfAny('Cannot list the catalog:')
  const catalog = loadCatalog(input.catalog)
  const rows = filterInstances(catalog, {
    provider: input.provider as Provider | undefined,
    families: (input.family ?? []).flatMap((f) => f.split(',')),
    classes: classes as InstanceClass[],
    arch: input.arch as 'x86_64' | 'arm64' | undefined,
    minVcpu,
    minMemoryGiB,
    region: input.region,
    allGenerations: input.allGenerations,
  }).map((instance) => ({instance, region: input.region ?? (instance.priceUsdPerHour[catalog.defaultRegions[instance.provider]] !== undefined ? catalog.defaultRegions[instance.provider] : (Object.keys(instance.priceUsdPerHour)[0] as string))}))
  const price = (r: (typeof rows)[number]) => r.instance.priceUsdPerHour[r.region] as number
  rows.sort((a, b) => (input.sort === 'vcpu' ? a.instance.vcpu - b.instance.vcpu : input.sort === 'memory' ? a.instance.memoryGiB - b.instance.memoryGiB : input.sort === 'type' ? a.instance.type.localeCompare(b.instance.type) : 0) || price(a) - price(b))
  const shown = limit === undefined ? rows : rows.slice(0, limit)
  return {document: {catalog, rows: shown, matched: rows.length}, warnings: staleWarnings(catalog, input.nowMs), exitCode: EXIT.ok}
}

export function showCatalogType(input: {type: string; catalog?: string; nowMs: number}): AppResult<{catalog: Catalog; instance: CatalogInstance}> {
  const catalog = loadCatalog(input.catalog)
  const instance = findInstance(catalog, input.type)
  if (!instance) {
    const near = catalog.instances.filter((i) => i.type.toLowerCase().includes(input.type.toLowerCase().split(/[._-]/)[0] ?? '')).slice(0, 5).map((i) => i.type)
    const problems = new ProblemList()
    problems.add('type', `not in the catalog${near.length > 0 ? `; similar: ${near.join(', ')}` : ''}; see loadplan catalog list`, input.type)
    problems.throwIfAny('Unknown instance type:')
  }
  return {document: {catalog, instance: instance as CatalogInstance}, warnings: staleWarnings(catalog, input.nowMs), exitCode: EXIT.ok}
}

export function catalogStatistics(input: {catalog?: string; nowMs: number}): AppResult<{catalog: Catalog; stats: CatalogStats}> {
  const catalog = loadCatalog(input.catalog)
  const stats = catalogStats(catalog, isoDay(input.nowMs))
  return {document: {catalog, stats}, warnings: stats.stale ? staleWarnings(catalog, input.nowMs) : [], exitCode: EXIT.ok}
}
