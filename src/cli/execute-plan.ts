/** `loadplan plan`: demand (forecast or growth model) × measured capacity × catalog → monthly plan. */
import {candidatesFor, egressFor, filterInstances, findInstance} from '../catalog/catalog-lookup.js'
import {PROVIDERS, type Catalog, type Provider} from '../catalog/catalog-schema.js'
import type {Tiers} from '../planning/tiers.js'
import {horizonSteps} from '../config/horizon.js'
import {parseMonthlyRate, parseRatePerSec, parseRatio} from '../config/units.js'
import {ProblemList} from '../errors.js'
import {forecastSeries} from '../forecast/forecast.js'
import {loadCatalog} from '../io/load-catalog.js'
import {readResultFile} from '../io/read-result-file.js'
import {readSeriesCsv} from '../io/read-series-csv.js'
import {buildCapacityPlan, demandFromGrowth, scaledThroughput, type DemandMonth, type MeasuredCapacity, type Redundancy, type ScalingModel} from '../planning/capacity-plan.js'
import {demandFromForecast} from '../planning/demand-from-forecast.js'
import {replayFixed, replayPredictive, replayReactive, type ReplayInput} from '../planning/autoscaling.js'
import {renderPlanHtml} from '../report/plan-html.js'
import {PLAN_SCHEMA, PLAN_VERSION, planToCsv, planToMarkdown, renderPlan, type CapacityPlanDocument} from '../report/plan-views.js'
import type {CapacityResult} from '../report/capacity-result.js'
import {regularise, type Observation} from '../series/regularise.js'
import {readRecordedMetric} from '../io/read-recording.js'
import {EXIT} from './exit-codes.js'
import {checkOutputPaths, writeOutputFile} from './report-files.js'
import {reportError} from './report-error.js'

export interface ExecutePlanInput {
  history?: string
  recording?: string
  metric: string
  aggregate: string
  growth?: string
  growthKind: string
  peak?: string
  meanToPeak: string
  capacity?: string
  perInstance?: string
  instanceType?: string
  vcpus?: string
  provider: string
  region?: string
  families?: string[]
  targetUtilization: string
  redundancy: string
  sizeOn: string
  months: string
  holdType: boolean
  scaling?: string
  scaleFactor: string
  storageGb: string
  storageGrowth: string
  bytesPerRequest?: string
  catalog?: string
  format: string
  out?: string
  html?: string
  service?: string
  /** The plan.tiers section of the service file, as written. */
  tiers?: unknown
  /** A CapacityResult given directly (the demo). */
  capacityResult?: CapacityResult
  /** Observations given directly (the demo). */
  observations?: Observation[]
  nowMs: number
}

const DEFAULT_STORAGE: Record<Provider, string> = {aws: 'ebs-gp3', gcp: 'pd-balanced', azure: 'premium-ssd-lrs'}

/** `18kB`, `2MB`, `512B`, `1KiB` → bytes. */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?\s*$/.exec(text)
  if (!m) return undefined
  const unit: Record<string, number> = {B: 1, kB: 1e3, KB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3}
  return Number(m[1]) * (unit[m[2] ?? 'B'] as number)
}

export function parseRedundancy(text: string): Redundancy | undefined {
  const spare = /^n\+(\d)$/.exec(text.trim())
  if (spare) return {kind: 'n+k', spare: Number(spare[1])}
  const zones = /^zones:(\d+)$/.exec(text.trim())
  if (zones && Number(zones[1]) >= 2) return {kind: 'zones', zones: Number(zones[1])}
  if (text.trim() === 'none') return {kind: 'n+k', spare: 0}
  return undefined
}

interface RawTiers {
  cache?: {hitRatio?: number | string; nodes?: number; instanceType?: string}
  database?: {queriesPerRequest?: number; readShare?: number | string; writeQpsPerPrimary?: number; readQpsPerReplica?: number; maxGBPerShard?: number; storageGB?: number; storageGrowth?: string; instanceType?: string}
}

