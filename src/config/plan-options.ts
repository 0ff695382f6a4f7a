/**
 * `loadplan plan` options: the service file's `plan:` section under the flags (defaults < file <
 * flags), every value parsed and checked at once. Pure: files named here are read by src/app.
 */
import {BALANCE_POLICIES, type BalancePolicy} from '../core/capacity/fleet-simulation.js'
import {parseLatencyObjective} from '../core/capacity/fleet-sizing.js'
import {PRICING_CHOICES, PROVIDERS, type PricingChoice, type Provider} from '../core/catalog/providers.js'
import {TRAFFIC_METRIC} from './monitor-options.js'
import type {ProblemList} from '../contracts/errors.js'
import {parseOutputFormat} from '../contracts/format/output-format.js'
import {parseBytes, parseMonthlyRate, parseRatePerSec, parseRatio} from '../contracts/parse/parse-units.js'
import type {Redundancy} from '../core/planning/capacity-plan.js'
import {TRANSLATION_BASES, type TranslationChoice} from '../core/planning/translate-capacity.js'
import type {PlanSection} from './plan-section-schema.js'
import {ARCHITECTURE_DEFAULTS, resolveArchitectureOptions} from './plan-architecture-options.js'
import {BILL_DEFAULTS, resolveBillOptions} from './plan-bill-options.js'
import {leadRegion} from '../core/planning/multi-region.js'
import {PLAN_FORMATS, type DemandSource, type PlanFormat, type PlanOptions} from '../core/planning/plan-settings.js'

/** More vCPUs than any instance type in the catalog (the largest have 896). */
const MAX_VCPUS = 1024

export {PLAN_FORMATS, type PlanFormat, type PlanOptions}

/** Defaults, in one place; `--help` prints them from here. */
export const PLAN_DEFAULTS = {
  metric: TRAFFIC_METRIC,
  aggregate: 'mean',
  growthKind: 'compound',
  meanToPeak: '50%',
  provider: 'aws',
  /** The capacity is already the rate the SLO holds at: a ceiling below it is a second margin. */
  targetUtilization: '100%',
  redundancy: 'n+1',
  risk: '5%',
  months: 12,
  scaleFactor: '1',
  scaling: 'auto',
  /** Kept off the service on every node (kubelet, system daemons, the OS): Kubernetes-style reservations. */
  reservedCpu: '0.1',
  reservedMemory: '0.5GiB',
  pricing: 'on-demand',
  ...ARCHITECTURE_DEFAULTS,
  ...BILL_DEFAULTS,
} as const

/** 1/1000 of the sample paths is the finest risk they resolve; above a half, the fleet would carry less than the median peak. */
export const MIN_RISK = 0.001
export const MAX_RISK = 0.5

export const MAX_BACKTEST_MONTHS = 12

/** "3mo" (or "3") → 3; undefined outside 1…MAX_BACKTEST_MONTHS. */
function parseBacktestMonths(text: string): number | undefined {
  const match = /^\s*(\d+)\s*(mo)?\s*$/.exec(text)
  const months = match ? Number(match[1]) : Number.NaN
  return Number.isInteger(months) && months >= 1 && months <= MAX_BACKTEST_MONTHS ? months : undefined
}

/** The default reservations, as numbers (PLAN_DEFAULTS keeps them as typed, for --help). */
export const DEFAULT_RESERVED = {cpu: 0.1, memoryGiB: 0.5} as const

