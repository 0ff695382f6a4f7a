/**
 * `loadplan plan`: demand (forecast of a history, or a stated growth) × the measured capacity of one
 * instance × the catalog → a monthly plan of instances and cost.
 */
import {serviceTimePercentileMs} from '../core/capacity/fleet-simulation.js'
import {latencyObjective, serviceFromCapacity, sloFleetSizer} from '../core/capacity/fleet-sizing.js'
import {parseSlo} from '../core/capacity/slo.js'
import {
  candidatesFor,
  egressFor,
  filterInstances,
  findInstance,
  priceDates,
  priceKindsIn,
  priceOfKind,
  stalePriceWarnings,
} from '../core/catalog/catalog-lookup.js'
import type {Catalog, CatalogInstance} from '../core/catalog/catalog-schema.js'
import type {PriceKind, Provider} from '../core/catalog/providers.js'
import {horizonSteps} from '../config/horizon.js'
import {resolvePlanOptions, type PlanFlags, type PlanFormat, type PlanOptions} from '../config/plan-options.js'
import type {TiersSection} from '../config/service-file.js'
import {DataError, EXIT, InputError, ProblemList} from '../contracts/errors.js'
import {forecastSeries} from '../core/forecast/forecast.js'
import {parseMonthlyRate, parseRatio} from '../contracts/parse/parse-units.js'
import {loadCatalog} from '../adapters/io/load-catalog.js'
import {readCapacityFlag} from '../adapters/io/read-result-file.js'
import {replayFixed, replayPredictive, replayReactive, type ReplayInput} from '../core/planning/autoscaling.js'
import {buildCapacityPlan, demandFromGrowth, type PlanCandidate} from '../core/planning/capacity-plan.js'
import {
  calibratedHost,
  reliableStaticWeb,
  translateCapacity,
  type Translation,
  type TypePerformance,
} from '../core/planning/translate-capacity.js'
import {findPerf, shippedPerfTable} from '../core/catalog/perf-table.js'
import {demandFromForecast} from '../core/planning/demand-from-forecast.js'
import type {Tiers} from '../core/planning/tiers.js'
import {renderPlanHtml} from '../report/plan-html.js'
import {renderPlanDocument} from '../report/plan-views.js'
import {
  PLAN_SCHEMA,
  PLAN_VERSION,
  type CapacityPlanDocument,
  type DemandMonth,
} from '../contracts/results/plan-document.js'
import type {Calibration} from '../contracts/results/calibration.js'
import type {CapacityResult} from '../contracts/results/capacity-result.js'
import {readCalibrationFlag} from '../adapters/io/read-calibration.js'
import {dailyPeaks} from '../core/series/daily-peaks.js'
import {regularise, type Observation} from '../core/series/regularise.js'
import type {AppResult} from './app-result.js'
import {checkOutputPaths, writeOutputFile} from './output-files.js'
import {readServiceFile} from './read-target.js'

export interface PlanRequest {
  /** A service file whose plan: section is read under the flags. */
  file?: string
  flags: PlanFlags
  catalog?: string
  out?: string
  html?: string
  nowMs: number
}

export interface PlanOutput {
  plan: CapacityPlanDocument
  format: PlanFormat
}

/** `loadplan plan` from its flags: the service file's plan: section under them, then the plan. */
export async function plan(request: PlanRequest): Promise<AppResult<PlanOutput>> {
  const problems = new ProblemList()
  return buildPlan(await planInput(request, problems), problems)
}

/** The request's files read and its demand forecast, for the explorer. */
export async function preparePlanRequest(request: PlanRequest): Promise<PreparedPlan> {
  const problems = new ProblemList()
  return preparePlan(await planInput(request, problems), problems)
}

/** The options of a request: its flags over its service file's plan: section. */
async function planInput(request: PlanRequest, problems: ProblemList): Promise<PlanInput> {
  const serviceFile = request.file === undefined ? undefined : await readServiceFile(request.file)
  const options = resolvePlanOptions(
    request.flags,
    {section: serviceFile?.plan, service: serviceFile?.service},
    problems,
  )
  const {flags: _flags, file: _file, ...rest} = request
  return {...rest, options}
}

