/**
 * The serverless alternative to the plan's fleet: AWS Lambda, Google Cloud Run and Azure Functions
 * priced month by month from the plan's requests, the service's mean service time and a stated
 * memory size; the concurrency the peak needs (Little's law) against each platform's default
 * limit; cold starts estimated from the daily ramp and the idle gaps; and the monthly load above
 * which the instances are cheaper. Plain data in, plain data out.
 */
import {egressCostUsd, findInstance, priceOf} from '../catalog/catalog-lookup.js'
import type {Catalog} from '../catalog/catalog-schema.js'
import {HOURS_PER_MONTH} from '../catalog/providers.js'
import type {
  CapacityPlanDocument,
  ServerlessPlatformPlan,
  ServerlessSection,
} from '../../contracts/results/plan-document.js'
import {instancesFor, type Redundancy} from './capacity-plan.js'

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24

export const SERVERLESS_PLATFORM_IDS = ['aws-lambda', 'gcp-cloud-run', 'azure-functions'] as const
export type ServerlessPlatformId = (typeof SERVERLESS_PLATFORM_IDS)[number]

/** A platform's list prices, free grant and billing rules: stated figures with their sources. */
export interface ServerlessPrices {
  name: string
  requestUsdPerMillion: number
  /** Per GB-second (Lambda, Functions), in tiers of GB-seconds a month. */
  gbSecondTiers?: Array<{upToGB: number | null; usdPerGB: number}>
  /** Cloud Run: per vCPU-second and per GiB-second of instance time. */
  vcpuSecondUsd?: number
  gibSecondUsd?: number
  /** vCPUs per instance (Cloud Run). */
  vcpu?: number
  free: {requests: number; gbSeconds?: number; vcpuSeconds?: number; gibSeconds?: number}
  /** Each request's billed duration: rounded up to this step, at least the minimum. */
  durationStepMs: number
  minDurationMs: number
  /** Billed memory: rounded up to this step (MB), at least the minimum. */
  memoryStepMB: number
  minMemoryMB: number
  /** Concurrent executions a new account or service gets by default (requests in flight). */
  concurrencyLimit: number
  limitNote: string
  source: string
}

/**
 * List prices in US regions (AWS us-east-1, Cloud Run tier 1, Azure East US). Lambda's request and
 * GB-second tiers and Azure's are in infracost's golden test files (lambda_function_test.golden @
 * 01c59b17, function_app_test.golden @ 027bec33); Cloud Run's tier-2 prices are in
 * cloud_run_v2_service_test.golden @ 3a74ef4a and tier 1 is 1/1.4 of them, as Google's page lists.
 * Free grants and default limits are the providers' pricing and quota pages (stated, 2024–2026).
 */
export const SERVERLESS_PRICES: Record<ServerlessPlatformId, ServerlessPrices> = {
  'aws-lambda': {
    name: 'AWS Lambda (x86)',
    requestUsdPerMillion: 0.2,
    gbSecondTiers: [
      {upToGB: 6e9, usdPerGB: 0.0000166667},
      {upToGB: 15e9, usdPerGB: 0.000015},
      {upToGB: null, usdPerGB: 0.0000133334},
    ],
    free: {requests: 1_000_000, gbSeconds: 400_000},
    durationStepMs: 1,
    minDurationMs: 1,
    memoryStepMB: 1,
    minMemoryMB: 128,
    concurrencyLimit: 1000,
    limitNote: '1,000 concurrent executions per account and region by default (a quota increase raises it)',
    source:
      'infracost lambda_function_test.golden @ 01c59b17 ($0.20 per 1M requests; $0.0000166667, $0.000015, $0.0000133334 per GB-s past 6 and 15 billion); free tier 1M requests and 400,000 GB-s a month and the concurrency quota: AWS Lambda pricing and quotas pages',
  },
  'gcp-cloud-run': {
    name: 'Google Cloud Run (request-based, tier 1)',
    requestUsdPerMillion: 0.4,
    vcpuSecondUsd: 0.000024,
    gibSecondUsd: 0.0000025,
    vcpu: 1,
    free: {requests: 2_000_000, vcpuSeconds: 180_000, gibSeconds: 360_000},
    durationStepMs: 100,
    minDurationMs: 100,
    memoryStepMB: 1,
    minMemoryMB: 128,
    // 100 instances by default, each taking up to 80 requests at once.
    concurrencyLimit: 8000,
    limitNote: '100 instances per service by default × 80 concurrent requests each',
    source:
      'infracost cloud_run_v2_service_test.golden @ 3a74ef4a (tier 2: $0.0000336 per vCPU-s, $0.0000035 per GiB-s, $0.40 per 1M requests); tier 1 is 1/1.4 of tier 2; free tier 180,000 vCPU-s, 360,000 GiB-s and 2M requests a month: Cloud Run pricing page',
  },
  'azure-functions': {
    name: 'Azure Functions (Consumption)',
    requestUsdPerMillion: 0.2,
    gbSecondTiers: [{upToGB: null, usdPerGB: 0.000016}],
    free: {requests: 1_000_000, gbSeconds: 400_000},
    durationStepMs: 1,
    minDurationMs: 100,
    memoryStepMB: 128,
    minMemoryMB: 128,
    // 200 instances on Windows (100 on Linux); concurrency per instance depends on the language worker.
    concurrencyLimit: 200,
    limitNote: '200 instances per app on Windows (100 on Linux), counted here as one request each',
    source:
      'infracost function_app_test.golden @ 027bec33 ($0.000016 per GB-s, $0.20 per 1M executions); free grant 400,000 GB-s and 1M executions a month, 100 ms and 128 MB minimums, memory rounded up to 128 MB, and the scale-out limits: Azure Functions pricing and hosting pages',
  },
}

