/** Compact Markdown summaries for CI (GitHub step summaries, merge-request comments). Pure. */
import {formatCount, formatDurationMs, formatMaybeMs} from '../contracts/format/units.js'
import type {CapacityResult} from '../contracts/results/capacity-result.js'
import {runTargetLabel, type RunResult} from '../contracts/results/run-result.js'
import {formatThresholdValue} from './summary-table.js'
import {errorCodeLines} from './error-reasons.js'
import {roundTripNoun, sessionMarkdown} from './session-views.js'
import {printable} from '../contracts/format/printable.js'

/** A table cell: inert control characters, and a pipe that cannot end the cell. */
const cell = (text: string) => printable(text).replaceAll('|', '\\|')

const ms = formatMaybeMs
const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(2)}%`)
const count = formatCount

export function runResultToMarkdown(result: RunResult): string {
  const t = result.totals
  const c = result.latency.corrected
  const u = result.latency.uncorrected
  const verdict = result.stopReason === 'interrupted' ? '⚠️ interrupted' : result.passed ? '✅ passed' : '❌ failed'
  const lines = [
    `### loadplan run: ${result.service ? `${result.service} (${runTargetLabel(result)})` : runTargetLabel(result)} ${verdict}`,
    '',
    `${result.options.model === 'open' ? 'Open' : 'Closed'} model, ${formatDurationMs(result.durationMs)}, started ${result.startedAt}.`,
    '',
    `| ${roundTripNoun(result)} | rate | errors | dropped | p50 | p90 | p99 | max | p99 uncorrected |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${count(t.completed)} | ${t.requestsPerSec.toFixed(1)}/s | ${count(t.errors)} (${pct(t.errorRatio)}) | ${count(t.dropped)} | ${ms(c.percentilesMs['50'])} | ${ms(c.percentilesMs['90'])} | ${ms(c.percentilesMs['99'])} | ${ms(c.maxMs)} | ${ms(u.percentilesMs['99'])} |`,
  ]
  lines.push(...sessionMarkdown(result))
  if (result.generator?.saturated)
    lines.push('', `⚠️ Unreliable: ${result.generator.reason ?? 'the load generator was saturated'}.`)
  if (result.scenarios) {
    lines.push('', '| scenario | share | requests | errors | p50 | p90 | p99 |', '|---|---:|---:|---:|---:|---:|---:|')
    for (const s of result.scenarios) {
      lines.push(
        `| ${cell(s.name)} | ${pct(s.share)} | ${count(s.completed)} | ${count(s.errors)} | ${ms(s.latency.percentilesMs['50'])} | ${ms(s.latency.percentilesMs['90'])} | ${ms(s.latency.percentilesMs['99'])} |`,
      )
      for (const step of s.steps ?? [])
        lines.push(
          `| › ${cell(step.name)} | | ${count(step.completed)} | ${count(step.errors)} | ${ms(step.latency.percentilesMs['50'])} | ${ms(step.latency.percentilesMs['90'])} | ${ms(step.latency.percentilesMs['99'])} |`,
        )
    }
    const checks = result.scenarios.flatMap((s) =>
      (s.steps ?? []).flatMap((step) =>
        step.checks.map(
          (c) =>
            `| ${cell(`${s.name} › ${step.name}`)} › \`${cell(c.name)}\` | ${count(c.passed)} | ${count(c.failed)} | ${c.failed === 0 ? '✅' : '❌'} |`,
        ),
      ),
    )
    if (checks.length > 0) lines.push('', '| check | passed | failed | |', '|---|---:|---:|---|', ...checks)
  }
  const reasons = errorCodeLines(result.errorCodes, count)
  if (reasons.length > 0) lines.push('', 'Transport errors:', ...reasons.map((line) => `- ${line}`))
  if (result.thresholds.length > 0) {
    lines.push('', '| threshold | value | limit | result |', '|---|---:|---:|---|')
    for (const o of result.thresholds) {
      lines.push(
        `| \`${o.expression}\` | ${formatThresholdValue(o, o.value)} | ${o.operator} ${formatThresholdValue(o, o.limit)} | ${o.passed ? '✅ pass' : '❌ fail'} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

export function capacityResultToMarkdown(result: CapacityResult): string {
  const found =
    result.sustainableRatePerSec === null
      ? '❌ no sustainable rate'
      : `✅ ${result.sustainableRatePerSec}/s sustainable`
  const lines = [
    `### loadplan capacity: ${result.service ?? result.target} ${found}`,
    '',
    `SLO ${result.slo.map((s) => `\`${s}\``).join(', ')}; breaks at ${result.breakingRatePerSec === null ? 'no rate tried' : `${result.breakingRatePerSec}/s`}; ${result.host.instanceType ?? `${result.host.vCpus} vCPUs`}.`,
    '',
    '| step | phase | offered | achieved | p50 | p99 | errors | verdict |',
    '|---:|---|---:|---:|---:|---:|---:|---|',
  ]
  for (const s of result.steps) {
    lines.push(
      `| ${s.index + 1} | ${s.phase} | ${s.offeredRatePerSec}/s | ${s.achievedRatePerSec.toFixed(1)}/s | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${pct(s.errorRatio)} | ${s.passed ? '✅' : `❌ ${s.failures.join('; ')}`}${s.unreliable ? ' ⚠️ unreliable: generator saturated' : ''} |`,
    )
  }
  const fit = result.usl?.fit
  if (fit)
    lines.push(
      '',
      `USL: σ ${fit.sigma.toFixed(4)}, κ ${fit.kappa.toExponential(2)}, peak ${fit.peakThroughput.toFixed(0)}/s at concurrency ${fit.peakConcurrency.toFixed(1)} (R² ${fit.rSquared.toFixed(3)}).`,
    )
  return `${lines.join('\n')}\n`
}