export interface PlanInput {
  options: PlanOptions
  /** A CapacityResult given in-process (the demo), instead of a file or a stated rate. */
  capacityResult?: CapacityResult
  catalog?: string
  out?: string
  html?: string
  nowMs: number
}

const DEFAULT_STORAGE: Record<Provider, string> = {aws: 'ebs-gp3', gcp: 'pd-balanced', azure: 'premium-ssd-lrs'}
const BASIS_TEXT: Record<Translation['basis'], string> = {
  cores: "per-core speed and cores, through the service's measured serial fraction",
  'static-web': 'the ratio of their static-web benchmark requests/s',
  'stress-ng': 'the ratio of their stress-ng cpu scores on all cores',
  vcpu: 'the ratio of their vCPUs',
}

/** How the other types' capacities were derived, for the assumptions: each basis with the types it covered. */
function describeTranslations(translations: ReadonlyMap<string, Translation>, factorPerDoubling: number): string {
  const byBasis = new Map<Translation['basis'], string[]>()
  for (const [type, t] of translations)
    byBasis.set(t.basis, [...(byBasis.get(t.basis) ?? []), `${type} ×${t.ratio.toFixed(2)}`])
  const parts = [...byBasis].map(
    ([basis, types]) =>
      `by ${BASIS_TEXT[basis]}${basis === 'vcpu' && factorPerDoubling !== 1 ? ` (× ${factorPerDoubling} per doubling)` : ''}: ${types.join(', ')}`,
  )
  return `other types translated ${parts.join('; ')} (performance table: ${shippedPerfTable.source.repository}, ${shippedPerfTable.source.license})`
}

const PRICING_TEXT: Record<PriceKind, string> = {
  'on-demand': 'on-demand list',
  '1yr': '1-year commitment (committed use or reservation, no upfront) for the whole fleet',
  '3yr': '3-year commitment (committed use or reservation, no upfront) for the whole fleet',
  spot: 'spot for the instances above the redundancy floor, on-demand for the floor',
}
const SPOT_CAVEAT =
  "warning: spot instances can be reclaimed at short notice (seconds to two minutes) and their price moves: the plan keeps the instances that carry the load on demand and puts only the redundancy's spares on spot, so a reclaim takes the redundancy away, not the capacity, until they are replaced"

type FleetSizer = ReturnType<typeof sloFleetSizer>

/** Requests simulated per fleet size when a plan sizes by the SLO (a tenth more warm up first). */
const PLAN_SIMULATED_REQUESTS = 50_000

/**
 * `--size-by slo`: fleet sizes from a simulation of the service the capacity result measured, each
 * candidate type running it as many times faster as its translated capacity says.
 * @throws InputError without a capacity result whose steps carry histograms
 */
function sloSizing(
  options: PlanOptions,
  capacity: CapacityResult | undefined,
  perInstanceRps: Record<string, number>,
  measuredRps: number,
  sizers: Map<string, FleetSizer>,
): {instances: (type: string, rps: number) => number; tooSlow: string[]; assumption: string} {
  const measured = capacity
    ? serviceFromCapacity(capacity)
    : {error: 'needs the measured service: give --capacity cap.json from loadplan capacity'}
  if ('error' in measured)
    throw new InputError('Cannot plan:', [{field: '--size-by', message: `slo ${measured.error}`, value: 'slo'}])
  const objective =
    options.slo ??
    latencyObjective(parseSlo(capacity?.slo.join(','), undefined)) ??
    latencyObjective(parseSlo(undefined, undefined))
  if (objective === undefined)
    throw new InputError('Cannot plan:', [
      {field: '--slo', message: 'the capacity result has no latency percentile objective; give --slo "p99<250ms"'},
    ])
  const model = {
    concurrency: measured.concurrency,
    arrivalCv2: 1,
    serviceTime: measured.serviceTime,
    policy: options.balance,
    requests: PLAN_SIMULATED_REQUESTS,
    warmupRequests: PLAN_SIMULATED_REQUESTS / 10,
  }
  const speedOf = (type: string) => (perInstanceRps[type] as number) / measuredRps
  // One sizer per objective and balancer for all the plans of a prepared plan (the explorer's):
  // it remembers each fleet it simulated, keyed by the type and its speed.
  const key = `${objective.expression}|${options.balance}`
  const sizer =
    sizers.get(key) ??
    sloFleetSizer(model, objective, (typeAtSpeed) => Number(typeAtSpeed.slice(typeAtSpeed.lastIndexOf('@') + 1)), 1)
  sizers.set(key, sizer)
  // A type on which the service time alone exceeds the objective misses it at any fleet size.
  const floorMs = serviceTimePercentileMs(measured.serviceTime, objective.percentile)
  const tooSlow = Object.keys(perInstanceRps).filter((type) => floorMs / speedOf(type) >= objective.limitMs * 0.98)
  return {
    tooSlow,
    instances(type, rps) {
      const n = sizer(`${type}@${speedOf(type)}`, rps)
      if (n === undefined)
        throw new DataError(
          `no fleet of ${type} meets ${objective.expression} at ${rps.toFixed(0)} req/s in the simulation: one request alone takes too long there`,
        )
      return n
    },
    assumption: `as the smallest fleet whose simulated ${objective.expression} holds behind ${options.balance} (service time from capacity step ${measured.fromStep + 1}, ${measured.concurrency} requests at once per instance, Poisson arrivals; ${PLAN_SIMULATED_REQUESTS.toLocaleString('en')} requests per size)${tooSlow.length > 0 ? `; left out as too slow for it at any fleet size (service time alone above the objective): ${tooSlow.join(', ')}` : ''}`,
  }
}

