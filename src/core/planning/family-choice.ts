/**
 * Which instance families a plan uses, and what each type of them sustains: capacity carried from
 * the measured type through the performance table, families ranked by price per request/s.
 */
import {filterInstances} from '../catalog/catalog-lookup.js'
import type {CatalogInstance} from '../catalog/catalog-schema.js'
import type {Provider} from '../catalog/providers.js'
import {
  calibratedHost,
  reliableStaticWeb,
  translateCapacity,
  type Translation,
  type TypePerformance,
} from './translate-capacity.js'
import {findPerf, shippedPerfTable} from '../catalog/perf-table.js'
import type {PlanOptions} from './plan-settings.js'
import type {PreparedPlan} from './prepared-plan.js'

/** A family the explorer offers: its class, architecture and best price per request/s. */
export interface FamilyChoice {
  family: string
  class: string
  arch: string
  /** The lowest hourly price per sustainable request/s among its types. */
  usdPerHourPerRps: number
  /** Whether the performance table measured most of its types (the others are carried by vCPUs). */
  measured: boolean
}

export const PLANNED_CLASSES = ['general', 'compute', 'memory'] as const

/** A catalog type as translation sees it: its size, the table's figures and, once known, the family-consistent static-web figure (see reliableStaticWeb). */
function performanceOf(
  instance: Pick<CatalogInstance, 'type' | 'vcpu' | 'provider'>,
  webRps?: number,
): TypePerformance {
  const performance: TypePerformance = {type: instance.type, vcpu: instance.vcpu}
  const perf = findPerf(shippedPerfTable, instance.provider, instance.type)
  if (perf) performance.perf = perf
  if (webRps !== undefined) performance.webRps = webRps
  return performance
}

/** Capacity per type of `instances`, carried from where it was measured. */
export function translateAll(
  prepared: PreparedPlan,
  options: PlanOptions,
  instances: readonly CatalogInstance[],
): {
  measuredOn: TypePerformance
  translations: Map<string, Translation>
  perInstanceRps: Record<string, number>
  replacedWeb: string[]
} {
  const {catalog, measuredRecord, calibration, capacity} = prepared
  // Static-web figures made consistent within each family involved (see reliableStaticWeb).
  const involved = new Set([
    ...instances.map((i) => `${i.provider}/${i.family}`),
    ...(measuredRecord ? [`${measuredRecord.provider}/${measuredRecord.family}`] : []),
  ])
  const web = reliableStaticWeb(
    catalog.instances
      .filter((i) => involved.has(`${i.provider}/${i.family}`))
      .map((i) => ({...performanceOf(i), type: i.type, family: i.family})),
  )
  // The host the capacity was measured on: a calibration, a catalog type, or only a vCPU count.
  const measuredOn: TypePerformance = calibration
    ? calibratedHost(calibration)
    : measuredRecord
      ? performanceOf(measuredRecord, web.rps.get(measuredRecord.type))
      : {vcpu: prepared.vcpu}
  const translations = new Map<string, Translation>(
    instances.map((i) => [
      i.type,
      translateCapacity(
        prepared.perInstance,
        measuredOn,
        performanceOf(i, web.rps.get(i.type)),
        options.translation,
        options.scaleFactor,
        capacity?.coreScaling?.serialFraction,
      ),
    ]),
  )
  // The vCPUs reserved on every node (kubelet, system daemons) are a larger share of a small type:
  // scale by the share left to the service on the target over the share it had where measured.
  const leftForService = (vcpu: number) => Math.max(0, vcpu - options.reservedCpu) / vcpu
  const perInstanceRps = Object.fromEntries(
    instances.map((i) => [
      i.type,
      ((translations.get(i.type) as Translation).perInstanceRps * leftForService(i.vcpu)) /
        leftForService(measuredOn.vcpu),
    ]),
  )
  return {measuredOn, translations, perInstanceRps, replacedWeb: web.replaced}
}

/**
 * Whether a type is too small for the service on a node: its memory does not hold the service's
 * need plus the system's reservation, or the reservation takes all of it or of its vCPUs.
 */
export function tooSmallForNode(instance: CatalogInstance, options: PlanOptions): boolean {
  const memoryNeedGiB = (options.memoryPerInstanceGiB ?? 0) + options.reservedMemoryGiB
  return (
    instance.memoryGiB < memoryNeedGiB ||
    instance.memoryGiB <= options.reservedMemoryGiB ||
    instance.vcpu <= options.reservedCpu
  )
}

/**
 * The families of a provider a plan could use (current generation, general, compute or memory,
 * priced in the region, big enough for the service), best price per request/s first; ranked once
 * per provider and region of a prepared plan.
 */
export function familyChoices(prepared: PreparedPlan, provider: Provider, region: string): FamilyChoice[] {
  const key = `${provider}/${region}`
  const known = prepared.familyRankings.get(key)
  if (known) return known
  const options = prepared.options
  const instances = filterInstances(prepared.catalog, {provider, region, classes: PLANNED_CLASSES}).filter(
    (i) => !tooSmallForNode(i, options),
  )
  const {perInstanceRps, translations} = translateAll(prepared, options, instances)
  const best = new Map<string, FamilyChoice>()
  const measuredTypes = new Map<string, {measured: number; all: number}>()
  for (const i of instances) {
    const count = measuredTypes.get(i.family) ?? {measured: 0, all: 0}
    count.all++
    if (translations.get(i.type)?.basis !== 'vcpu') count.measured++
    measuredTypes.set(i.family, count)
  }
  for (const i of instances) {
    const usdPerHourPerRps = (i.priceUsdPerHour[region] as number) / (perInstanceRps[i.type] as number)
    const seen = best.get(i.family)
    if (!(usdPerHourPerRps > 0) || (seen && seen.usdPerHourPerRps <= usdPerHourPerRps)) continue
    const count = measuredTypes.get(i.family) as {measured: number; all: number}
    best.set(i.family, {
      family: i.family,
      class: i.class,
      arch: i.arch,
      usdPerHourPerRps,
      measured: count.measured * 2 >= count.all,
    })
  }
  // Families the performance table measured first: a vCPU ratio can be off by 3× between types.
  const ranked = [...best.values()].sort(
    (a, b) =>
      Number(b.measured) - Number(a.measured) ||
      a.usdPerHourPerRps - b.usdPerHourPerRps ||
      a.family.localeCompare(b.family),
  )
  prepared.familyRankings.set(key, ranked)
  return ranked
}

/** The families to plan with: those named, else the measured type's, else (another cloud) the best-priced family like it. */
export function chooseFamilies(
  prepared: PreparedPlan,
  options: PlanOptions,
  region: string,
): {families: string[]; note?: string} {
  const named = options.families?.flatMap((f) => f.split(',')).filter((f) => f !== '')
  if (named && named.length > 0) return {families: named}
  const measured = prepared.measuredRecord
  if (!measured) return {families: []}
  if (measured.provider === options.provider) return {families: [measured.family]}
  const choices = familyChoices(prepared, options.provider, region)
  const like =
    choices.find((c) => c.class === measured.class && c.arch === measured.arch) ??
    choices.find((c) => c.class === measured.class) ??
    choices[0]
  if (!like) return {families: []}
  const kin = [like.class === measured.class ? measured.class : '', like.arch === measured.arch ? measured.arch : '']
    .filter((k) => k !== '')
    .join(', ')
  return {
    families: [like.family],
    note: `${like.family}: the ${options.provider} family${kin ? ` like ${measured.family} (${kin})` : ''} with the lowest price per request/s${like.measured ? ' among those with benchmark figures' : ''}; --family to choose`,
  }
}