/** How long an idle instance is kept warm: not documented by any of the three; 5 minutes assumed. */
export const KEEP_WARM_S = 300

export interface ServerlessInput {
  /** Each month's requests (mean rate), the peak they are sized on, and its mean rate. */
  months: Array<{month: number; startMs: number; meanRps: number; peakRps: number}>
  /** The service's mean time per request, ms. */
  serviceTimeMs: number
  serviceTimeSource: string
  memoryMB: number
}

const billedDurationS = (p: ServerlessPrices, serviceTimeMs: number) =>
  Math.max(p.minDurationMs, Math.ceil(serviceTimeMs / p.durationStepMs - 1e-9) * p.durationStepMs) / 1000

const billedMemoryMB = (p: ServerlessPrices, memoryMB: number) =>
  Math.max(p.minMemoryMB, Math.ceil(memoryMB / p.memoryStepMB - 1e-9) * p.memoryStepMB)

/** One month's bill on a platform for `requests` requests of `serviceTimeMs` at `memoryMB`. */
export function serverlessCost(
  p: ServerlessPrices,
  requests: number,
  serviceTimeMs: number,
  memoryMB: number,
): {requestUsd: number; computeUsd: number; totalUsd: number; gbSeconds: number} {
  const seconds = requests * billedDurationS(p, serviceTimeMs)
  const memoryGB = billedMemoryMB(p, memoryMB) / 1024
  const requestUsd = (Math.max(0, requests - p.free.requests) / 1e6) * p.requestUsdPerMillion
  const gbSeconds = seconds * memoryGB
  let computeUsd = 0
  if (p.gbSecondTiers) computeUsd = egressCostUsd(p.gbSecondTiers, Math.max(0, gbSeconds - (p.free.gbSeconds ?? 0)))
  else {
    const vcpuSeconds = seconds * (p.vcpu ?? 1)
    computeUsd =
      Math.max(0, vcpuSeconds - (p.free.vcpuSeconds ?? 0)) * (p.vcpuSecondUsd ?? 0) +
      Math.max(0, gbSeconds - (p.free.gibSeconds ?? 0)) * (p.gibSecondUsd ?? 0)
  }
  return {requestUsd, computeUsd, totalUsd: requestUsd + computeUsd, gbSeconds}
}

/**
 * Cold starts a month: every instance the daily ramp adds starts cold once a day (concurrency at
 * the peak less at the mean, DAYS_PER_MONTH times), and a request that arrives after an idle gap
 * longer than the keep-warm time finds no instance (Poisson arrivals at the mean rate: e^(−λT)).
 */
export function coldStartsPerMonth(meanRps: number, peakRps: number, serviceTimeS: number): number {
  const ramp = Math.max(0, Math.ceil(peakRps * serviceTimeS) - Math.ceil(meanRps * serviceTimeS))
  const requests = meanRps * SECONDS_PER_MONTH
  return DAYS_PER_MONTH * ramp + requests * Math.exp(-meanRps * KEEP_WARM_S)
}

/** The fleet the instances would need at a load, as the plan sizes its first month. */
export interface InstanceModel {
  type: string
  perInstanceRps: number
  usdPerInstanceMonth: number
  /** The month's sized peak over its mean load (peak-to-mean, with the plan's margin for risk). */
  sizedPeakPerMeanRps: number
  targetUtilization: number
  redundancy: Redundancy
}

export function instanceCostAt(model: InstanceModel, requestsPerMonth: number): number {
  const meanRps = requestsPerMonth / SECONDS_PER_MONTH
  const instances = instancesFor(
    meanRps * model.sizedPeakPerMeanRps,
    model.perInstanceRps,
    model.targetUtilization,
    model.redundancy,
  )
  return instances * model.usdPerInstanceMonth
}

/**
 * The smallest monthly load (requests) from which the instances stay cheaper than the platform,
 * within 0.1 %; undefined when the platform is cheaper over the whole range (1 thousand to 10
 * trillion requests a month) or the instances are cheaper everywhere in it.
 */