/** Reads plan.tiers from the service file, pricing each tier's type from the catalog. */
function parseTiers(raw: unknown, catalog: Catalog, provider: Provider, region: string, problems: ProblemList): Tiers | undefined {
  if (raw === undefined) return undefined
  const t = raw as RawTiers
  const tiers: Tiers = {}
  const price = (field: string, type: string | undefined) => {
    const instance = type ? findInstance(catalog, type, provider) : undefined
    const p = instance?.priceUsdPerHour[region]
    if (p === undefined) problems.add(field, `expected an instance type priced in ${provider} ${region}, e.g. r7g.large`, type)
    return p ?? 0
  }
  const positive = (field: string, value: unknown) => {
    const n = typeof value === 'string' ? parseRatio(value) : typeof value === 'number' ? value : undefined
    if (n === undefined || !(n > 0)) problems.add(field, 'expected a positive number', value)
    return n ?? 1
  }
  if (t.cache) {
    const hitRatio = typeof t.cache.hitRatio === 'string' ? parseRatio(t.cache.hitRatio) : t.cache.hitRatio
    if (hitRatio === undefined || hitRatio < 0 || hitRatio >= 1) problems.add('plan.tiers.cache.hitRatio', 'expected a share below 100%, e.g. 80%', t.cache.hitRatio)
    tiers.cache = {hitRatio: hitRatio ?? 0, nodes: positive('plan.tiers.cache.nodes', t.cache.nodes ?? 2), type: t.cache.instanceType ?? '', priceUsdPerHour: price('plan.tiers.cache.instanceType', t.cache.instanceType)}
  }
  if (t.database) {
    const d = t.database
    const readShare = typeof d.readShare === 'string' ? parseRatio(d.readShare) : d.readShare
    if (readShare === undefined || readShare < 0 || readShare > 1) problems.add('plan.tiers.database.readShare', 'expected a share such as 90%', d.readShare)
    tiers.database = {
      queriesPerRequest: positive('plan.tiers.database.queriesPerRequest', d.queriesPerRequest),
      readShare: readShare ?? 0,
      writeQpsPerPrimary: positive('plan.tiers.database.writeQpsPerPrimary', d.writeQpsPerPrimary),
      readQpsPerReplica: positive('plan.tiers.database.readQpsPerReplica', d.readQpsPerReplica),
      maxGBPerShard: positive('plan.tiers.database.maxGBPerShard', d.maxGBPerShard ?? 2000),
      storageGB: positive('plan.tiers.database.storageGB', d.storageGB ?? 100),
      storageGrowthPerMonth: parseMonthlyRate(d.storageGrowth ?? '0%') ?? 0,
      type: d.instanceType ?? '',
      priceUsdPerHour: price('plan.tiers.database.instanceType', d.instanceType),
    }
  }
  return tiers
}