/** Says loudly when capacity had to be carried by vCPUs, or when the measured host is only the generator's. */
function translationWarnings(input: {
  measuredOn: TypePerformance
  calibrated: boolean
  capacity: CapacityResult | undefined
  translations: ReadonlyMap<string, Translation>
}): string[] {
  const warnings: string[] = []
  const {measuredOn, capacity} = input
  if (capacity?.stopReason === 'max-rate' && capacity.sustainableRatePerSec !== null) {
    warnings.push(
      `warning: the capacity search reached its maximum rate (${capacity.settings.maxRatePerSec}/s) without breaking the SLO: ${capacity.sustainableRatePerSec}/s is a lower bound, so this plan may buy more than needed. Search higher (loadplan capacity --max-rate) for the real figure`,
    )
  }
  if (measuredOn.type === undefined && !input.calibrated) {
    const host = capacity
      ? ` (loadplan capacity recorded the host it ran on: ${capacity.host.vCpus} vCPUs, ${capacity.host.cpuModel})`
      : ''
    warnings.push(
      `warning: the type the capacity was measured on is unknown${host}; the plan assumes the service ran on a host of ${measuredOn.vcpu} vCPUs and scales by vCPUs, which can be off by 3× between types. Give --instance-type TYPE (where the service ran)`,
    )
  } else if (!measuredOn.perf)
    warnings.push(
      `warning: the performance table has no figures for ${measuredOn.type}: other types are scaled by vCPUs`,
    )
  const byVcpu = [...input.translations]
    .filter(([type, t]) => t.basis === 'vcpu' && type !== measuredOn.type)
    .map(([type]) => type)
  if (measuredOn.perf && byVcpu.length > 0)
    warnings.push(`warning: the performance table has no figures for ${byVcpu.join(', ')}: scaled by vCPUs`)
  return warnings
}

/** The autoscaling what-if replays the first forecast week, hour by hour. */
const WEEK_HOURS = 168
/** The what-if's reactive policy: HPA-like, one hour of scale-down stabilisation and a 10 % tolerance. */
const REPLAY_POLICY = {maxReplicas: 10_000, stabilizationHours: 1, tolerance: 0.1} as const

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
function parseTiers(
  t: TiersSection | undefined,
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
  return {tiers, moved}
}

interface Demand {
  months: DemandMonth[]
  /** The first forecast week (hourly histories only), for the autoscaling what-if. */
  week?: {startMs: number; demand: number[]; planned: number[]}
  historyPeaks?: Array<{t: number; peak: number}>
  assumption: string
  warnings: string[]
}

