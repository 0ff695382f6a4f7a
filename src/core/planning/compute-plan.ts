/**
 * The plan for one choice of options over prepared inputs (prepared-plan.ts): no files, no
 * forecast, no clock; milliseconds, so the explorer recomputes on every key.
 */
import {egressFor, findInstance, priceDates, priceOf, stalePriceWarnings} from '../catalog/catalog-lookup.js'
import type {Catalog} from '../catalog/catalog-schema.js'
import {HOURS_PER_MONTH, sizingPriceKind, type PriceKind, type Provider} from '../catalog/providers.js'
import {purchaseMix} from './purchase-mix.js'
import {withBillLines} from './bill-lines.js'
import {InputError, ProblemList} from '../../contracts/errors.js'
import {replayFixed, replayPredictive, replayReactive, type ReplayInput} from './autoscaling.js'
import {buildCapacityPlan, survivingInstances, type Redundancy} from './capacity-plan.js'
import {PEAK_PATHS, WEEK_HOURS} from './demand-from-forecast.js'
import {
  PLAN_SCHEMA,
  PLAN_VERSION,
  type CapacityPlanDocument,
  type CapacityPlanResult,
  type MixCost,
} from '../../contracts/results/plan-document.js'
import type {PlanOptions} from './plan-settings.js'
import {sloSizing} from './slo-sizing.js'
import {
  DEFAULT_STORAGE,
  PRICING_TEXT,
  SPOT_CAVEAT,
  describeTranslations,
  fleetAssumption,
  rangeAssumption,
  translationWarnings,
} from './plan-assumptions.js'
import {planBasis} from './plan-basis.js'
import {capacityFactors, translationSigmas} from './capacity-uncertainty.js'
import type {PreparedPlan} from './prepared-plan.js'

/** The seed of the capacity's uncertainty, drawn over as many paths as the demand's (PEAK_PATHS for a stated growth). */
const UNCERTAINTY_SEED = 2

/** The what-if's reactive policy: HPA-like, one hour of scale-down stabilisation and a 10 % tolerance. */
const REPLAY_POLICY = {maxReplicas: 10_000, stabilizationHours: 1, tolerance: 0.1} as const

export interface ComputedPlan {
  doc: CapacityPlanDocument
  warnings: string[]
  /** The families planned with (chosen when the options named none). */
  families: string[]
}

/**
 * The plan for one choice of options over prepared inputs: no files, no forecast, no clock.
 * @throws InputError when the choice names no usable family or tier type
 */
