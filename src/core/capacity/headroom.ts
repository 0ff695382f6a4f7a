/**
 * Vertical-scaling headroom from a utilisation history: per-resource percentiles, the binding
 * resource, the headroom factor H = 1 / max_r(stat_r / target_r), time to exhaustion from a
 * Theil–Sen trend, and the cheapest catalog type on which every resource meets its target. Pure.
 */
import {candidatesFor, monthlyCostUsd} from '../catalog/catalog-lookup.js'
import type {Catalog, CatalogInstance} from '../catalog/catalog-schema.js'
import type {InstanceClass, Provider} from '../catalog/providers.js'
import {quantileSorted} from 'simple-statistics'
import {theilSen} from '../../contracts/stats/theil-sen.js'
import {queueingKnee} from './erlang-c.js'
import {DataError} from '../../contracts/errors.js'

/** One period of the history: CPU and memory utilisation in percent of the current host. */
export interface UtilisationPoint {
  timeMs: number
  cpuPct: number
  memPct: number
}

export const PROFILES = {
  /** AWS Compute Optimizer: CPU p99.5 and memory max, each with 20 % headroom. */
  aws: {cpuStat: 99.5, cpuTargetPct: 100 / 1.2, memStat: 100, memTargetPct: 100 / 1.2},
  /** Azure Advisor, user-facing: CPU p95 ≤ 40 %, memory max ≤ 60 %. */
  'user-facing': {cpuStat: 95, cpuTargetPct: 40, memStat: 100, memTargetPct: 60},
  /** Azure Advisor, other workloads: CPU p95 ≤ 80 %, memory max ≤ 80 %. */
  batch: {cpuStat: 95, cpuTargetPct: 80, memStat: 100, memTargetPct: 80},
} as const
export type ProfileName = keyof typeof PROFILES

export interface HostSize {
  vcpu: number
  memoryGiB: number
  /** The current instance type, when known (for the cost difference). */
  type?: string
}

export interface ResourceStats {
  resource: 'cpu' | 'memory'
  p50: number
  p95: number
  p99: number
  p995: number
  max: number
  /** The statistic the profile judges (e.g. p95 for CPU), percent. */
  judged: number
  targetPct: number
  /** judged / target: above 1 the resource is over its target now. */
  scale: number
}

export interface TimeToExhaustion {
  resource: 'cpu' | 'memory'
  /** Growth per day of the daily judged statistic, percentage points (Theil–Sen), with an 80 % interval. */
  slopePerDay: number
  slopeLo: number
  slopeHi: number
  /** Days until the target is crossed; undefined without a significant upward trend. */
  days: number | undefined
  significant: boolean
  /** The trend's level on the last day is already at or over the target. */
  overTargetNow: boolean
  /** The daily judged statistic the trend was fitted to, oldest first, and the trend's level on the last day. */
  daily: number[]
  levelAtLast: number
  targetPct: number
}

export interface Recommendation {
  instance: CatalogInstance
  priceUsdPerHour: number
  monthlyUsd: number
  /** 0 (always enough) … 4 (often over target), from the share of periods over target on this type. */
  risk: number
  projectedCpuPct: number
  projectedMemPct: number
}

export interface HeadroomResult {
  profile: ProfileName
  hours: number
  warnings: string[]
  resources: ResourceStats[]
  binding: 'cpu' | 'memory'
  headroomFactor: number
  exhaustion: TimeToExhaustion[]
  /** compute when CPU binds with memory to spare, memory when the reverse, else general. */
  rightClass: 'general' | 'compute' | 'memory'
  current: {size: HostSize; monthlyUsd: number | undefined}
  recommendation: Recommendation | undefined
  direction: 'up' | 'down' | 'same' | undefined
  monthlyDifferenceUsd: number | undefined
  alternatives: Recommendation[]
}

/** Minimum history: AWS Compute Optimizer's 30 hours. */
export const MIN_HOURS = 30
/** Below a week the weekly cycle is not seen: warn. */
const WARN_HOURS = 7 * 24

function percentile(sorted: readonly number[], p: number): number {
  return quantileSorted(sorted, p / 100)
}

function riskScore(shareOverTarget: number): number {
  if (shareOverTarget === 0) return 0
  if (shareOverTarget < 0.001) return 1
  if (shareOverTarget < 0.01) return 2
  if (shareOverTarget < 0.05) return 3
  return 4
}

