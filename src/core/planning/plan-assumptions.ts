/**
 * The words of a plan: each assumption behind its figures, one line each, and the warnings when
 * capacity had to be carried by vCPUs or the measured host is unknown.
 */
import type {PricingChoice, Provider} from '../catalog/providers.js'
import {type Translation, type TypePerformance} from './translate-capacity.js'
import {shippedPerfTable} from '../catalog/perf-table.js'
import type {CapacityResult} from '../../contracts/results/capacity-result.js'
import type {PlanOptions} from './plan-settings.js'
import {percentOf} from '../../contracts/format/range-text.js'

export const DEFAULT_STORAGE: Record<Provider, string> = {aws: 'ebs-gp3', gcp: 'pd-balanced', azure: 'premium-ssd-lrs'}

const BASIS_TEXT: Record<Translation['basis'], string> = {
  cores: "per-core speed and cores, through the service's measured serial fraction",
  'static-web': 'the ratio of their static-web benchmark requests/s',
  'stress-ng': 'the ratio of their stress-ng cpu scores on all cores',
  vcpu: 'the ratio of their vCPUs',
}

/** How the other types' capacities were derived, for the assumptions: each basis with the types it covered. */
export function describeTranslations(
  translations: ReadonlyMap<string, Translation>,
  factorPerDoubling: number,
): string {
  const byBasis = new Map<Translation['basis'], string[]>()
  for (const [type, t] of translations)
    byBasis.set(t.basis, [...(byBasis.get(t.basis) ?? []), `${type} ×${t.ratio.toFixed(2)}`])
  const parts = [...byBasis].map(
    ([basis, types]) =>
      `by ${BASIS_TEXT[basis]}${basis === 'vcpu' && factorPerDoubling !== 1 ? ` (× ${factorPerDoubling} per doubling)` : ''}: ${types.join(', ')}`,
  )
  return `other types translated ${parts.join('; ')} (performance table: ${shippedPerfTable.source.repository}, ${shippedPerfTable.source.license})`
}

export const PRICING_TEXT: Record<PricingChoice, string> = {
  'on-demand': 'on-demand list',
  '1yr': '1-year commitment (committed use or reservation, no upfront) for the whole fleet',
  '3yr': '3-year commitment (committed use or reservation, no upfront) for the whole fleet',
  spot: 'spot for the instances above the redundancy floor, on-demand for the floor',
  mix: 'a purchase mix: a 1-year commitment for a baseline of the type run most (at most the smallest P10 need of the horizon, the cheapest level), on-demand above it, spot for the spares where the type has a spot price; cache and database tiers on demand; ranges at on-demand prices',
}

export const SPOT_CAVEAT =
  "warning: spot instances can be reclaimed at short notice (seconds to two minutes) and their price moves: the plan keeps the instances that carry the load on demand and puts only the redundancy's spares on spot, so a reclaim takes the redundancy away, not the capacity, until they are replaced"

/** Says loudly when capacity had to be carried by vCPUs, or when the measured host is only the generator's. */
export function translationWarnings(input: {
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

const percent = (share: number) => `${percentOf(share)} %`

/** How the fleet is sized: the risk, the ceiling and the redundancy, each once. */
export function fleetAssumption(
  options: Pick<PlanOptions, 'risk' | 'targetUtilization' | 'redundancyText' | 'holdType'>,
  context: {sloAssumption?: string; families: readonly string[]; familyNote?: string; sampled: boolean},
): string {
  const peak = context.sampled
    ? `the month's peak with at most ${percent(options.risk)} of its sample paths above it (a ${percent(options.risk)} chance of overload a month)`
    : 'the stated peak (a stated growth has no uncertainty to take a risk on)'
  const carry = context.sloAssumption
    ? context.sloAssumption
    : `at ${percent(options.targetUtilization)} of the measured capacity${options.targetUtilization === 1 ? ' (the capacity is already the rate the SLO holds at: no margin on top)' : ''}`
  return `fleet: carries ${peak}, ${carry}; redundancy ${options.redundancyText} on top (overload is counted with it used up); ${options.holdType ? 'one type held all horizon' : 'the cheapest type each month'} among ${context.families.join(', ')}${context.familyNote ? ` (${context.familyNote})` : ''}`
}

/** What the P10/P50/P90 ranges fold in. */
export function rangeAssumption(input: {
  paths: number | undefined
  bracket: {sustainableRps: number; breakingRps: number} | undefined
  stated: boolean
  translated: ReadonlyArray<{type: string; sigma: number}>
}): string {
  const parts = [
    input.paths
      ? `the month's peak over ${input.paths.toLocaleString('en')} sample paths`
      : 'no demand uncertainty (a stated growth)',
    input.bracket
      ? `capacity between the search's last passing ${input.bracket.sustainableRps}/s and first failing ${input.bracket.breakingRps}/s`
      : input.stated
        ? 'a stated capacity taken as exact'
        : 'no bracket for the capacity (the search did not find a failing rate)',
  ]
  const translated = input.translated.filter((t) => t.sigma > 0)
  if (translated.length > 0)
    parts.push(
      `the translation's error measured on the performance table (P10 to P90 of capacity: ${translated
        .map((t) => `${t.type} ×${Math.exp(-1.2816 * t.sigma).toFixed(2)} to ×${Math.exp(1.2816 * t.sigma).toFixed(2)}`)
        .join(', ')})`,
    )
  return `ranges: P10 / P50 / P90 of what each month needs and costs if it bought only that, from ${parts.join('; ')}. The fleet itself is sized on the point capacity`
}
