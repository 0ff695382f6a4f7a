/** Terminal views of the catalog: the list table, one type's details, and the counts. Pure. */
import Table from 'cli-table3'
import {formatCount} from '../contracts/format/units.js'
import {
  catalogAgeDays,
  monthlyCostUsd,
  priceOf,
  type PriceDate,
  sharedCoreGuestVcpus,
  sourceDate,
  STALE_CATALOG_DAYS,
} from '../core/catalog/catalog-lookup.js'
import {type Catalog, type CatalogInstance} from '../core/catalog/catalog-schema.js'
import {findPerf} from '../core/catalog/perf-table.js'
import type {PerfRecord, PerfTable} from '../core/catalog/perf-table-schema.js'
import {PRICE_KINDS, PROVIDERS, type PriceKind} from '../core/catalog/providers.js'

const usd = (n: number, digits = 4) => `$${n.toFixed(digits)}`

export function renderInstanceTable(
  rows: ReadonlyArray<{instance: CatalogInstance; region: string; elsewhereThan?: string}>,
): string {
  const table = new Table({
    head: ['type', 'provider', 'class', 'arch', 'vCPU', 'GiB', 'net Gbps', 'region', '$/hour', '$/month', '$/vCPU-h'],
    style: {head: [], border: [], compact: true},
    colAligns: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'left', 'right', 'right', 'right'],
  })
  for (const {instance: i, region, elsewhereThan} of rows) {
    const price = i.priceUsdPerHour[region] as number
    const guest = sharedCoreGuestVcpus(i)
    table.push([
      i.type,
      i.provider,
      i.class,
      i.arch,
      guest === undefined ? String(i.vcpu) : `${i.vcpu} of ${guest}*`,
      String(i.memoryGiB),
      i.networkGbps === undefined ? '–' : String(i.networkGbps),
      elsewhereThan !== undefined ? `${region}†` : region,
      usd(price),
      usd(monthlyCostUsd(price), 2),
      usd(price / i.vcpu),
    ])
  }
  const shared = rows.some(({instance}) => sharedCoreGuestVcpus(instance) !== undefined)
  const moved = rows.filter((r) => r.elsewhereThan !== undefined)
  const notes = [
    shared
      ? '* shared core: the fraction of a core billed and sustained, of the vCPUs the guest sees (they burst into it)'
      : '',
    moved.length > 0
      ? `† no price in ${[...new Set(moved.map((r) => r.elsewhereThan))].join(', ')} (see catalog show TYPE, and catalog stats for what the build excluded): the first region that has one`
      : '',
  ].filter((n) => n !== '')
  return `${table.toString()}\n${notes.map((n) => `${n}\n`).join('')}`
}

const thousands = (n: number) => formatCount(Math.round(n))

/** The measured performance lines of `catalog show`, with the source and its licence. */
function perfLines(perf: PerfRecord | undefined, source: PerfTable['source']): string[] {
  const origin = `${source.repository} @ ${source.commit.slice(0, 8)} (${source.committedAt.slice(0, 10)}), ${source.license}`
  if (!perf) return [`  measured performance: none in ${origin}`]
  const rows: Array<[string, string]> = []
  if (perf.stressngSingleCore !== undefined)
    rows.push(['stress-ng cpu, 1 core', `${thousands(perf.stressngSingleCore)} bogo-ops/s`])
  const curve = perf.stressngCores
  if (curve && curve.length > 0) {
    const [cores, score] = curve.at(-1) as [number, number]
    const one = curve[0]?.[0] === 1 ? curve[0][1] : undefined
    rows.push([
      `stress-ng cpu, all ${cores} cores`,
      `${thousands(score)} bogo-ops/s${one ? ` (×${(score / one).toFixed(2)} one core)` : ''}`,
    ])
  }
  if (perf.staticWebRps !== undefined) rows.push(['static web server', `${thousands(perf.staticWebRps)} req/s (best)`])
  if (perf.redisRps !== undefined) rows.push(['redis', `${thousands(perf.redisRps)} req/s (best)`])
  if (perf.memoryReadMBps !== undefined)
    rows.push(['memory read bandwidth', `${(perf.memoryReadMBps / 1000).toFixed(1)} GB/s`])
  const lines = [
    `  measured performance (${origin}):`,
    ...rows.map(([label, value]) => `    ${label.padEnd(28)} ${value}`),
  ]
  return lines
}

const PRICE_KIND_TEXT: Record<PriceKind, string> = {
  'on-demand': 'on demand',
  '1yr': '1-year commitment, no upfront',
  '3yr': '3-year commitment, no upfront',
  spot: 'spot, can be reclaimed',
}