export function computePlan(prepared: PreparedPlan, options: PlanOptions): ComputedPlan {
  const problems = new ProblemList()
  const basis = planBasis(prepared, options, problems)
  problems.throwIfAny('Cannot plan:')
  const {catalog, capacity, calibration, perInstance, demand} = prepared
  const {provider} = options
  const {region, families, candidates, tooSmall, translations, perInstanceRps, measuredOn} = basis
  const tiers = basis.tiers?.tiers

  const sloFleet =
    options.sizeBy === 'slo' ? sloSizing(options, capacity, perInstanceRps, perInstance, prepared.sloSizers) : undefined
  if (sloFleet && sloFleet.tooSlow.length === candidates.length)
    throw new InputError('Cannot plan:', [
      {
        field: '--family',
        message: `every candidate type is too slow for the SLO at any fleet size (${sloFleet.tooSlow.join(', ')}): choose faster families or a looser --slo`,
        value: families.join(','),
      },
    ])

  const warnings = [
    ...demand.warnings,
    ...translationWarnings({measuredOn, calibrated: calibration !== undefined, capacity, translations}),
  ]
  const assumptions = [demand.assumption]
  const {storageGb, bytesPerRequest} = options
  const storageRecord = catalog.storage.find((s) => s.provider === provider && s.kind === DEFAULT_STORAGE[provider])
  const storagePrice = storageRecord?.usdPerGBMonth[region]
  const egress = bytesPerRequest === undefined ? undefined : egressFor(catalog, provider, region)
  if (bytesPerRequest !== undefined && !egress)
    warnings.push(`warning: the catalog has no internet egress prices for ${provider} ${region}; egress is left out`)
  if ((storageGb > 0 || tiers?.database) && storagePrice === undefined)
    warnings.push(`warning: the catalog has no ${DEFAULT_STORAGE[provider]} price for ${region}; storage is left out`)
  // The capacity's own uncertainty, for the ranges: the search's bracket (a measured capacity
  // only, not a stated one) and each translation's measured error.
  const bracket =
    capacity && options.perInstanceText === undefined && capacity.sustainableRatePerSec && capacity.breakingRatePerSec
      ? {sustainableRps: capacity.sustainableRatePerSec, breakingRps: capacity.breakingRatePerSec}
      : undefined
  const sigmaOf = translationSigmas(
    {
      type: measuredOn.type,
      family: prepared.measuredRecord?.provider === provider ? prepared.measuredRecord.family : undefined,
    },
    candidates.map((c) => ({type: c.instance.type, family: c.instance.family})),
    translations,
  )
  const paths = demand.peakPaths?.[0]?.length ?? PEAK_PATHS
  const pricing = sizingPriceKind(options.pricing)
  const sized = buildCapacityPlan({
    demand: demand.months,
    ...(demand.peakPaths ? {peakPaths: demand.peakPaths} : {}),
    risk: options.risk,
    capacityFactors: capacityFactors({...(bracket ? {bracket} : {}), sigmaOf, paths, seed: UNCERTAINTY_SEED}),
    perInstanceRps,
    targetUtilization: options.targetUtilization,
    redundancy: options.redundancy,
    candidates: sloFleet ? candidates.filter((c) => !sloFleet.tooSlow.includes(c.instance.type)) : candidates,
    holdType: options.holdType,
    storage:
      storageGb > 0 && storagePrice !== undefined
        ? {
            nowGB: storageGb,
            growthPerMonth: options.storageGrowthPerMonth,
            usdPerGBMonth: storagePrice,
            kind: DEFAULT_STORAGE[provider],
          }
        : undefined,
    egress: bytesPerRequest !== undefined && egress ? {bytesPerRequest, tiers: egress.tiers} : undefined,
    // The database's instances keep their data on the same block storage as the application's.
    tiers:
      tiers?.database && storagePrice !== undefined
        ? {...tiers, database: {...tiers.database, storageUsdPerGBMonth: storagePrice}}
        : tiers,
    ...(sloFleet ? {sloFleet: sloFleet.instances} : {}),
    ...(pricing === 'on-demand' ? {} : {pricing: {kind: pricing}}),
  })
  const bought =
    options.pricing === 'mix' ? withPurchaseMix(sized, catalog, provider, region, options.redundancy) : sized
  const billed = options.bill
    ? withBillLines(bought, options.bill, {
        catalog,
        provider,
        region,
        redundancy: options.redundancy,
        bytesPerRequest,
        replication: options.replication,
        tiers,
        storageGb,
        storageGrowthPerMonth: options.storageGrowthPerMonth,
        storageUsdPerGBMonth: storagePrice,
      })
    : undefined
  const result = billed?.plan ?? bought
  if (billed) warnings.push(...billed.warnings)
  if (options.pricing === 'spot') warnings.push(SPOT_CAVEAT)
  // Every price used, with the date of its source; old ones are named on stderr.
  const dates = priceDates(catalog, {
    instances: candidates.filter((c) => result.months.some((m) => m.type === c.instance.type)).map((c) => c.instance),
    region,
    storage: storageGb > 0 && storagePrice !== undefined ? storageRecord : undefined,
    egress: bytesPerRequest !== undefined ? egress : undefined,
    network: billed?.used,
  })
  warnings.push(...stalePriceWarnings(dates, new Date(prepared.nowMs).toISOString().slice(0, 10)))
  const moved =
    basis.tiers && basis.tiers.moved.length > 0
      ? ` (named types of another cloud replaced by the cheapest ${provider} type with as many vCPUs and as much memory: ${basis.tiers.moved.join(', ')})`
      : ''
  if (tiers?.cache)
    assumptions.push(
      `cache: ${tiers.cache.nodes} × ${tiers.cache.type} in front answers ${(tiers.cache.hitRatio * 100).toFixed(0)}% of requests${tiers.database ? '' : moved}`,
    )
  if (tiers?.database)
    assumptions.push(
      `database: ${tiers.database.queriesPerRequest} queries per request, ${(tiers.database.readShare * 100).toFixed(0)}% reads on replicas (${tiers.database.readQpsPerReplica}/s each), writes on primaries (${tiers.database.writeQpsPerPrimary}/s each, ${tiers.database.maxGBPerShard} GB per shard), ${tiers.database.type}; cache and database instances are included in compute${storagePrice !== undefined ? `, the database's ${tiers.database.storageGB} GB of data${tiers.database.storageGrowthPerMonth > 0 ? ` growing ${(tiers.database.storageGrowthPerMonth * 100).toFixed(1)}%/month` : ''} in storage, once per primary and once per replica (${DEFAULT_STORAGE[provider]})` : ''}${moved}`,
    )
  if (tiers?.queue) {
    const q = tiers.queue
    assumptions.push(
      `queue: ${q.messagesPerRequest} message${q.messagesPerRequest === 1 ? '' : 's'} per request that reaches the application, ${q.serviceTimeMs} ms per message per consumer, consumers the fewest whose wait meets p${+(q.waitQuantile * 100).toFixed(2)} < ${q.waitObjectiveMs} ms in an M/M/c queue at the month's sized peak (Erlang C: Poisson arrivals, exponential service), ${q.consumersPerInstance} per ${q.type} instance (in compute)${q.partitions !== undefined ? `, at most ${q.partitions} partitions read at once` : ''}; the backlog assumes a spike of ${q.spike.factor} × the peak for ${q.spike.durationS / 60} min, drained at the peak`,
    )
    const short = result.months.find((m) => m.tiers?.queue?.partitionsNeeded !== undefined)
    if (short)
      warnings.push(
        `warning: the queue has ${q.partitions} partitions but month ${short.month} needs ${short.tiers?.queue?.partitionsNeeded} consumers: consumers beyond the partitions sit idle, so the partitions must grow first`,
      )
  }
  const measuredHost =
    measuredOn.type !== undefined
      ? `${measuredOn.type}${prepared.measuredRecord && prepared.measuredRecord.provider !== provider ? ` (${prepared.measuredRecord.provider})` : ''}`
      : calibration
        ? `a calibrated host (${calibration.cpuModel}, ${calibration.cores} vCPUs, stress-ng ${calibration.stressngVersion} ${calibration.method}: ${calibration.allCores} bogo-ops/s on all cores${calibration.contention?.corrected ? ', per CPU-second: calibrated on a busy host' : ''})`
        : `a ${measuredOn.vcpu}-vCPU host of unknown type`
  assumptions.push(
    `capacity: ${capacity?.stopReason === 'max-rate' && options.perInstanceText === undefined ? 'at least ' : ''}${perInstance} req/s per instance measured on ${measuredHost}${capacity ? ` (loadplan capacity, SLO ${capacity.slo.join(', ')})` : ''}${capacity?.coreScaling ? `; the service's serial fraction σ = ${capacity.coreScaling.serialFraction.toFixed(2)} (Amdahl, from ${capacity.coreScaling.points.map((p) => `${p.sustainableRatePerSec}/s on ${p.cpus} CPU${p.cpus === 1 ? '' : 's'}`).join(', ')})` : ''}; ${describeTranslations(translations, options.scaleFactor)}${basis.replacedWeb.some((t) => translations.get(t)?.basis === 'static-web') ? `; static-web figures limited by the benchmark itself, predicted from the next smaller type by stress-ng instead: ${basis.replacedWeb.filter((t) => translations.has(t)).join(', ')}` : ''}`,
    `nodes: ${options.reservedCpu} vCPU and ${options.reservedMemoryGiB} GiB reserved on every node for the system (--reserved-cpu, --reserved-memory), capacity scaled by the vCPUs left to the service; ${options.memoryPerInstanceGiB === undefined ? 'memory per instance not given (--memory-per-instance): types are not checked for it' : `each instance needs ${options.memoryPerInstanceGiB} GiB`}${tooSmall.length > 0 ? `; left out for memory: ${tooSmall.map((c) => `${c.instance.type} (${c.instance.memoryGiB} GiB)`).join(', ')}` : ''}; burstable types left out (sustained CPU below their vCPUs)`,
    fleetAssumption(options, {
      sloAssumption: sloFleet?.assumption,
      families,
      familyNote: basis.familyNote,
      sampled: demand.peakPaths !== undefined,
    }),
    rangeAssumption({
      paths: demand.peakPaths ? paths : undefined,
      bracket,
      stated: options.perInstanceText !== undefined || !capacity,
      translated: [...new Set(result.months.map((m) => m.type))].map((type) => ({type, sigma: sigmaOf(type)})),
    }),
    `prices: ${provider} ${region} ${PRICING_TEXT[options.pricing]}${catalog.priceBook ? ` with your price book ${catalog.priceBook.label} over it` : ''}${result.totals.onDemandComputeUsd !== undefined ? ` (compute $${result.totals.computeUsd.toFixed(2)} against $${result.totals.onDemandComputeUsd.toFixed(2)} on demand; cache and database tiers on demand)` : ''}, 730-hour months${storageGb > 0 ? `; storage ${DEFAULT_STORAGE[provider]} from ${storageGb} GB growing ${(options.storageGrowthPerMonth * 100).toFixed(1)}%/month` : ''}${bytesPerRequest !== undefined ? `; egress ${bytesPerRequest} bytes per request at the monthly mean load, in billed GB of 2^30 bytes` : ''}; dated: ${dates.map((d) => `${d.what} ${d.date} (${d.source})`).join(', ')}`,
  )
  if (billed) assumptions.push(...billed.assumptions)
  if (catalog.priceBook) assumptions.push(priceBookAssumption(catalog, result.months, provider, region, pricing))
  const doc: CapacityPlanDocument = {
    schema: PLAN_SCHEMA,
    version: PLAN_VERSION,
    provider,
    region,
    assumptions,
    plan: result,
  }
  const first = result.months[0]
  const firstCandidate = candidates.find((c) => c.instance.type === first?.type)
  const {week} = demand
  if (week && week.demand.length === WEEK_HOURS && first && firstCandidate) {
    const replay: ReplayInput = {
      demandRps: week.demand,
      plannedRps: week.planned,
      perInstanceRps: perInstanceRps[firstCandidate.instance.type] as number,
      targetUtilization: options.targetUtilization,
      minReplicas: 1,
      redundancy: options.redundancy,
      ...REPLAY_POLICY,
      priceUsdPerHour: firstCandidate.priceUsdPerHour,
    }
    doc.autoscaling = {
      type: first.type,
      week: new Date(week.startMs).toISOString(),
      // Fixed is what the plan buys for month 1 (it showed 3 where the table said 5: issue 28).
      outcomes: [replayFixed(replay, first.instances), replayReactive(replay), replayPredictive(replay)],
    }
  }
  if (options.service) doc.service = options.service
  if (demand.historyPeaks) doc.history = demand.historyPeaks
  return {doc, warnings, families}
}