/** Flag values as typed by the user. */
export interface PlanFlags {
  history?: string
  recording?: string
  metric?: string
  aggregate?: string
  growth?: string
  growthKind?: string
  peak?: string
  meanToPeak?: string
  capacity?: string
  calibration?: string
  perInstance?: string
  instanceType?: string
  vcpus?: string
  provider?: string
  region?: string
  family?: string[]
  targetUtilization?: string
  redundancy?: string
  risk?: string
  /** Replaced by --risk in 0.5: given, it is an error that says so. */
  sizeOn?: string
  sizeBy?: string
  balance?: string
  slo?: string
  months?: string
  backtest?: string
  holdType?: boolean
  pricing?: string
  scaling?: string
  scaleFactor?: string
  memoryPerInstance?: string
  reservedCpu?: string
  reservedMemory?: string
  storageGb?: string
  storageGrowth?: string
  bytesPerRequest?: string
  /** `aws:us-east-1=60%,aws:eu-west-1=40%` (shares may be left out: equal). */
  regions?: string
  /** `2kB@10%`: bytes per write @ writes per request. */
  replication?: string
  /** Active-passive: the passive region, `gcp:europe-west1`. */
  passive?: string
  /** `pilot-light`, `warm:25%` or `hot`. */
  standby?: string
  instanceStart?: string
  loadBalancer?: boolean
  /** Bytes per request out through NAT, `2kB`. */
  nat?: string
  /** Bytes per request to the data tier, `4kB`. */
  crossZone?: string
  dbStandby?: boolean
  /** `30d@2%`. */
  backups?: string
  serverless?: boolean
  serverlessMemory?: string
  serviceTime?: string
  format?: string
  json?: boolean
}

export function parseRedundancy(text: string): Redundancy | undefined {
  const spare = /^n\+(\d)$/.exec(text.trim())
  if (spare) return {kind: 'n+k', spare: Number(spare[1])}
  const zones = /^zones:(\d+)$/.exec(text.trim())
  if (zones && Number(zones[1]) >= 2) return {kind: 'zones', zones: Number(zones[1])}
  if (text.trim() === 'none') return {kind: 'n+k', spare: 0}
  return undefined
}

/**
 * Flags over the `plan:` section over the defaults. Adds every problem to `problems` (the caller
 * adds what only reading the named files can find, then throws them all at once).
 */