export function renderInstanceDetails(
  catalog: Catalog,
  i: CatalogInstance,
  perf?: PerfRecord,
  perfSource?: PerfTable['source'],
): string {
  const lines = [
    `${i.type}  (${i.provider}, ${i.family} family, ${i.class}${i.currentGeneration ? '' : ', previous generation'})`,
    `  ${sharedCoreGuestVcpus(i) === undefined ? `${i.vcpu} vCPU` : `shared core: ${sharedCoreGuestVcpus(i)} vCPUs in the guest, ${i.vcpu} of a core billed and sustained`}, ${i.memoryGiB} GiB memory, ${i.arch}${i.networkGbps === undefined ? '' : `, ${i.networkGbps} Gbps baseline network`}`,
    '  on-demand Linux list price:',
  ]
  const others = PRICE_KINDS.filter((kind) => kind !== 'on-demand' && i.otherPricesUsdPerHour?.[kind] !== undefined)
  const regionWidth = Math.max(16, ...Object.keys(i.priceUsdPerHour).map((r) => r.length))
  for (const [region, price] of Object.entries(i.priceUsdPerHour)) {
    const kinds = others.map((kind) => {
      const p = priceOf(i, region, kind)
      return p === undefined ? '' : `  ${kind} ${usd(p)}/h (${Math.round((1 - p / price) * 100)}% less)`
    })
    // A price from an older regional source says how old it is on its row.
    const regionalSource = i.regionSources?.[region]
    const dated = regionalSource === undefined ? '' : `  as of ${sourceDate(catalog, regionalSource) ?? regionalSource}`
    lines.push(
      `    ${region.padEnd(regionWidth)} ${usd(price)}/h  ${usd(monthlyCostUsd(price), 2)}/month (730 h)${kinds.join('')}${dated}`,
    )
  }
  if (others.length > 0) lines.push(`  ${others.join(', ')}: ${others.map((k) => PRICE_KIND_TEXT[k]).join('; ')}`)
  const origins = Object.entries(i.priceOrigins ?? {})
  if (origins.length > 0) {
    lines.push(`  your prices (price book), above in place of the list price:`)
    for (const [price, origin] of origins) lines.push(`    ${price}: ${origin}`)
  }
  const unpriced = new Map<string, string[]>()
  for (const e of catalog.excluded ?? [])
    if (e.provider === i.provider && e.type === i.type)
      unpriced.set(e.reason, [...(unpriced.get(e.reason) ?? []), e.region])
  for (const [reason, regions] of unpriced) lines.push(`  no price in ${regions.join(', ')}: ${reason}`)
  lines.push('  sources:')
  for (const id of i.sources) {
    const source = catalog.sources.find((s) => s.id === id)
    lines.push(
      source
        ? `    ${source.url ?? `${source.repository ?? ''} ${source.path ?? ''} @ ${source.commit?.slice(0, 8) ?? '–'}`} (${source.generatedAt.slice(0, 10)}): ${source.description}`
        : `    ${id}`,
    )
  }
  if (!i.verified) lines.push(`  note: ${i.notes ?? 'derived, not read from a source'}`)
  if (perfSource) lines.push(...perfLines(perf, perfSource))
  return `${lines.join('\n')}\n`
}

export interface CatalogStats {
  pricesAsOf: string
  ageDays: number
  stale: boolean
  providers: Array<{
    provider: string
    types: number
    currentGeneration: number
    families: number
    regions: string[]
    byClass: Record<string, number>
    perf: {measured: number; stressng: number; staticWeb: number}
  }>
  /** Types priced per provider, region and kind of price (on-demand, 1yr, 3yr, spot). */
  coverage: Array<{provider: string; region: string; types: Record<PriceKind, number>}>
  perfSource: PerfTable['source']
  storage: number
  egress: number
  /** The oldest and newest dates of the storage and egress prices' sources. */
  storageEgressDates: {oldest: string; newest: string} | undefined
  excluded: number
}

function dateRange(dates: readonly string[]): {oldest: string; newest: string} | undefined {
  if (dates.length === 0) return undefined
  const sorted = [...dates].sort()
  return {oldest: sorted[0] as string, newest: sorted.at(-1) as string}
}

export function catalogStats(catalog: Catalog, perfTable: PerfTable, today: string): CatalogStats {
  const ageDays = catalogAgeDays(catalog, today)
  return {
    pricesAsOf: catalog.pricesAsOf,
    ageDays,
    stale: ageDays > STALE_CATALOG_DAYS,
    providers: PROVIDERS.map((provider) => {
      const mine = catalog.instances.filter((i) => i.provider === provider)
      const byClass: Record<string, number> = {}
      for (const i of mine) byClass[i.class] = (byClass[i.class] ?? 0) + 1
      return {
        provider,
        types: mine.length,
        currentGeneration: mine.filter((i) => i.currentGeneration).length,
        families: new Set(mine.map((i) => i.family)).size,
        regions: [...new Set(mine.flatMap((i) => Object.keys(i.priceUsdPerHour)))].sort(),
        byClass,
        perf: {
          measured: mine.filter((i) => findPerf(perfTable, provider, i.type)).length,
          stressng: mine.filter((i) => findPerf(perfTable, provider, i.type)?.stressngCores).length,
          staticWeb: mine.filter((i) => findPerf(perfTable, provider, i.type)?.staticWebRps !== undefined).length,
        },
      }
    }),
    coverage: PROVIDERS.flatMap((provider) => {
      const mine = catalog.instances.filter((i) => i.provider === provider)
      const regions = [...new Set(mine.flatMap((i) => Object.keys(i.priceUsdPerHour)))].sort()
      return regions.map((region) => ({
        provider,
        region,
        types: Object.fromEntries(
          PRICE_KINDS.map((kind) => [kind, mine.filter((i) => priceOf(i, region, kind) !== undefined).length]),
        ) as Record<PriceKind, number>,
      }))
    }),
    perfSource: perfTable.source,
    storage: catalog.storage.length,
    egress: catalog.egress.length,
    storageEgressDates: dateRange(
      [...catalog.storage, ...catalog.egress].flatMap((r) => sourceDate(catalog, r.source) ?? []),
    ),
    excluded: catalog.excluded?.length ?? 0,
  }
}