/** The demand per month; a recording is read through SQLite, which loads only then. */
async function demandOf(options: PlanOptions, nowMs: number): Promise<Demand> {
  const {demand, months} = options
  if (demand.kind === 'growth') {
    return {
      months: demandFromGrowth(
        {
          currentPeakRps: demand.peakRps,
          perMonth: demand.perMonth,
          kind: demand.growthKind,
          meanToPeak: demand.meanToPeak,
        },
        months,
        nowMs,
      ),
      assumption: `demand: peak ${demand.peakRps}/s now, growing ${(demand.perMonth * 100).toFixed(1)}% a month (${demand.growthKind}); no uncertainty band; mean load ${(demand.meanToPeak * 100).toFixed(0)}% of the peak`,
      warnings: [],
    }
  }
  let observations: Observation[]
  let source = 'the given history'
  if (demand.kind === 'history') {
    const {readSeriesCsv} = await import('../adapters/io/read-series-csv.js')
    observations = readSeriesCsv(demand.path).observations
    source = demand.path
  } else if (demand.kind === 'recording') {
    const {readRecordedMetric} = await import('../adapters/io/read-recording.js')
    observations = readRecordedMetric(demand.db, demand.metric)
    source = `${demand.metric} in ${demand.db}`
  } else observations = demand.observations
  const {series} = regularise(observations, {aggregate: options.aggregate})
  const steps = horizonSteps(`${months + 1}mo`, series.resolution) as number
  const forecast = forecastSeries(series, {horizonSteps: steps})
  const firstWeek = forecast.points.slice(0, WEEK_HOURS)
  return {
    months: demandFromForecast(forecast, months),
    week:
      series.resolution === 'hour'
        ? {
            startMs: forecast.points[0]?.timestamp ?? nowMs,
            demand: firstWeek.map((p) => p.forecast),
            planned: firstWeek.map((p) => p.hi80),
          }
        : undefined,
    historyPeaks: dailyPeaks(series.timestamps, series.values),
    assumption: `demand: forecast of ${source} (${forecast.model}, ${series.values.length} ${series.resolution}s of history); monthly hourly peak with its 80 %/95 % bands${forecast.growth ? `; fitted growth ${(forecast.growth.perMonth * 100).toFixed(1)}%/month` : ''}`,
    warnings: forecast.warnings.map((w) => `warning: ${w}`),
  }
}

/**
 * What a plan is computed from once its files are read and its demand forecast: the slow part,
 * done once. `computePlan` turns it and a choice of options into a plan in milliseconds (the
 * explorer recomputes on every key).
 */
export interface PreparedPlan {
  options: PlanOptions
  catalog: Catalog
  capacity: CapacityResult | undefined
  /** Sustainable requests/s of one instance where the capacity was measured. */
  perInstance: number
  calibration: Calibration | undefined
  /** The catalog type the capacity was measured on (of any provider), if known. */
  measuredRecord: CatalogInstance | undefined
  vcpu: number
  demand: Demand
  nowMs: number
  /** Fleet sizers by the SLO, kept across the plans computed from this one (see sloSizing). */
  sloSizers: Map<string, FleetSizer>
  /** familyChoices by provider/region, ranked once. */
  familyRankings: Map<string, FamilyChoice[]>
}

/** The types, capacities and prices one choice of provider, region and families plans with. */
interface PlanBasis {
  region: string
  families: string[]
  /** How the families were chosen, when the user did not name them. */
  familyNote?: string
  measuredOn: TypePerformance
  candidates: PlanCandidate[]
  tooSmall: PlanCandidate[]
  translations: Map<string, Translation>
  perInstanceRps: Record<string, number>
  replacedWeb: string[]
  tiers: {tiers: Tiers; moved: string[]} | undefined
}

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

export interface ComputedPlan {
  doc: CapacityPlanDocument
  warnings: string[]
  /** The families planned with (chosen when the options named none). */
  families: string[]
}

/** The plan for options already resolved (the demo builds them in code). */
export async function buildPlan(input: PlanInput, problems = new ProblemList()): Promise<AppResult<PlanOutput>> {
  const prepared = await preparePlan(input, problems)
  const {doc, warnings} = computePlan(prepared, prepared.options)
  warnings.push(...writePlanFiles(doc, prepared.options.format, input))
  return {document: {plan: doc, format: prepared.options.format}, warnings, exitCode: EXIT.ok}
}

