/** The headroom report for people. Pure. */
import type {HeadroomResult, Recommendation, TimeToExhaustion} from '../core/capacity/headroom.js'

const pct = (v: number) => `${v.toFixed(1)}%`
const usd = (v: number) => `$${v.toFixed(2)}`

/** A type with its price and projected use; `withRisk: false` leaves the risk to the caller. */
export function recommendationLine(r: Recommendation, withRisk = true): string {
  const i = r.instance
  return `${i.type} (${i.class}, ${i.vcpu} vCPU, ${i.memoryGiB} GiB, ${i.arch}) ${usd(r.monthlyUsd)}/month; projected CPU ${pct(r.projectedCpuPct)}, memory ${pct(r.projectedMemPct)}${withRisk ? `; risk ${r.risk}/4` : ''}`
}

/** What a resource's trend means: over its target now, when it reaches it, or no upward trend. */
export function trendOutlook(e: TimeToExhaustion): string {
  if (e.overTargetNow) return 'already at or over its target'
  if (e.significant && e.days !== undefined)
    return `reaches its target in about ${Math.max(1, Math.round(e.days))} day${Math.round(e.days) > 1 ? 's' : ''}`
  return 'no significant upward trend'
}

/** The host judged: its type (when named), size and price. */
export function currentText(result: HeadroomResult): string {
  const {size, monthlyUsd} = result.current
  return `${size.type ?? 'unnamed host'} (${size.vcpu} vCPU, ${size.memoryGiB} GiB)${monthlyUsd === undefined ? '' : ` ${usd(monthlyUsd)}/month`}`
}

/** The saving or cost of the recommendation against the current type, e.g. `; saves $12.40/month`. */
export function savingText(result: HeadroomResult): string {
  const diff = result.monthlyDifferenceUsd
  return diff === undefined ? '' : `; ${diff <= 0 ? 'saves' : 'costs'} ${usd(Math.abs(diff))}/month`
}

export function renderHeadroom(result: HeadroomResult): string {
  const lines = [
    `loadplan headroom  profile ${result.profile}, ${result.hours.toFixed(0)} h of history`,
    '',
    'resource      p50     p95     p99   p99.5     max   judged   target   used/target',
  ]
  for (const r of result.resources) {
    lines.push(
      `${r.resource.padEnd(9)}${[r.p50, r.p95, r.p99, r.p995, r.max, r.judged, r.targetPct].map((v) => pct(v).padStart(8)).join('')}${r.scale.toFixed(2).padStart(14)}`,
    )
  }
  lines.push('')
  const factor = result.headroomFactor
  lines.push(
    `binding resource: ${result.binding}; headroom factor ×${factor.toFixed(2)} ${factor >= 1 ? `(load can grow ${((factor - 1) * 100).toFixed(0)}% before ${result.binding} crosses its target)` : `(${result.binding} is already ${((1 / factor - 1) * 100).toFixed(0)}% over its target)`}`,
  )
  for (const e of result.exhaustion) {
    const trend = `${e.slopePerDay >= 0 ? '+' : ''}${e.slopePerDay.toFixed(2)} pp/day (80% interval ${e.slopeLo.toFixed(2)} … ${e.slopeHi.toFixed(2)})`
    lines.push(`trend ${e.resource.padEnd(7)} ${trend}: ${trendOutlook(e)}`)
  }
  lines.push('')
  lines.push(`current: ${currentText(result)}`)
  if (!result.recommendation)
    lines.push(
      'recommendation: no catalog type meets every target in this region and family; widen --family or look at scaling out',
    )
  else {
    const shape = `the load's CPU-to-memory shape suits ${result.rightClass} types${result.recommendation.instance.class !== result.rightClass ? `; the cheapest fit is a ${result.recommendation.instance.class} type` : ''}`
    lines.push(
      `recommendation (${result.direction === 'same' ? 'same size' : `${result.direction ?? '–'}size`}): ${recommendationLine(result.recommendation)}${savingText(result)}`,
      `  ${shape}`,
    )
    for (const alt of result.alternatives) lines.push(`  also fits: ${recommendationLine(alt)}`)
  }
  return `${lines.join('\n')}\n`
}

/** The versioned JSON document of a headroom judgement. */
export function headroomToJson(result: HeadroomResult): string {
  return `${JSON.stringify({schema: 'loadplan/headroom', version: 1, ...result}, null, 2)}\n`
}