export function renderCatalogStats(catalog: Catalog, stats: CatalogStats): string {
  const lines = [
    `catalog: prices as of ${stats.pricesAsOf} (${stats.ageDays} days old${stats.stale ? `, older than ${STALE_CATALOG_DAYS} days: refresh it or pass --catalog` : ''}); ${catalog.priceBasis}`,
    '',
  ]
  for (const p of stats.providers) {
    const classes = Object.entries(p.byClass)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')
    lines.push(
      `${p.provider.padEnd(6)} ${String(p.types).padStart(5)} types (${p.currentGeneration} current generation) in ${p.families} families; ${classes}; regions ${p.regions.join(', ')}`,
    )
  }
  lines.push(
    '',
    'priced types per region and kind of price:',
    `  ${'provider'.padEnd(9)}${'region'.padEnd(20)}${PRICE_KINDS.map((k) => k.padStart(10)).join('')}`,
  )
  for (const c of stats.coverage)
    lines.push(
      `  ${c.provider.padEnd(9)}${c.region.padEnd(20)}${PRICE_KINDS.map((k) => String(c.types[k] || '–').padStart(10)).join('')}`,
    )
  lines.push(
    '',
    `measured performance (${stats.perfSource.repository} @ ${stats.perfSource.commit.slice(0, 8)}, ${stats.perfSource.committedAt.slice(0, 10)}, ${stats.perfSource.license}):`,
  )
  for (const p of stats.providers) {
    const share = (n: number) => `${n} (${p.types === 0 ? 0 : Math.round((100 * n) / p.types)}%)`
    lines.push(
      `${p.provider.padEnd(6)} ${share(p.perf.measured)} of ${p.types} types measured; stress-ng ${share(p.perf.stressng)}, static web ${share(p.perf.staticWeb)}`,
    )
  }
  const dated = stats.storageEgressDates
    ? ` (dated ${stats.storageEgressDates.oldest}${stats.storageEgressDates.newest === stats.storageEgressDates.oldest ? '' : ` … ${stats.storageEgressDates.newest}`})`
    : ''
  lines.push(
    '',
    `storage prices: ${stats.storage}, egress tier tables: ${stats.egress}${dated}, records excluded by validation: ${stats.excluded}`,
    '',
    'sources:',
  )
  for (const s of catalog.sources)
    lines.push(
      `  ${s.id}: ${s.url ?? `${s.repository ?? ''} ${s.path ?? ''} @ ${s.commit?.slice(0, 8) ?? '–'}`}, ${s.generatedAt.slice(0, 10)}${s.license ? `, ${s.license}` : ''}`,
    )
  return `${lines.join('\n')}\n`
}

/** `catalog list`: the table with its footer, or JSON rows with the region and monthly cost. */
export function renderCatalogList(
  doc: {
    catalog: Catalog
    rows: ReadonlyArray<{instance: CatalogInstance; region: string; elsewhereThan?: string}>
    matched: number
    unpricedRegion?: {region: string; pricedRegions: string[]}
    unpricedThere?: {region: string; types: string[]}
    priceDates: readonly PriceDate[]
  },
  json: boolean,
): string {
  const {catalog, rows} = doc
  const price = (r: (typeof rows)[number]) => r.instance.priceUsdPerHour[r.region] as number
  if (json)
    return `${JSON.stringify(
      rows.map((r) => ({
        ...r.instance,
        region: r.region,
        ...(r.elsewhereThan === undefined ? {} : {notPricedIn: r.elsewhereThan}),
        monthlyUsd: monthlyCostUsd(price(r)),
      })),
      null,
      2,
    )}\n`
  if (doc.unpricedRegion)
    return `the catalog has no prices in ${doc.unpricedRegion.region}; regions with prices: ${doc.unpricedRegion.pricedRegions.join(', ')}\n`
  const there = doc.unpricedThere
  if (there && there.types.length > 0)
    return `${there.types.length} types match, none with a price in ${there.region}: ${there.types.slice(0, 5).join(', ')}${there.types.length > 5 ? ', …' : ''} (loadplan catalog show TYPE lists where each is priced)\n`
  if (rows.length === 0)
    return 'no instance type matches; loosen the filters (previous generations need --all-generations)\n'
  const asOf = doc.priceDates.map((d) => `${d.date} (${d.source})`).join(', ')
  return `${renderInstanceTable(rows)}${rows.length} of ${doc.matched} types; monthly = hourly × ${catalog.hoursPerMonth} h, prices as of ${asOf || catalog.pricesAsOf}\n`
}