/** Writes --html and --out (JSON for the table format, else the text stdout gets); returns the failures. */
export function writePlanFiles(
  doc: CapacityPlanDocument,
  format: PlanFormat,
  files: {out?: string; html?: string},
): string[] {
  return [
    writeOutputFile(files.html, () => renderPlanHtml(doc)),
    writeOutputFile(files.out, () => renderPlanDocument(doc, format === 'table' ? 'json' : format)),
  ].filter((f) => f !== undefined)
}

/**
 * Reads and checks everything the options name (capacity, calibration, catalog, the measured
 * type, the families and tiers), every problem at once, then forecasts the demand.
 * @throws InputError listing every problem
 */
export async function preparePlan(input: PlanInput, problems = new ProblemList()): Promise<PreparedPlan> {
  const {options} = input
  checkOutputPaths(
    [
      ['--out', input.out],
      ['--html', input.html],
    ],
    problems,
  )

  // Capacity of one instance.
  const capacity =
    options.capacityFile !== undefined ? await readCapacityFlag(options.capacityFile, problems) : input.capacityResult
  const perInstance =
    options.perInstanceText !== undefined ? options.perInstanceRps : (capacity?.sustainableRatePerSec ?? undefined)
  if (options.perInstanceText !== undefined && !(perInstance && perInstance > 0))
    problems.add('--per-instance', 'expected a rate such as 450/s', options.perInstanceText)
  if (perInstance === undefined && options.perInstanceText === undefined)
    problems.add('--per-instance', 'give --capacity cap.json (with a sustainable rate) or --per-instance 450/s')
  problems.throwIfAny('Cannot plan:')

  let calibration = await readCalibrationFlag(options.calibrationFile, '--calibration', options.instanceType, problems)
  const catalog = await loadCatalog(input.catalog)
  // The service's host: --calibration or --instance-type, else what the capacity result recorded.
  if (!calibration && options.instanceType === undefined && capacity?.serviceHost)
    calibration = capacity.serviceHost.calibration
  const measuredType = calibration ? undefined : (options.instanceType ?? capacity?.host.instanceType)
  // The measured type may be of another cloud than the plan's: capacity carries across through
  // the performance table, which measured all three the same way.
  const measuredRecord = measuredType
    ? (findInstance(catalog, measuredType, options.provider) ?? findInstance(catalog, measuredType))
    : undefined
  const vcpu =
    options.vcpus !== undefined ? options.vcpus : (measuredRecord?.vcpu ?? calibration?.cores ?? capacity?.host.vCpus)
  if (measuredType && !measuredRecord)
    problems.add('--instance-type', `not in the catalog (${options.provider} or another provider)`, measuredType)
  if (!(vcpu && vcpu > 0))
    problems.add('--vcpus', 'the measured instance size is unknown: give --instance-type or --vcpus')
  problems.throwIfAny('Cannot plan:')
  const prepared: PreparedPlan = {
    options,
    catalog,
    capacity,
    perInstance: perInstance as number,
    calibration,
    measuredRecord,
    vcpu: vcpu as number,
    demand: {months: [], assumption: '', warnings: []},
    nowMs: input.nowMs,
    sloSizers: new Map(),
    familyRankings: new Map(),
  }
  planBasis(prepared, options, problems)
  problems.throwIfAny('Cannot plan:')
  prepared.demand = await demandOf(options, input.nowMs)
  return prepared
}

