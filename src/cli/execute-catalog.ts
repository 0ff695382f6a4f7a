/** `loadplan catalog list | show | stats`. */
import {catalogAgeDays, filterInstances, findInstance, STALE_CATALOG_DAYS} from '../catalog/catalog-lookup.js'
import {INSTANCE_CLASSES, PROVIDERS, type Catalog, type InstanceClass, type Provider} from '../catalog/catalog-schema.js'
import {ProblemList} from '../errors.js'
import {loadCatalog} from '../io/load-catalog.js'
import {catalogStats, renderCatalogStats, renderInstanceDetails, renderInstanceTable} from '../report/catalog-views.js'
import {EXIT} from './exit-codes.js'
import {reportError} from './report-error.js'

export interface CatalogListFlags {
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
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

function warnIfStale(catalog: Catalog): void {
  const age = catalogAgeDays(catalog, today())
  if (age > STALE_CATALOG_DAYS) process.stderr.write(`warning: catalog prices are ${age} days old (as of ${catalog.pricesAsOf}); check current prices or pass --catalog with your own\n`)
}

function run(work: () => string): number {
  try {
    process.stdout.write(work())
    return EXIT.ok
  } catch (error) {
    return reportError(error)
  }
}

export function executeCatalogList(flags: CatalogListFlags, catalogPath: string | undefined, json: boolean): number {
  return run(() => {
    const problems = new ProblemList()
    const number = (flag: string, text: string | undefined) => {
      if (text === undefined) return undefined
      const value = Number(text)
      if (!(value >= 0)) problems.add(flag, 'expected a number ≥ 0', text)
      return value
    }
    if (flags.provider !== undefined && !(PROVIDERS as readonly string[]).includes(flags.provider)) problems.add('--provider', `expected one of ${PROVIDERS.join(', ')}`, flags.provider)
    const classes = (flags.class ?? []).flatMap((c) => c.split(','))
    for (const c of classes) if (!(INSTANCE_CLASSES as readonly string[]).includes(c)) problems.add('--class', `expected one of ${INSTANCE_CLASSES.join(', ')}`, c)
    if (flags.arch !== undefined && flags.arch !== 'x86_64' && flags.arch !== 'arm64') problems.add('--arch', 'expected x86_64 or arm64', flags.arch)
    if (!['price', 'vcpu', 'memory', 'type'].includes(flags.sort)) problems.add('--sort', 'expected price, vcpu, memory or type', flags.sort)
    const minVcpu = number('--min-vcpu', flags.minVcpu)
    const minMemoryGiB = number('--min-memory', flags.minMemory)
    const limit = number('--limit', flags.limit)
    problems.throwIfAny('Cannot list the catalog:')
    const catalog = loadCatalog(catalogPath)
    warnIfStale(catalog)
    const provider = flags.provider as Provider | undefined
    const rows = filterInstances(catalog, {
      provider,
      families: (flags.family ?? []).flatMap((f) => f.split(',')),
      classes: classes as InstanceClass[],
      arch: flags.arch as 'x86_64' | 'arm64' | undefined,
      minVcpu,
      minMemoryGiB,
      region: flags.region,
      allGenerations: flags.allGenerations,
    }).map((instance) => ({instance, region: flags.region ?? (instance.priceUsdPerHour[catalog.defaultRegions[instance.provider]] !== undefined ? catalog.defaultRegions[instance.provider] : (Object.keys(instance.priceUsdPerHour)[0] as string))}))
    const price = (r: (typeof rows)[number]) => r.instance.priceUsdPerHour[r.region] as number
    rows.sort((a, b) => (flags.sort === 'vcpu' ? a.instance.vcpu - b.instance.vcpu : flags.sort === 'memory' ? a.instance.memoryGiB - b.instance.memoryGiB : flags.sort === 'type' ? a.instance.type.localeCompare(b.instance.type) : 0) || price(a) - price(b))
    const shown = limit === undefined ? rows : rows.slice(0, limit)
    if (json) return `${JSON.stringify(shown.map((r) => ({...r.instance, region: r.region, monthlyUsd: price(r) * catalog.hoursPerMonth})), null, 2)}\n`
    if (shown.length === 0) return 'no instance type matches; loosen the filters (previous generations need --all-generations)\n'
    return `${renderInstanceTable(shown)}${shown.length} of ${rows.length} types; monthly = hourly × ${catalog.hoursPerMonth} h, prices as of ${catalog.pricesAsOf}\n`
  })
}

export function executeCatalogShow(type: string, catalogPath: string | undefined, json: boolean): number {
  return run(() => {
    const catalog = loadCatalog(catalogPath)
    warnIfStale(catalog)
    const instance = findInstance(catalog, type)
    if (!instance) {
      const near = catalog.instances.filter((i) => i.type.toLowerCase().includes(type.toLowerCase().split(/[._-]/)[0] ?? '')).slice(0, 5).map((i) => i.type)
      const problems = new ProblemList()
      problems.add('type', `not in the catalog${near.length > 0 ? `; similar: ${near.join(', ')}` : ''}; see loadplan catalog list`, type)
      problems.throwIfAny('Unknown instance type:')
    }
    return json ? `${JSON.stringify(instance, null, 2)}\n` : renderInstanceDetails(catalog, instance as NonNullable<typeof instance>)
  })
}

export function executeCatalogStats(catalogPath: string | undefined, json: boolean): number {
  return run(() => {
    const catalog = loadCatalog(catalogPath)
    const stats = catalogStats(catalog, today())
    if (stats.stale) warnIfStale(catalog)
    return json ? `${JSON.stringify(stats, null, 2)}\n` : renderCatalogStats(catalog, stats)
  })
}
