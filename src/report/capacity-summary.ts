/** The human summary of a capacity search. Pure. */
import Table from 'cli-table3'
import pc from 'picocolors'
import {formatDurationMs, formatMaybeMs} from '../contracts/format/units.js'
import type {CapacityResult} from '../contracts/results/capacity-result.js'

const ms = formatMaybeMs

function pct(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? '–' : `${(ratio * 100).toFixed(2)}%`
}

/** Below this R² a USL fit is reported but not to be used. */
export const USL_MIN_R_SQUARED = 0.8

export function renderCapacitySummary(result: CapacityResult, {color}: {color: boolean}): string {
  const paint = color ? pc : pc.createColors(false)
  const lines: string[] = []
  const target = result.service ? `${result.service} (${result.target})` : result.target
  lines.push(
    `${paint.bold('loadplan capacity')}  ${target}  ${formatDurationMs(result.durationMs)}  SLO ${result.slo.join(', ')}`,
  )
  lines.push('')
  const table = new Table({
    head: ['step', 'phase', 'offered/s', 'achieved/s', 'p50', 'p90', 'p99', 'errors', 'verdict'],
    style: {head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true},
    colAligns: ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  })
  for (const step of result.steps) {
    table.push([
      String(step.index + 1),
      step.phase,
      String(step.offeredRatePerSec),
      step.achievedRatePerSec.toFixed(1),
      ms(step.p50Ms),
      ms(step.p90Ms),
      ms(step.p99Ms),
      pct(step.errorRatio),
      `${step.passed ? paint.green('ok') : paint.red(`✗ ${step.failures.join('; ')}`)}${step.unreliable ? paint.yellow(' (unreliable)') : ''}`,
    ])
  }
  if (result.steps.length > 0) lines.push(table.toString(), '')
  for (const step of result.steps)
    if (step.unreliable) lines.push(paint.yellow(`step ${step.index + 1} unreliable: ${step.unreliable}`))
  if (result.steps.some((s) => s.unreliable)) lines.push('')

  if (result.sustainableRatePerSec === null) {
    lines.push(paint.red(paint.bold('no sustainable rate: even the lowest rate tried broke the SLO')))
  } else {
    const at = result.atSustainable
    const detail = at ? ` (p99 ${ms(at.p99Ms)}, errors ${pct(at.errorRatio)})` : ''
    lines.push(`${paint.bold('sustainable')}  ${paint.green(paint.bold(`${result.sustainableRatePerSec}/s`))}${detail}`)
  }
  lines.push(
    `breaks at    ${result.breakingRatePerSec === null ? `not reached (max ${result.settings.maxRatePerSec}/s)` : `${result.breakingRatePerSec}/s`}`,
  )
  const reasons: Record<CapacityResult['stopReason'], string> = {
    converged: 'converged within the precision',
    'max-rate':
      'reached --max-rate without breaking the SLO: the sustainable rate is a lower bound (search higher with --max-rate for the real figure)',
    'nothing-sustainable': 'nothing sustainable down to the minimum rate',
    'max-duration': 'ran out of --max-duration: the bracket above is what was found',
    interrupted: 'interrupted: the result above is what was found so far',
  }
  lines.push(`stopped      ${reasons[result.stopReason]}`)
  const host = result.host
  lines.push(`host         ${host.vCpus} vCPUs, ${host.memoryGiB} GiB, ${host.cpuModel} (where loadplan ran)`)
  const calibrated = result.serviceHost?.calibration
  if (host.instanceType) lines.push(`service on   ${host.instanceType} (--instance-type)`)
  else if (calibrated)
    lines.push(
      `service on   a calibrated host: ${calibrated.cpuModel}, ${calibrated.cores} vCPUs, stress-ng ${calibrated.method} ${calibrated.allCores} bogo-ops/s on all cores (--service-host)`,
    )

  if (result.usl) {
    lines.push('', paint.bold('scalability (USL)'))
    lines.push(
      `  measured     ${result.usl.sweep.map((p) => `c=${p.concurrency}: ${p.throughput.toFixed(0)}/s`).join(', ')}`,
    )
    const fit = result.usl.fit
    if (!fit) lines.push(`  no fit: ${result.usl.fitError}`)
    else {
      lines.push(
        `  σ contention ${fit.sigma.toFixed(4)}, κ coherency ${fit.kappa.toExponential(2)}, λ ${fit.lambda.toFixed(1)}/s per unit; R² ${fit.rSquared.toFixed(3)}, RMSE ${fit.rmse.toFixed(1)}/s`,
      )
      const peak = Number.isFinite(fit.peakConcurrency)
        ? `peak ${fit.peakThroughput.toFixed(0)}/s at concurrency ${fit.peakConcurrency.toFixed(1)}`
        : 'no peak (no coherency cost measured)'
      const optimal = Number.isFinite(fit.optimalConcurrency)
        ? `; beyond concurrency ${fit.optimalConcurrency.toFixed(1)} (1/σ) each added unit pays less than half its share`
        : ''
      lines.push(`  ${peak}${optimal}`)
      if (fit.rSquared < USL_MIN_R_SQUARED)
        lines.push(
          paint.yellow(
            `  the fit explains little of the measurements (R² ${fit.rSquared.toFixed(3)} < ${USL_MIN_R_SQUARED}): do not size on σ, κ or the peak; measure more concurrency levels or longer steps`,
          ),
        )
    }
  }
  return `${lines.join('\n')}\n`
}