export async function executePlan(input: ExecutePlanInput): Promise<number> {
  try {
    const problems = new ProblemList()
    const provider = input.provider as Provider
    if (!(PROVIDERS as readonly string[]).includes(input.provider)) problems.add('--provider', `expected one of ${PROVIDERS.join(', ')}`, input.provider)
    const months = Number(input.months)
    if (!Number.isInteger(months) || months < 1 || months > 60) problems.add('--months', 'expected a whole number of months from 1 to 60', input.months)
    const target = parseRatio(input.targetUtilization)
    if (target === undefined || target <= 0 || target > 1) problems.add('--target-utilization', 'expected a percentage such as 70%', input.targetUtilization)
    const redundancy = parseRedundancy(input.redundancy)
    if (!redundancy) problems.add('--redundancy', 'expected n+1, n+2, none or zones:3', input.redundancy)
    if (!['peak', 'hi80', 'hi95'].includes(input.sizeOn)) problems.add('--size-on', 'expected peak, hi80 or hi95', input.sizeOn)
    if (!['table', 'json', 'csv', 'markdown'].includes(input.format)) problems.add('--format', 'expected table, json, csv or markdown', input.format)
    const sources = [input.history, input.recording, input.growth, input.observations].filter((s) => s !== undefined).length
    if (sources !== 1) problems.add('demand', 'give exactly one of --history CSV, --recording DB or --growth 8%/mo (with --peak)')
    let growthPerMonth: number | undefined
    if (input.growth !== undefined) {
      growthPerMonth = parseMonthlyRate(input.growth)
      if (growthPerMonth === undefined) problems.add('--growth', 'expected a monthly growth such as 8%/mo', input.growth)
      if (input.peak === undefined) problems.add('--peak', 'with --growth give the current peak, e.g. --peak 300/s')
    }
    const peak = input.peak === undefined ? undefined : parseRatePerSec(input.peak)
    if (input.peak !== undefined && !(peak && peak > 0)) problems.add('--peak', 'expected a rate such as 300/s', input.peak)
    if (!['compound', 'linear'].includes(input.growthKind)) problems.add('--growth-kind', 'expected compound or linear', input.growthKind)
    const meanToPeak = parseRatio(input.meanToPeak)
    if (meanToPeak === undefined || meanToPeak <= 0 || meanToPeak > 1) problems.add('--mean-to-peak', 'expected a percentage such as 50%', input.meanToPeak)
    const storageGb = Number(input.storageGb)
    if (!(storageGb >= 0)) problems.add('--storage-gb', 'expected GB as a number ≥ 0', input.storageGb)
    const storageGrowth = parseMonthlyRate(input.storageGrowth)
    if (storageGrowth === undefined) problems.add('--storage-growth', 'expected a monthly growth such as 5%/mo', input.storageGrowth)
    const bytesPerRequest = input.bytesPerRequest === undefined ? undefined : parseBytes(input.bytesPerRequest)
    if (input.bytesPerRequest !== undefined && bytesPerRequest === undefined) problems.add('--bytes-per-request', 'expected a size such as 18kB', input.bytesPerRequest)
    const scaleFactor = Number(input.scaleFactor)
    if (!(scaleFactor > 0 && scaleFactor <= 1.5)) problems.add('--scale-factor', 'expected a factor per doubling of vCPUs such as 0.9 (1 = linear)', input.scaleFactor)
    checkOutputPaths(
      [
        ['--out', input.out],
        ['--html', input.html],
      ],
      problems,
    )

    // Capacity of one instance.
    let capacity = input.capacityResult
    if (input.capacity !== undefined) {
      const saved = readResultFile(input.capacity)
      if ('error' in saved) problems.add('--capacity', saved.error, input.capacity)
      else if (saved.kind !== 'capacity') problems.add('--capacity', 'is a run result; give a CapacityResult from loadplan capacity --out', input.capacity)
      else capacity = saved.result
    }
    const perInstance = input.perInstance !== undefined ? parseRatePerSec(input.perInstance) : capacity?.sustainableRatePerSec ?? undefined
    if (input.perInstance !== undefined && !(perInstance && perInstance > 0)) problems.add('--per-instance', 'expected a rate such as 450/s', input.perInstance)
    if (perInstance === undefined && input.perInstance === undefined) problems.add('--per-instance', 'give --capacity cap.json (with a sustainable rate) or --per-instance 450/s')
    problems.throwIfAny('Cannot plan:')

    const catalog = loadCatalog(input.catalog)
    const region = input.region ?? catalog.defaultRegions[provider]
    const tiers = parseTiers(input.tiers, catalog, provider, region, problems)
    const measuredType = input.instanceType ?? capacity?.host.instanceType
    const typeRecord = measuredType ? findInstance(catalog, measuredType, provider) : undefined
    const vcpu = input.vcpus !== undefined ? Number(input.vcpus) : typeRecord?.vcpu ?? capacity?.host.vCpus
    if (measuredType && !typeRecord) problems.add('--instance-type', `not in the ${provider} catalog`, measuredType)
    if (!(vcpu && vcpu > 0)) problems.add('--vcpus', 'the measured instance size is unknown: give --instance-type or --vcpus')
    const families = input.families?.flatMap((f) => f.split(',')) ?? (typeRecord ? [typeRecord.family] : [])
    if (families.length === 0) problems.add('--family', 'give the families to plan with, e.g. --family c7g,m7g (or --instance-type, whose family is the default)')
    problems.throwIfAny('Cannot plan:')
    const measured: MeasuredCapacity = {ratePerSec: perInstance as number, vcpu: vcpu as number}
    if (typeRecord) measured.type = typeRecord.type
    const fit = capacity?.usl?.fit
    const scaling: ScalingModel = (input.scaling ?? (fit ? 'usl' : 'linear')) === 'usl' && fit ? {kind: 'usl', sigma: fit.sigma, kappa: fit.kappa} : {kind: 'linear', factorPerDoubling: scaleFactor}
    const candidates = candidatesFor(catalog, {provider, region, vcpu: 1, memoryGiB: 0, families, classes: ['general', 'compute', 'memory', 'burstable']}).map((c) => ({instance: c.instance, priceUsdPerHour: c.priceUsdPerHour}))
    if (candidates.length === 0) {
      const known = filterInstances(catalog, {provider, families}).length
      problems.add('--family', known > 0 ? `no ${families.join(', ')} type has a price in ${region}` : `no such family in the ${provider} catalog`, families.join(','))
      problems.throwIfAny('Cannot plan:')
    }

    // Demand.
    const assumptions: string[] = []
    let demand: DemandMonth[]
    let week: {startMs: number; demand: number[]; planned: number[]} | undefined
    let historyPeaks: Array<{t: number; peak: number}> | undefined
    if (growthPerMonth !== undefined) {
      demand = demandFromGrowth({currentPeakRps: peak as number, perMonth: growthPerMonth, kind: input.growthKind as 'compound' | 'linear', meanToPeak: meanToPeak as number}, months, input.nowMs)
      assumptions.push(`demand: peak ${peak}/s now, growing ${(growthPerMonth * 100).toFixed(1)}% a month (${input.growthKind}); no uncertainty band; mean load ${((meanToPeak as number) * 100).toFixed(0)}% of the peak`)
    } else {
      let observations = input.observations
      let source = 'the given history'
      if (input.history !== undefined) {
        observations = readSeriesCsv(input.history).observations
        source = input.history
      } else if (input.recording !== undefined) {
        observations = readRecordedMetric(input.recording, input.metric)
        source = `${input.metric} in ${input.recording}`
      }
      const {series} = regularise(observations ?? [], {aggregate: input.aggregate as 'sum' | 'mean'})
      const daily = new Map<number, number>()
      series.timestamps.forEach((t, i) => {
        const v = series.values[i] as number
        const d = Math.floor(t / 86_400_000) * 86_400_000
        if (Number.isFinite(v)) daily.set(d, Math.max(daily.get(d) ?? 0, v))
      })
      historyPeaks = [...daily.entries()].map(([t, peak]) => ({t, peak}))
      const steps = horizonSteps(`${months + 1}mo`, series.resolution) as number
      const forecast = forecastSeries(series, {horizonSteps: steps})
      for (const warning of forecast.warnings) process.stderr.write(`warning: ${warning}\n`)
      demand = demandFromForecast(forecast, months)
      if (series.resolution === 'hour') week = {startMs: forecast.points[0]?.timestamp ?? input.nowMs, demand: forecast.points.slice(0, 168).map((p) => p.forecast), planned: forecast.points.slice(0, 168).map((p) => p.hi80)}
      assumptions.push(`demand: forecast of ${source} (${forecast.model}, ${series.values.length} ${series.resolution}s of history); monthly hourly peak with its 80 %/95 % bands${forecast.growth ? `; fitted growth ${(forecast.growth.perMonth * 100).toFixed(1)}%/month` : ''}`)
    }
    const storagePrice = catalog.storage.find((s) => s.provider === provider && s.kind === DEFAULT_STORAGE[provider])?.usdPerGBMonth[region]
    const egress = bytesPerRequest === undefined ? undefined : egressFor(catalog, provider, region)
    if (bytesPerRequest !== undefined && !egress) process.stderr.write(`warning: the catalog has no internet egress prices for ${provider} ${region}; egress is left out\n`)
    if (storageGb > 0 && storagePrice === undefined) process.stderr.write(`warning: the catalog has no ${DEFAULT_STORAGE[provider]} price for ${region}; storage is left out\n`)
    const plan = buildCapacityPlan({
      demand,
      measured,
      scaling,
      targetUtilization: target as number,
      redundancy: redundancy as Redundancy,
      sizeOn: input.sizeOn as 'peak' | 'hi80' | 'hi95',
      candidates,
      holdType: input.holdType,
      storage: storageGb > 0 && storagePrice !== undefined ? {nowGB: storageGb, growthPerMonth: storageGrowth as number, usdPerGBMonth: storagePrice, kind: DEFAULT_STORAGE[provider]} : undefined,
      egress: bytesPerRequest !== undefined && egress ? {bytesPerRequest, tiers: egress.tiers} : undefined,
      tiers,
    })
    if (tiers?.cache) assumptions.push(`cache: ${tiers.cache.nodes} × ${tiers.cache.type} in front answers ${(tiers.cache.hitRatio * 100).toFixed(0)}% of requests`)
    if (tiers?.database) assumptions.push(`database: ${tiers.database.queriesPerRequest} queries per request, ${(tiers.database.readShare * 100).toFixed(0)}% reads on replicas (${tiers.database.readQpsPerReplica}/s each), writes on primaries (${tiers.database.writeQpsPerPrimary}/s each, ${tiers.database.maxGBPerShard} GB per shard), ${tiers.database.type}; cache and database cost is included in compute`)
    assumptions.push(
      `capacity: ${perInstance} req/s per instance measured on ${measured.type ?? `a ${measured.vcpu}-vCPU host`}${capacity ? ` (loadplan capacity, SLO ${capacity.slo.join(', ')})` : ''}; other sizes scaled by vCPUs ${scaling.kind === 'usl' ? `with the fitted USL (σ ${scaling.sigma.toFixed(4)}, κ ${scaling.kappa.toExponential(2)})` : scaling.factorPerDoubling === 1 ? 'linearly' : `× ${scaling.factorPerDoubling} per doubling`}`,
      `fleet: sized for the ${input.sizeOn === 'peak' ? 'forecast peak' : `${input.sizeOn.slice(2)} % upper band of the peak`} at ${((target as number) * 100).toFixed(0)}% utilisation, redundancy ${input.redundancy}; ${input.holdType ? 'one type held all horizon' : 'the cheapest type each month'} among ${families.join(', ')}`,
      `prices: ${provider} ${region} on-demand list, catalog as of ${catalog.pricesAsOf}, 730-hour months${storageGb > 0 ? `; storage ${DEFAULT_STORAGE[provider]} from ${storageGb} GB growing ${((storageGrowth as number) * 100).toFixed(1)}%/month` : ''}${bytesPerRequest !== undefined ? `; egress ${bytesPerRequest} bytes per request at the monthly mean load` : ''}`,
    )
    const doc: CapacityPlanDocument = {schema: PLAN_SCHEMA, version: PLAN_VERSION, provider, region, assumptions, plan}
    const first = plan.months[0]
    const firstCandidate = candidates.find((c) => c.instance.type === first?.type)
    if (week && week.demand.length === 168 && first && firstCandidate) {
      const replay: ReplayInput = {
        demandRps: week.demand,
        plannedRps: week.planned,
        perInstanceRps: scaledThroughput(measured, firstCandidate.instance.vcpu, scaling),
        targetUtilization: target as number,
        minReplicas: 1 + (redundancy?.kind === 'n+k' ? redundancy.spare : 0),
        maxReplicas: 10_000,
        stabilizationHours: 1,
        tolerance: 0.1,
        priceUsdPerHour: firstCandidate.priceUsdPerHour,
      }
      doc.autoscaling = {type: first.type, week: new Date(week.startMs).toISOString(), outcomes: [replayFixed(replay), replayReactive(replay), replayPredictive(replay)]}
    }
    if (input.service) doc.service = input.service
    if (historyPeaks) doc.history = historyPeaks
    const text = input.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : input.format === 'csv' ? planToCsv(doc) : input.format === 'markdown' ? planToMarkdown(doc) : renderPlan(doc)
    writeOutputFile(input.html, () => renderPlanHtml(doc))
    writeOutputFile(input.out, () => (input.format === 'table' ? `${JSON.stringify(doc, null, 2)}\n` : text))
    process.stdout.write(text)
    return EXIT.ok
  } catch (error) {
    if (error instanceof RangeError) {
      process.stderr.write(`Cannot plan: ${error.message}\n`)
      return EXIT.badInput
    }
    return reportError(error)
  }
}