export function crossoverRequests(model: InstanceModel, serverless: (requests: number) => number): number | undefined {
  const LOW = 1e3
  const HIGH = 1e13
  const instancesCheaper = (r: number) => instanceCostAt(model, r) <= serverless(r)
  const grid = Array.from({length: 401}, (_, i) => LOW * (HIGH / LOW) ** (i / 400))
  let first = -1
  for (let i = grid.length - 1; i >= 0; i--) {
    if (!instancesCheaper(grid[i] as number)) break
    first = i
  }
  if (first <= 0) return undefined
  let lo = grid[first - 1] as number
  let hi = grid[first] as number
  while (hi / lo > 1.001) {
    const mid = Math.sqrt(lo * hi)
    if (instancesCheaper(mid)) hi = mid
    else lo = mid
  }
  return hi
}

/** The load multiples of month 1 the comparison table shows. */
const TABLE_MULTIPLES = [0.01, 0.1, 0.3, 1, 3, 10]

/** The serverless section of a plan: each platform month by month, the crossover and its table. */
export function serverlessSection(
  input: ServerlessInput,
  model: InstanceModel | undefined,
  platforms: readonly ServerlessPlatformId[] = SERVERLESS_PLATFORM_IDS,
): ServerlessSection {
  const serviceTimeS = input.serviceTimeMs / 1000
  const plans: ServerlessPlatformPlan[] = platforms.map((id) => {
    const p = SERVERLESS_PRICES[id]
    const months = input.months.map((m) => {
      const requests = m.meanRps * SECONDS_PER_MONTH
      const cost = serverlessCost(p, requests, input.serviceTimeMs, input.memoryMB)
      // Little's law: requests in flight = arrival rate × time in the system.
      const peakConcurrency = m.peakRps * serviceTimeS
      return {
        month: m.month,
        startMs: m.startMs,
        requests,
        ...cost,
        peakConcurrency,
        overLimit: peakConcurrency > p.concurrencyLimit,
        coldStarts: coldStartsPerMonth(m.meanRps, m.peakRps, serviceTimeS),
      }
    })
    const crossover = model
      ? crossoverRequests(model, (r) => serverlessCost(p, r, input.serviceTimeMs, input.memoryMB).totalUsd)
      : undefined
    return {
      platform: id,
      name: p.name,
      billedDurationMs: billedDurationS(p, input.serviceTimeMs) * 1000,
      billedMemoryMB: billedMemoryMB(p, input.memoryMB),
      concurrencyLimit: p.concurrencyLimit,
      limitNote: p.limitNote,
      source: p.source,
      months,
      totalUsd: months.reduce((s, m) => s + m.totalUsd, 0),
      ...(crossover !== undefined ? {crossoverRequestsPerMonth: crossover} : {}),
    }
  })
  const month1Requests = (input.months[0]?.meanRps ?? 0) * SECONDS_PER_MONTH
  const table =
    model && month1Requests > 0
      ? TABLE_MULTIPLES.map((multiple) => {
          const requests = month1Requests * multiple
          return {
            requestsPerMonth: requests,
            instancesUsd: instanceCostAt(model, requests),
            platformsUsd: platforms.map(
              (id) => serverlessCost(SERVERLESS_PRICES[id], requests, input.serviceTimeMs, input.memoryMB).totalUsd,
            ),
          }
        })
      : []
  return {
    memoryMB: input.memoryMB,
    serviceTimeMs: input.serviceTimeMs,
    serviceTimeSource: input.serviceTimeSource,
    keepWarmS: KEEP_WARM_S,
    platforms: plans,
    ...(model
      ? {
          instances: {
            type: model.type,
            perInstanceRps: model.perInstanceRps,
            usdPerInstanceMonth: model.usdPerInstanceMonth,
          },
        }
      : {}),
    comparison: table,
  }
}

/**
 * The instance model of a plan's first month: its type's capacity and on-demand price, the sized
 * peak over the mean, and the plan's ceiling and redundancy.
 */
export function instanceModelOf(
  doc: CapacityPlanDocument,
  catalog: Catalog,
  targetUtilization: number,
  redundancy: Redundancy,
): InstanceModel | undefined {
  const first = doc.plan.months[0]
  const option = doc.plan.options.find((o) => o.type === first?.type)
  const instance = first ? findInstance(catalog, first.type) : undefined
  const hourly = instance ? priceOf(instance, doc.region, 'on-demand') : undefined
  if (!first || !option || hourly === undefined || !(first.meanRps > 0)) return undefined
  return {
    type: first.type,
    perInstanceRps: option.perInstanceRps,
    usdPerInstanceMonth: hourly * HOURS_PER_MONTH,
    sizedPeakPerMeanRps: first.sizedForRps / first.meanRps,
    targetUtilization,
    redundancy,
  }
}