/** The price book's rules, line by line, and which of them priced this plan's types. */
function priceBookAssumption(
  catalog: Catalog,
  months: ReadonlyArray<{type: string}>,
  provider: Provider,
  region: string,
  pricing: PriceKind,
): string {
  const book = catalog.priceBook as NonNullable<Catalog['priceBook']>
  const used = [...new Set(months.map((m) => m.type))]
  const applied = used.flatMap((type) => {
    const origin = findInstance(catalog, type, provider)?.priceOrigins?.[`${pricing} ${region}`]
    return origin ? [`${type} by ${origin.slice(book.label.length + 1).split(':')[0]}`] : []
  })
  return `price book ${book.label} (your prices over the catalog's; the most specific rule wins): ${book.rules.join('; ')}; this plan's ${pricing} prices in ${region}: ${applied.length > 0 ? applied.join(', ') : 'no rule reaches its types, list prices'}`
}

/**
 * The sized plan bought as a mix (purchase-mix.ts): each month's application compute becomes the
 * mix's (the cache and database tiers stay on demand), the on-demand figure kept beside it.
 * @throws InputError when the type the plan runs most has no 1-year price in the region
 */
function withPurchaseMix(
  plan: CapacityPlanResult,
  catalog: Catalog,
  provider: Provider,
  region: string,
  redundancy: Redundancy,
): CapacityPlanResult {
  const price = (type: string, kind: PriceKind) => {
    const instance = findInstance(catalog, type, provider)
    return instance ? priceOf(instance, region, kind) : undefined
  }
  const mix = purchaseMix(
    plan.months.map((m) => ({
      type: m.type,
      instances: m.instances,
      baseInstances: Math.floor(survivingInstances(m.instances, redundancy)),
      needP10: m.range.instances.p10,
    })),
    {
      onDemand: (type) => price(type, 'on-demand') as number,
      committed: (type) => price(type, '1yr'),
      spot: (type) => price(type, 'spot'),
    },
  )
  if (!mix)
    throw new InputError('Cannot plan:', [
      {
        field: '--pricing',
        value: 'mix',
        message: `a mix commits to the type the plan runs most, which has no 1-year price in ${region}: give one in a price book (--price-book, kind 1yr)`,
      },
    ])
  const months = plan.months.map((m, i) => {
    const appOnDemandUsd = m.instances * (price(m.type, 'on-demand') as number) * HOURS_PER_MONTH
    const delta = (mix.months[i] as MixCost).totalUsd - appOnDemandUsd
    return {...m, onDemandComputeUsd: m.computeUsd, computeUsd: m.computeUsd + delta, totalUsd: m.totalUsd + delta}
  })
  const delta = mix.totalUsd - mix.allOnDemandUsd
  return {
    ...plan,
    pricing: 'mix',
    purchaseMix: mix,
    months,
    totals: {
      ...plan.totals,
      onDemandComputeUsd: plan.totals.computeUsd,
      computeUsd: plan.totals.computeUsd + delta,
      totalUsd: plan.totals.totalUsd + delta,
    },
  }
}