export function resolvePlanOptions(
  flags: PlanFlags,
  file: {section?: PlanSection; service?: string},
  problems: ProblemList,
): PlanOptions {
  const section = file.section ?? {}
  const sectionRedundancy =
    typeof section.redundancy === 'object' ? `zones:${section.redundancy.zones}` : section.redundancy
  const sectionGrowth =
    typeof section.growth === 'object' ? section.growth.monthly : section.growth === 'auto' ? undefined : section.growth
  const growthText = flags.growth ?? (flags.history || flags.recording ? undefined : sectionGrowth)
  const providerText = flags.provider ?? section.cloud?.provider ?? PLAN_DEFAULTS.provider
  const sameCloud = providerText === (section.cloud?.provider ?? PLAN_DEFAULTS.provider)
  const monthsText = flags.months ?? String(section.horizonMonths ?? PLAN_DEFAULTS.months)
  const targetText =
    flags.targetUtilization ??
    (section.targetUtilization === undefined ? PLAN_DEFAULTS.targetUtilization : String(section.targetUtilization))
  const redundancyText = flags.redundancy ?? sectionRedundancy ?? PLAN_DEFAULTS.redundancy
  const riskText = flags.risk ?? (section.risk === undefined ? PLAN_DEFAULTS.risk : String(section.risk))
  const growthKind = flags.growthKind ?? section.growthKind ?? PLAN_DEFAULTS.growthKind
  const meanToPeakText =
    flags.meanToPeak ?? (section.meanToPeak === undefined ? PLAN_DEFAULTS.meanToPeak : String(section.meanToPeak))
  const storageGbText = flags.storageGb ?? String(section.storage?.nowGB ?? 0)
  const storageGrowthText =
    flags.storageGrowth ??
    (section.storage?.growth && section.storage.growth !== 'auto' ? section.storage.growth : '0%')
  const bytesText =
    flags.bytesPerRequest ??
    (section.egress?.bytesPerRequest === undefined ? undefined : String(section.egress.bytesPerRequest))
  const scaleFactorText =
    flags.scaleFactor ?? (section.scaleFactor === undefined ? PLAN_DEFAULTS.scaleFactor : String(section.scaleFactor))
  const aggregate = flags.aggregate ?? PLAN_DEFAULTS.aggregate
  const pricing = flags.pricing ?? section.pricing ?? PLAN_DEFAULTS.pricing
  if (!(PRICING_CHOICES as readonly string[]).includes(pricing))
    problems.add('--pricing', `expected one of ${PRICING_CHOICES.join(', ')}`, pricing)

  if (!(PROVIDERS as readonly string[]).includes(providerText))
    problems.add('--provider', `expected one of ${PROVIDERS.join(', ')}`, providerText)
  const months = Number(monthsText)
  if (!Number.isInteger(months) || months < 1 || months > 60)
    problems.add('--months', 'expected a whole number of months from 1 to 60', monthsText)
  const target = parseRatio(targetText)
  if (target === undefined || target <= 0 || target > 1)
    problems.add('--target-utilization', 'expected a percentage such as 70%', targetText)
  const redundancy = parseRedundancy(redundancyText)
  if (!redundancy) problems.add('--redundancy', 'expected n+1, n+2, none or zones:3', redundancyText)
  const risk = parseRatio(riskText)
  if (risk === undefined || risk < MIN_RISK || risk > MAX_RISK)
    problems.add(
      flags.risk === undefined && section.risk !== undefined ? 'plan.risk' : '--risk',
      `expected the chance of overload a month you accept, from ${MIN_RISK * 100}% to ${MAX_RISK * 100}%, e.g. 5% (a 1-in-20 chance that a month's peak exceeds the fleet with its spares used up)`,
      riskText,
    )
  if (flags.sizeOn !== undefined || section.sizeOn !== undefined)
    problems.add(
      flags.sizeOn !== undefined ? '--size-on' : 'plan.sizeOn',
      "was replaced by --risk (plan.risk) in loadplan 0.5: the fleet carries the month's peak with the chance of overload you accept, e.g. --risk 5% (hi80 stacked a widening band on top of the utilisation and the redundancy)",
      flags.sizeOn ?? String(section.sizeOn),
    )
  const backtestMonths = flags.backtest === undefined ? undefined : parseBacktestMonths(flags.backtest)
  if (flags.backtest !== undefined && backtestMonths === undefined)
    problems.add('--backtest', `expected whole months from 1 to ${MAX_BACKTEST_MONTHS}, e.g. 3mo`, flags.backtest)
  if (flags.backtest !== undefined && !(flags.history || flags.recording))
    problems.add('--backtest', 'scores a forecast against the history it cut off: give --history or --recording')
  const sizeBy = flags.sizeBy ?? section.sizeBy ?? 'utilization'
  if (sizeBy !== 'utilization' && sizeBy !== 'slo')
    problems.add(
      '--size-by',
      'expected utilization (the target utilisation) or slo (the smallest fleet whose simulated latency meets the SLO)',
      sizeBy,
    )
  const balance = flags.balance ?? section.balance ?? 'round-robin'
  const balanceField = flags.balance !== undefined ? '--balance' : 'plan.balance'
  if (!(BALANCE_POLICIES as readonly string[]).includes(balance))
    problems.add(balanceField, `expected one of ${BALANCE_POLICIES.join(', ')}`, balance)
  if (sizeBy !== 'slo' && (flags.balance !== undefined || section.balance !== undefined || flags.slo !== undefined))
    problems.add(
      flags.slo !== undefined && flags.balance === undefined ? '--slo' : balanceField,
      'only applies with --size-by slo (plan.sizeBy: slo)',
    )
  const sloObjective = flags.slo === undefined ? undefined : parseLatencyObjective(flags.slo, problems)
  const format = parseOutputFormat(flags.format, PLAN_FORMATS, problems, flags.json)
  const sources = [flags.history, flags.recording, growthText].filter((s) => s !== undefined).length
  if (sources !== 1)
    problems.add('demand', 'give exactly one of --history CSV, --recording DB or --growth 8%/mo (with --peak)')
  let growthPerMonth: number | undefined
  if (growthText !== undefined) {
    growthPerMonth = parseMonthlyRate(growthText)
    if (growthPerMonth === undefined) problems.add('--growth', 'expected a monthly growth such as 8%/mo', growthText)
    if (flags.peak === undefined) problems.add('--peak', 'with --growth give the current peak, e.g. --peak 300/s')
  }
  const peak = flags.peak === undefined ? undefined : parseRatePerSec(flags.peak)
  if (flags.peak !== undefined && !(peak && peak > 0))
    problems.add('--peak', 'expected a rate such as 300/s', flags.peak)
  if (!['compound', 'linear'].includes(growthKind))
    problems.add('--growth-kind', 'expected compound or linear', growthKind)
  const meanToPeak = parseRatio(meanToPeakText)
  if (meanToPeak === undefined || meanToPeak <= 0 || meanToPeak > 1)
    problems.add('--mean-to-peak', 'expected a percentage such as 50%', meanToPeakText)
  const storageGb = Number(storageGbText)
  if (!(storageGb >= 0)) problems.add('--storage-gb', 'expected GB as a number ≥ 0', storageGbText)
  const storageGrowth = parseMonthlyRate(storageGrowthText)
  if (storageGrowth === undefined)
    problems.add('--storage-growth', 'expected a monthly growth such as 5%/mo', storageGrowthText)
  const bytesPerRequest = bytesText === undefined ? undefined : parseBytes(bytesText)
  if (bytesText !== undefined && bytesPerRequest === undefined)
    problems.add('--bytes-per-request', 'expected a size such as 18kB', bytesText)
  const scaleFactor = Number(scaleFactorText)
  if (!(scaleFactor >= 0.25 && scaleFactor <= 1.5))
    problems.add(
      '--scale-factor',
      'expected a factor per doubling of vCPUs from 0.25 to 1.5, such as 0.9 (1 = linear)',
      scaleFactorText,
    )
  if (aggregate !== 'sum' && aggregate !== 'mean')
    problems.add('--aggregate', 'expected sum (counts) or mean (rates, levels)', aggregate)
  // `linear` was the vCPU scaling's name before the performance table; `usl` scaled vCPUs by a fit
  // over client connections, which describes one instance's knee, not how a service uses cores.
  const scalingText = flags.scaling ?? section.scaling
  const translation = scalingText === 'linear' ? 'vcpu' : (scalingText ?? PLAN_DEFAULTS.scaling)
  if (scalingText === 'usl')
    problems.add(
      '--scaling',
      'the USL fitted over client connections describes one instance (its knee), not how throughput grows with cores; choose auto, static-web, stress-ng or vcpu',
      scalingText,
    )
  else if (!(['auto', ...TRANSLATION_BASES] as string[]).includes(translation))
    problems.add('--scaling', 'expected auto, static-web, stress-ng or vcpu', scalingText)
  const gib = (text: string | number | undefined) =>
    text === undefined
      ? undefined
      : typeof text === 'number'
        ? text
        : /^\s*[\d.]+\s*$/.test(text)
          ? Number(text)
          : (parseBytes(text) ?? Number.NaN) / 2 ** 30
  const memoryText = flags.memoryPerInstance ?? section.memoryPerInstance
  const memoryPerInstanceGiB = gib(memoryText)
  if (memoryText !== undefined && !(memoryPerInstanceGiB !== undefined && memoryPerInstanceGiB > 0))
    problems.add('--memory-per-instance', 'expected a size such as 3GiB (a bare number is GiB)', String(memoryText))
  const reservedCpuText =
    flags.reservedCpu ??
    (section.reserved?.cpu === undefined ? PLAN_DEFAULTS.reservedCpu : String(section.reserved.cpu))
  const reservedCpu = Number(reservedCpuText)
  if (!(reservedCpu >= 0 && reservedCpu < 1))
    problems.add(
      '--reserved-cpu',
      'expected vCPUs kept for the system on each node, from 0 to below 1, e.g. 0.1',
      reservedCpuText,
    )
  const reservedMemoryText = flags.reservedMemory ?? section.reserved?.memory ?? PLAN_DEFAULTS.reservedMemory
  const reservedMemoryGiB = gib(reservedMemoryText)
  if (!(reservedMemoryGiB !== undefined && reservedMemoryGiB >= 0))
    problems.add('--reserved-memory', 'expected a size such as 0.5GiB', String(reservedMemoryText))
  const perInstanceRps = flags.perInstance === undefined ? undefined : parseRatePerSec(flags.perInstance)
  const vcpus = flags.vcpus === undefined ? undefined : Number(flags.vcpus)
  // From a fraction of a core (a container's quota) to the largest machines sold.
  if (vcpus !== undefined && !(vcpus >= 0.1 && vcpus <= MAX_VCPUS))
    problems.add('--vcpus', `expected the measured host's vCPUs, from 0.1 to ${MAX_VCPUS}`, flags.vcpus)

  const {regions, replication, failover, serverless} = resolveArchitectureOptions(
    flags,
    section,
    providerText,
    problems,
  )
  const bill = resolveBillOptions(flags, section, problems)
  // The largest region leads: the plan's provider and region are its.
  const lead = regions ? leadRegion(regions) : undefined

  const demand: DemandSource =
    growthPerMonth !== undefined
      ? {
          kind: 'growth',
          perMonth: growthPerMonth,
          growthKind: growthKind as 'compound' | 'linear',
          peakRps: peak as number,
          meanToPeak: meanToPeak as number,
        }
      : flags.recording !== undefined
        ? {kind: 'recording', db: flags.recording, metric: flags.metric ?? PLAN_DEFAULTS.metric}
        : {kind: 'history', path: flags.history as string}
  return {
    demand,
    aggregate: aggregate as 'sum' | 'mean',
    capacityFile: flags.capacity,
    calibrationFile: flags.calibration,
    perInstanceRps,
    perInstanceText: flags.perInstance,
    instanceType: flags.instanceType,
    vcpus,
    provider: lead?.provider ?? (providerText as Provider),
    // The file's region and families belong to its provider: a --provider of another cloud drops them.
    region: lead?.region ?? flags.region ?? (sameCloud ? section.cloud?.region : undefined),
    families: flags.family ?? (sameCloud ? section.cloud?.families : undefined),
    targetUtilization: target as number,
    redundancy: redundancy as Redundancy,
    redundancyText,
    risk: risk as number,
    sizeBy: sizeBy as PlanOptions['sizeBy'],
    balance: balance as BalancePolicy,
    ...(sloObjective ? {slo: sloObjective} : {}),
    months,
    ...(backtestMonths !== undefined ? {backtestMonths} : {}),
    holdType: flags.holdType || (section.holdType ?? false),
    pricing: pricing as PricingChoice,
    translation: translation as TranslationChoice,
    ...(memoryPerInstanceGiB !== undefined ? {memoryPerInstanceGiB} : {}),
    reservedCpu,
    reservedMemoryGiB: reservedMemoryGiB ?? DEFAULT_RESERVED.memoryGiB,
    scaleFactor,
    storageGb,
    storageGrowthPerMonth: storageGrowth as number,
    bytesPerRequest,
    tiers: section.tiers,
    ...(regions ? {regions} : {}),
    ...(replication ? {replication} : {}),
    ...(failover ? {failover} : {}),
    ...(serverless ? {serverless} : {}),
    ...(bill ? {bill} : {}),
    format,
    service: file.service,
  }
}
