/** The cache and database tiers of a plan: each tier's type priced in the plan's cloud, every problem at once. */
import {candidatesFor, findInstance} from '../catalog/catalog-lookup.js'
import type {Catalog, CatalogInstance} from '../catalog/catalog-schema.js'
import type {Provider} from '../catalog/providers.js'
import {ProblemList} from '../../contracts/errors.js'
import {parseDurationMs, parseMonthlyRate, parseRatio} from '../../contracts/parse/parse-units.js'
import type {Tiers} from './tiers.js'
import type {TiersInput} from './plan-settings.js'

/**
 * The type a tier runs on, in the plan's provider: the named one, or, when it belongs to another
 * cloud (the plan moved), the cheapest type here with at least its vCPUs and memory, of its class
 * where one fits.
 */
function equivalentType(
  catalog: Catalog,
  named: CatalogInstance,
  provider: Provider,
  region: string,
): CatalogInstance | undefined {
  if (named.provider === provider) return named
  const fits = candidatesFor(catalog, {
    provider,
    region,
    vcpu: named.vcpu,
    memoryGiB: named.memoryGiB,
    classes: ['general', 'compute', 'memory'],
  })
  return (fits.find((c) => c.instance.class === named.class) ?? fits[0])?.instance
}

/** Reads plan.tiers from the service file, pricing each tier's type from the catalog. */
export function parseTiers(
  t: TiersInput | undefined,
  catalog: Catalog,
  provider: Provider,
  region: string,
  problems: ProblemList,
): {tiers: Tiers; moved: string[]} | undefined {
  if (t === undefined) return undefined
  const tiers: Tiers = {}
  const moved: string[] = []
  const price = (field: string, type: string | undefined) => {
    const named = type ? (findInstance(catalog, type, provider) ?? findInstance(catalog, type)) : undefined
    const instance = named ? equivalentType(catalog, named, provider, region) : undefined
    const p = instance?.priceUsdPerHour[region]
    if (p === undefined || !instance) {
      problems.add(field, `expected an instance type priced in ${provider} ${region}, e.g. r7g.large`, type)
      return {type: type ?? '', priceUsdPerHour: 0}
    }
    if (named && instance !== named) moved.push(`${named.type} → ${instance.type}`)
    return {type: instance.type, priceUsdPerHour: p}
  }
  const positive = (field: string, value: unknown) => {
    const n = typeof value === 'string' ? parseRatio(value) : typeof value === 'number' ? value : undefined
    if (n === undefined || !(n > 0)) problems.add(field, 'expected a positive number', value)
    return n ?? 1
  }
  if (t.cache) {
    const hitRatio = typeof t.cache.hitRatio === 'string' ? parseRatio(t.cache.hitRatio) : t.cache.hitRatio
    if (hitRatio === undefined || hitRatio < 0 || hitRatio >= 1)
      problems.add('plan.tiers.cache.hitRatio', 'expected a share below 100%, e.g. 80%', t.cache.hitRatio)
    tiers.cache = {
      hitRatio: hitRatio ?? 0,
      nodes: positive('plan.tiers.cache.nodes', t.cache.nodes ?? 2),
      ...price('plan.tiers.cache.instanceType', t.cache.instanceType),
    }
  }
  if (t.database) {
    const d = t.database
    const readShare = typeof d.readShare === 'string' ? parseRatio(d.readShare) : d.readShare
    if (readShare === undefined || readShare < 0 || readShare > 1)
      problems.add('plan.tiers.database.readShare', 'expected a share such as 90%', d.readShare)
    tiers.database = {
      queriesPerRequest: positive('plan.tiers.database.queriesPerRequest', d.queriesPerRequest),
      readShare: readShare ?? 0,
      writeQpsPerPrimary: positive('plan.tiers.database.writeQpsPerPrimary', d.writeQpsPerPrimary),
      readQpsPerReplica: positive('plan.tiers.database.readQpsPerReplica', d.readQpsPerReplica),
      maxGBPerShard: positive('plan.tiers.database.maxGBPerShard', d.maxGBPerShard ?? 2000),
      storageGB: positive('plan.tiers.database.storageGB', d.storageGB ?? 100),
      storageGrowthPerMonth: parseMonthlyRate(d.storageGrowth ?? '0%') ?? 0,
      ...price('plan.tiers.database.instanceType', d.instanceType),
    }
  }
  if (t.queue) {
    const q = t.queue
    const at = 'plan.tiers.queue'
    const serviceTimeMs = q.serviceTime === undefined ? undefined : parseDurationMs(String(q.serviceTime))
    if (!(serviceTimeMs !== undefined && serviceTimeMs > 0 && serviceTimeMs <= 3_600_000))
      problems.add(
        `${at}.serviceTime`,
        'expected the mean time one consumer takes per message, e.g. 80ms',
        q.serviceTime,
      )
    const lagText = q.lag ?? DEFAULT_QUEUE_LAG
    const lag = /^\s*p(\d+(?:\.\d+)?)\s*<\s*(\S+)\s*$/.exec(lagText)
    const quantile = lag ? Number(lag[1]) / 100 : undefined
    const waitObjectiveMs = lag ? parseDurationMs(lag[2] as string) : undefined
    if (!(
      quantile !== undefined &&
      quantile >= 0.5 &&
      quantile < 1 &&
      waitObjectiveMs !== undefined &&
      waitObjectiveMs >= 0
    ))
      problems.add(`${at}.lag`, 'expected a wait objective such as "p99 < 30s" (p50 to p99.99)', lagText)
    const spikeDurationMs = parseDurationMs(q.spike?.duration ?? DEFAULT_QUEUE_SPIKE.duration)
    const spikeFactor = q.spike?.factor ?? DEFAULT_QUEUE_SPIKE.factor
    if (!(spikeFactor >= 1 && spikeFactor <= 100))
      problems.add(
        `${at}.spike.factor`,
        'expected the spike as a multiple of the peak from 1 to 100, e.g. 2',
        spikeFactor,
      )
    if (!(spikeDurationMs !== undefined && spikeDurationMs > 0 && spikeDurationMs <= 86_400_000))
      problems.add(`${at}.spike.duration`, 'expected a duration up to 24h, e.g. 10m', q.spike?.duration)
    tiers.queue = {
      messagesPerRequest: q.messagesPerRequest ?? 1,
      serviceTimeMs: serviceTimeMs ?? 1,
      waitQuantile: quantile ?? 0.99,
      waitObjectiveMs: waitObjectiveMs ?? 0,
      ...(q.partitions !== undefined ? {partitions: q.partitions} : {}),
      consumersPerInstance: q.consumersPerInstance ?? 1,
      spike: {factor: spikeFactor, durationS: (spikeDurationMs ?? 600_000) / 1000},
      ...price(`${at}.instanceType`, q.instanceType),
    }
  }
  return {tiers, moved}
}

/** The lag objective a queue tier is sized on when it names none. */
export const DEFAULT_QUEUE_LAG = 'p99 < 30s'
/** The spike the backlog figure assumes: twice the month's peak for ten minutes. */
export const DEFAULT_QUEUE_SPIKE = {factor: 2, duration: '10m'} as const