export interface HeadroomInput {
  history: readonly UtilisationPoint[]
  /** Length of one history period, ms (to count hours). */
  periodMs: number
  current: HostSize
  profile: ProfileName
  catalog: Catalog
  provider: Provider
  region: string
  families?: string[]
  arch?: 'x86_64' | 'arm64'
  /** Days ahead a recommendation must hold: a resource whose trend crosses its target sooner is judged at this horizon. Default 30. */
  planningHorizonDays?: number
  /** stress-ng on all cores per type (the performance table), to carry CPU use across types and architectures by measured speed, not vCPU count. */
  allCoresScore?: (provider: Provider, type: string) => number | undefined
}

export const DEFAULT_PLANNING_HORIZON_DAYS = 30

/**
 * @throws DataError with less than MIN_HOURS of history
 */
export function analyseHeadroom(input: HeadroomInput): HeadroomResult {
  const profile = PROFILES[input.profile]
  const hours = (input.history.length * input.periodMs) / 3_600_000
  if (hours < MIN_HOURS)
    throw new DataError(
      `${hours.toFixed(1)} h of history; headroom needs at least ${MIN_HOURS} h (AWS Compute Optimizer's minimum). Keep loadplan monitor running longer.`,
    )
  const warnings =
    hours < WARN_HOURS
      ? [
          `only ${hours.toFixed(0)} h of history: a week or more shows the weekly cycle; treat the result as provisional`,
        ]
      : []
  const cpuTarget = (vcpu: number) => Math.min(profile.cpuTargetPct, 100 * queueingKnee(vcpu))

  const stats = (
    resource: 'cpu' | 'memory',
    values: number[],
    statPercentile: number,
    targetPct: number,
  ): ResourceStats => {
    const sorted = [...values].sort((a, b) => a - b)
    const judged = percentile(sorted, statPercentile)
    return {
      resource,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      p995: percentile(sorted, 99.5),
      max: sorted.at(-1) as number,
      judged,
      targetPct,
      scale: judged / targetPct,
    }
  }
  const cpuValues = input.history.map((p) => p.cpuPct)
  const memValues = input.history.map((p) => p.memPct)
  const resources = [
    stats('cpu', cpuValues, profile.cpuStat, cpuTarget(input.current.vcpu)),
    stats('memory', memValues, profile.memStat, profile.memTargetPct),
  ]
  const [cpu, memory] = resources as [ResourceStats, ResourceStats]
  const binding = cpu.scale >= memory.scale ? 'cpu' : 'memory'
  const headroomFactor = 1 / Math.max(cpu.scale, memory.scale)
  const ratio = cpu.scale / memory.scale
  const rightClass = ratio > 2 ? 'compute' : ratio < 0.5 ? 'memory' : 'general'

  // Daily statistic per resource, then a robust trend.
  const byDay = new Map<number, {cpu: number[]; mem: number[]}>()
  for (const p of input.history) {
    const day = Math.floor(p.timeMs / 86_400_000)
    const entry = byDay.get(day) ?? {cpu: [], mem: []}
    entry.cpu.push(p.cpuPct)
    entry.mem.push(p.memPct)
    byDay.set(day, entry)
  }
  const days = [...byDay.entries()].sort(([a], [b]) => a - b)
  const exhaustion: TimeToExhaustion[] = []
  for (const [resource, key, statPercentile, target] of [
    ['cpu', 'cpu', profile.cpuStat, cpu.targetPct],
    ['memory', 'mem', profile.memStat, memory.targetPct],
  ] as const) {
    const daily = days.map(([day, v]): [number, number] => [
      day,
      percentile(
        [...v[key]].sort((a, b) => a - b),
        statPercentile,
      ),
    ])
    const trend = theilSen(daily)
    if (!trend) continue
    const significant = trend.lo > 0
    exhaustion.push({
      resource,
      slopePerDay: trend.slope,
      slopeLo: trend.lo,
      slopeHi: trend.hi,
      significant,
      days: significant && trend.slope > 0 ? Math.max(0, (target - trend.levelAtLast) / trend.slope) : undefined,
      overTargetNow: trend.levelAtLast >= target,
      daily: daily.map(([, v]) => v),
      levelAtLast: trend.levelAtLast,
      targetPct: target,
    })
  }
  // A resource that reaches its target within the planning horizon is judged where its trend will
  // be then, so that no recommendation (a downsize least of all) fits only today.
  const horizonDays = input.planningHorizonDays ?? DEFAULT_PLANNING_HORIZON_DAYS
  const judgedAtHorizon = (resource: 'cpu' | 'memory', judged: number) => {
    const e = exhaustion.find((x) => x.resource === resource)
    return e?.days !== undefined && e.days < horizonDays ? judged + e.slopePerDay * horizonDays : judged
  }
  const cpuJudged = judgedAtHorizon('cpu', cpu.judged)
  const memJudged = judgedAtHorizon('memory', memory.judged)
  const trendBound = cpuJudged !== cpu.judged || memJudged !== memory.judged
  // CPU use carried to another type by measured speed (stress-ng on all cores) where the table has
  // both types, else by vCPUs: an arm64 core and an x86 hyper-thread are not the same unit.
  const currentScore = input.current.type ? input.allCoresScore?.(input.provider, input.current.type) : undefined
  const cpuShareOn = (instance: CatalogInstance) => {
    const score = currentScore === undefined ? undefined : input.allCoresScore?.(input.provider, instance.type)
    return score === undefined || currentScore === undefined ? input.current.vcpu / instance.vcpu : currentScore / score
  }

  // Candidates: every catalog type in the region on which both resources meet their targets. The
  // vCPUs and memory in use now are a necessary lower bound; evaluate() applies the targets.
  const needVcpu = currentScore === undefined ? (cpuJudged * input.current.vcpu) / 100 : 1
  const needMemGiB = (memJudged * input.current.memoryGiB) / 100
  const classes: InstanceClass[] = ['general', 'compute', 'memory']
  const evaluate = (instance: CatalogInstance, priceUsdPerHour: number): Recommendation | undefined => {
    const share = cpuShareOn(instance)
    const projectedCpuPct = cpuJudged * share
    const projectedMemPct = (memJudged * input.current.memoryGiB) / instance.memoryGiB
    const target = cpuTarget(instance.vcpu)
    if (projectedCpuPct > target || projectedMemPct > memory.targetPct) return undefined
    const over = input.history.filter(
      (p) => p.cpuPct * share > target || (p.memPct * input.current.memoryGiB) / instance.memoryGiB > memory.targetPct,
    ).length
    return {
      instance,
      priceUsdPerHour,
      monthlyUsd: monthlyCostUsd(priceUsdPerHour),
      risk: riskScore(over / input.history.length),
      projectedCpuPct,
      projectedMemPct,
    }
  }
  const fits = candidatesFor(input.catalog, {
    provider: input.provider,
    region: input.region,
    vcpu: needVcpu,
    memoryGiB: needMemGiB,
    families: input.families,
    classes,
    arch: input.arch,
  })
    .map((c) => evaluate(c.instance, c.priceUsdPerHour))
    .filter((r): r is Recommendation => r !== undefined)
  const recommendation = fits[0]
  if (trendBound)
    warnings.push(
      `judged at the planning horizon (${horizonDays} days): ${exhaustion
        .filter((e) => e.days !== undefined && e.days < horizonDays)
        .map((e) => e.resource)
        .join(' and ')} reaches its target sooner, so no type that fits only today is recommended`,
    )
  const currentInstance = input.current.type
    ? input.catalog.instances.find(
        (i) => i.type.toLowerCase() === input.current.type?.toLowerCase() && i.provider === input.provider,
      )
    : undefined
  const currentPrice = currentInstance?.priceUsdPerHour[input.region]
  const currentMonthly = currentPrice === undefined ? undefined : monthlyCostUsd(currentPrice)
  let direction: HeadroomResult['direction']
  if (recommendation) {
    if (currentMonthly !== undefined)
      direction =
        recommendation.monthlyUsd > currentMonthly + 1e-9
          ? 'up'
          : recommendation.monthlyUsd < currentMonthly - 1e-9
            ? 'down'
            : 'same'
    else
      direction =
        recommendation.instance.vcpu > input.current.vcpu || recommendation.instance.memoryGiB > input.current.memoryGiB
          ? 'up'
          : recommendation.instance.vcpu < input.current.vcpu
            ? 'down'
            : 'same'
  }
  return {
    profile: input.profile,
    hours,
    warnings,
    resources,
    binding,
    headroomFactor,
    exhaustion,
    rightClass,
    current: {size: input.current, monthlyUsd: currentMonthly},
    recommendation,
    direction,
    monthlyDifferenceUsd:
      recommendation && currentMonthly !== undefined ? recommendation.monthlyUsd - currentMonthly : undefined,
    alternatives: fits.slice(1, 6),
  }
}