const PLANNED_CLASSES = ['general', 'compute', 'memory'] as const

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
function translateAll(
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
function tooSmallForNode(instance: CatalogInstance, options: PlanOptions): boolean {
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
function chooseFamilies(
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

/** The candidates and capacities of one choice; adds what is wrong with it to `problems`. */
function planBasis(prepared: PreparedPlan, options: PlanOptions, problems: ProblemList): PlanBasis {
  const {catalog, measuredRecord} = prepared
  const {provider} = options
  const region = options.region ?? catalog.defaultRegions[provider]
  const tiers = parseTiers(options.tiers, catalog, provider, region, problems)
  const {families, note} = chooseFamilies(prepared, options, region)
  if (families.length === 0)
    problems.add(
      '--family',
      'give the families to plan with, e.g. --family c7g,m7g (or --instance-type, whose family is the default)',
    )
  // Burstable types are left out: their sustained CPU is a fraction of their vCPUs (the credit
  // model), so a capacity measured at full speed would overstate them.
  const priced =
    families.length === 0
      ? []
      : candidatesFor(catalog, {provider, region, vcpu: 1, memoryGiB: 0, families, classes: PLANNED_CLASSES})
  const memoryNeedGiB = (options.memoryPerInstanceGiB ?? 0) + options.reservedMemoryGiB
  const tooSmall = priced
    .filter((c) => tooSmallForNode(c.instance, options))
    .map((c) => ({instance: c.instance, priceUsdPerHour: c.priceUsdPerHour}))
  const kinds = priceKindsIn(catalog, provider, region)
  if (!kinds.includes(options.pricing))
    problems.add(
      '--pricing',
      `the catalog has no ${options.pricing} prices for ${provider} ${region} (it has ${kinds.join(', ')})`,
      options.pricing,
    )
  // A commitment plans with the types that have its price; spot falls back to on-demand for spares of types without one.
  const kindPrice = (c: (typeof priced)[number]) =>
    options.pricing === 'on-demand'
      ? undefined
      : (priceOfKind(c.instance, region, options.pricing) ??
        (options.pricing === 'spot' ? c.priceUsdPerHour : undefined))
  const candidates = priced
    .filter(
      (c) => !tooSmallForNode(c.instance, options) && (options.pricing === 'on-demand' || kindPrice(c) !== undefined),
    )
    .map((c) => ({
      instance: c.instance,
      priceUsdPerHour: c.priceUsdPerHour,
      ...(options.pricing === 'on-demand' ? {} : {pricedUsdPerHour: kindPrice(c) as number}),
    }))
  if (candidates.length === 0 && families.length > 0 && kinds.includes(options.pricing)) {
    const known = filterInstances(catalog, {provider, families})
    const burstable = known.length > 0 && known.every((i) => i.class === 'burstable')
    const message = burstable
      ? `${families.join(', ')} ${families.length === 1 ? 'is' : 'are'} burstable: plans leave burstable types out (their sustained CPU is a fraction of their vCPUs); choose a general, compute or memory family`
      : tooSmall.length > 0
        ? `no ${families.join(', ')} type has ${memoryNeedGiB} GiB of memory (${options.memoryPerInstanceGiB ?? 0} GiB per instance + ${options.reservedMemoryGiB} GiB reserved)`
        : known.length > 0
          ? `no ${families.join(', ')} type has a price in ${region}`
          : `no such family in the ${provider} catalog${measuredRecord && measuredRecord.provider !== provider ? ` (the measured ${measuredRecord.type} is ${measuredRecord.provider}: name ${provider} families)` : ''}`
    problems.add('--family', message, families.join(','))
  }
  const {measuredOn, translations, perInstanceRps, replacedWeb} = translateAll(
    prepared,
    options,
    candidates.map((c) => c.instance),
  )
  return {
    region,
    families,
    ...(note ? {familyNote: note} : {}),
    measuredOn,
    candidates,
    tooSmall,
    translations,
    perInstanceRps,
    replacedWeb,
    tiers,
  }
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
  if (storageGb > 0 && storagePrice === undefined)
    warnings.push(`warning: the catalog has no ${DEFAULT_STORAGE[provider]} price for ${region}; storage is left out`)
  const result = buildCapacityPlan({
    demand: demand.months,
    perInstanceRps,
    targetUtilization: options.targetUtilization,
    redundancy: options.redundancy,
    sizeOn: options.sizeOn,
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
    tiers,
    ...(sloFleet ? {sloFleet: sloFleet.instances} : {}),
    ...(options.pricing === 'on-demand' ? {} : {pricing: {kind: options.pricing}}),
  })
  if (options.pricing === 'spot') warnings.push(SPOT_CAVEAT)
  // Every price used, with the date of its source; old ones are named on stderr.
  const dates = priceDates(catalog, {
    instances: candidates.filter((c) => result.months.some((m) => m.type === c.instance.type)).map((c) => c.instance),
    storage: storageGb > 0 && storagePrice !== undefined ? storageRecord : undefined,
    egress: bytesPerRequest !== undefined ? egress : undefined,
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
      `database: ${tiers.database.queriesPerRequest} queries per request, ${(tiers.database.readShare * 100).toFixed(0)}% reads on replicas (${tiers.database.readQpsPerReplica}/s each), writes on primaries (${tiers.database.writeQpsPerPrimary}/s each, ${tiers.database.maxGBPerShard} GB per shard), ${tiers.database.type}; cache and database cost is included in compute${moved}`,
    )
  const measuredHost =
    measuredOn.type !== undefined
      ? `${measuredOn.type}${prepared.measuredRecord && prepared.measuredRecord.provider !== provider ? ` (${prepared.measuredRecord.provider})` : ''}`
      : calibration
        ? `a calibrated host (${calibration.cpuModel}, ${calibration.cores} vCPUs, stress-ng ${calibration.stressngVersion} ${calibration.method}: ${calibration.allCores} bogo-ops/s on all cores)`
        : `a ${measuredOn.vcpu}-vCPU host of unknown type`
  assumptions.push(
    `capacity: ${capacity?.stopReason === 'max-rate' && options.perInstanceText === undefined ? 'at least ' : ''}${perInstance} req/s per instance measured on ${measuredHost}${capacity ? ` (loadplan capacity, SLO ${capacity.slo.join(', ')})` : ''}${capacity?.coreScaling ? `; the service's serial fraction σ = ${capacity.coreScaling.serialFraction.toFixed(2)} (Amdahl, from ${capacity.coreScaling.points.map((p) => `${p.sustainableRatePerSec}/s on ${p.cpus} CPU${p.cpus === 1 ? '' : 's'}`).join(', ')})` : ''}; ${describeTranslations(translations, options.scaleFactor)}${basis.replacedWeb.some((t) => translations.get(t)?.basis === 'static-web') ? `; static-web figures limited by the benchmark itself, predicted from the next smaller type by stress-ng instead: ${basis.replacedWeb.filter((t) => translations.has(t)).join(', ')}` : ''}`,
    `nodes: ${options.reservedCpu} vCPU and ${options.reservedMemoryGiB} GiB reserved on every node for the system (--reserved-cpu, --reserved-memory), capacity scaled by the vCPUs left to the service; ${options.memoryPerInstanceGiB === undefined ? 'memory per instance not given (--memory-per-instance): types are not checked for it' : `each instance needs ${options.memoryPerInstanceGiB} GiB`}${tooSmall.length > 0 ? `; left out for memory: ${tooSmall.map((c) => `${c.instance.type} (${c.instance.memoryGiB} GiB)`).join(', ')}` : ''}; burstable types left out (sustained CPU below their vCPUs)`,
    `fleet: sized for the ${options.sizeOn === 'peak' ? 'forecast peak' : `${options.sizeOn.slice(2)} % upper band of the peak`} ${sloFleet ? sloFleet.assumption : `at ${(options.targetUtilization * 100).toFixed(0)}% utilisation`}, redundancy ${options.redundancyText}; ${options.holdType ? 'one type held all horizon' : 'the cheapest type each month'} among ${families.join(', ')}${basis.familyNote ? ` (${basis.familyNote})` : ''}`,
    `prices: ${provider} ${region} ${PRICING_TEXT[options.pricing]}${result.totals.onDemandComputeUsd !== undefined ? ` (compute $${result.totals.computeUsd.toFixed(2)} against $${result.totals.onDemandComputeUsd.toFixed(2)} on demand; cache and database tiers on demand)` : ''}, 730-hour months${storageGb > 0 ? `; storage ${DEFAULT_STORAGE[provider]} from ${storageGb} GB growing ${(options.storageGrowthPerMonth * 100).toFixed(1)}%/month` : ''}${bytesPerRequest !== undefined ? `; egress ${bytesPerRequest} bytes per request at the monthly mean load` : ''}; dated: ${dates.map((d) => `${d.what} ${d.date} (${d.source})`).join(', ')}`,
  )
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
      minReplicas: 1 + (options.redundancy.kind === 'n+k' ? options.redundancy.spare : 0),
      ...REPLAY_POLICY,
      priceUsdPerHour: firstCandidate.priceUsdPerHour,
    }
    doc.autoscaling = {
      type: first.type,
      week: new Date(week.startMs).toISOString(),
      outcomes: [replayFixed(replay), replayReactive(replay), replayPredictive(replay)],
    }
  }
  if (options.service) doc.service = options.service
  if (demand.historyPeaks) doc.history = demand.historyPeaks
  return {doc, warnings, families}
}
